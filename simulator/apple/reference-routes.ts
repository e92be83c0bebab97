/**
 * HTTP for the reference's Apple side: `PUT /mdm` (check-in and command results, as devices send
 * them) and a NanoMDM-style admin API behind HTTP basic auth (`nanomdm:KEY`): `PUT /v1/enqueue/:id`
 * with a command plist, `GET /v1/push/:id`. Answers mirror NanoMDM's where a client reads them
 * (enqueue: `command_uuid`, `request_type`, per-id status), so the same admin adapter drives both.
 * Refusals are Graph-shaped JSON errors, like the rest of the mock MDM.
 */
import { Hono, type Context } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import { routePath } from '../mdm/route-table.js';
import type { AppleMdmServer } from './reference-server.js';

const PLIST_TYPE = 'application/xml; charset=utf-8';

export interface AppleRouteOptions {
  /** The Apple server; without one (`serve --apple-commands direct`) every Apple route answers 404. */
  server: AppleMdmServer | undefined;
  /** The admin API's key (`nanomdm:KEY` basic auth); without one the admin API refuses every request. */
  apiKey: string | null;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyHono = Hono<any>;

export function registerAppleRoutes(app: AnyHono, options: AppleRouteOptions): void {
  const { server } = options;
  const expected = options.apiKey ? Buffer.from(`Basic ${Buffer.from(`nanomdm:${options.apiKey}`).toString('base64')}`) : null;
  const authorized = (c: Context) => {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    return expected !== null && given.length === expected.length && timingSafeEqual(given, expected);
  };
  const error = (c: Context, status: 400 | 401 | 403 | 404, code: string, message: string, headers: Record<string, string> = {}) => c.json({ error: { code, message } }, status, headers);
  const off = (c: Context) => error(c, 404, 'ResourceNotFound', 'this server takes Apple commands in-process (--apple-commands direct): it has no Apple MDM endpoint');
  const refuse = (c: Context) =>
    error(c, 401, 'Unauthorized', expected ? 'the admin API needs HTTP basic auth nanomdm:KEY' : 'the admin API is off: start the server with --apple-api-key KEY', { 'www-authenticate': 'Basic realm="lockstep"' });

  app.put(routePath('appleMdm'), async (c) => {
    if (!server) return off(c);
    const body = new Uint8Array(await c.req.arrayBuffer());
    const answer = server.handle(c.req.header('content-type'), (name) => c.req.header(name), body);
    if (answer.status !== 200) return error(c, answer.status as 400, answer.status === 401 ? 'Unauthorized' : answer.status === 403 ? 'Forbidden' : answer.status === 404 ? 'NotEnrolled' : 'BadRequest', String(answer.body));
    const bytes = answer.body as Uint8Array;
    return bytes.length === 0 ? c.body(null, 200) : c.body(new Uint8Array(bytes), 200, { 'content-type': PLIST_TYPE });
  });

  app.put(routePath('appleEnqueue'), async (c) => {
    if (!server) return off(c);
    if (!authorized(c)) return refuse(c);
    const ids = (c.req.param('id') ?? '').split(',');
    const plist = new Uint8Array(await c.req.arrayBuffer());
    const status: Record<string, { error?: string }> = {};
    let queued: { commandUuid: string; requestType: string } | null = null;
    for (const id of ids) {
      const result = server.enqueue(id, plist);
      if (typeof result === 'string') status[id] = { error: result };
      else {
        queued = result;
        status[id] = {};
      }
    }
    if (!queued) return c.json({ status, no_push: true }, 400);
    return c.json({ status, command_uuid: queued.commandUuid, request_type: queued.requestType }, 200);
  });

  app.get(routePath('applePush'), (c) => {
    if (!server) return off(c);
    if (!authorized(c)) return refuse(c);
    const status: Record<string, { push_error?: string }> = {};
    for (const id of (c.req.param('id') ?? '').split(',')) status[id] = server.push(id) ? {} : { push_error: 'not enrolled or no push token' };
    return c.json({ status }, 200);
  });
}

/** The Apple routes alone, as a Hono app (tests, the bench's reference). */
export function appleMdmRoutes(server: AppleMdmServer, options: { apiKey: string }): Hono {
  const app = new Hono();
  registerAppleRoutes(app, { server, apiKey: options.apiKey });
  return app;
}
