/**
 * HTTP for the reference's Apple side: `PUT /mdm` (check-in and command results, as devices send
 * them) and a NanoMDM-style admin API behind HTTP basic auth (`nanomdm:KEY`): `PUT /v1/enqueue/:id`
 * with a command plist, `GET /v1/push/:id`. Answers mirror NanoMDM's where a client reads them
 * (enqueue: `command_uuid`, `request_type`, per-id status), so the same admin adapter drives both.
 */
import { Hono, type Context } from 'hono';
import { timingSafeEqual } from 'node:crypto';
import type { AppleMdmServer } from './reference-server.js';

export const APPLE_ROUTES = {
  mdm: { method: 'PUT', path: '/mdm' },
  enqueue: { method: 'PUT', path: '/v1/enqueue/:id' },
  push: { method: 'GET', path: '/v1/push/:id' },
} as const;

const PLIST_TYPE = 'application/xml; charset=utf-8';

export function appleMdmRoutes(server: AppleMdmServer, options: { apiKey: string }): Hono {
  const app = new Hono();
  const expected = Buffer.from(`Basic ${Buffer.from(`nanomdm:${options.apiKey}`).toString('base64')}`);
  const authorized = (c: Context) => {
    const given = Buffer.from(c.req.header('authorization') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const refuse = (c: Context) => c.json({ error: { code: 'Unauthorized', message: 'the admin API needs HTTP basic auth nanomdm:KEY' } }, 401, { 'www-authenticate': 'Basic realm="lockstep"' });

  app.put(APPLE_ROUTES.mdm.path, async (c) => {
    const body = new Uint8Array(await c.req.arrayBuffer());
    const answer = server.handle(c.req.header('content-type'), (name) => c.req.header(name), body);
    if (answer.status !== 200) return c.json({ error: { code: 'BadRequest', message: String(answer.body) } }, answer.status as 400);
    const bytes = answer.body as Uint8Array;
    return bytes.length === 0 ? c.body(null, 200) : c.body(new Uint8Array(bytes), 200, { 'content-type': PLIST_TYPE });
  });

  app.put(APPLE_ROUTES.enqueue.path, async (c) => {
    if (!authorized(c)) return refuse(c);
    const ids = c.req.param('id').split(',');
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

  app.get(APPLE_ROUTES.push.path, (c) => {
    if (!authorized(c)) return refuse(c);
    const status: Record<string, { push_error?: string }> = {};
    for (const id of c.req.param('id').split(',')) status[id] = server.push(id) ? {} : { push_error: 'not enrolled or no push token' };
    return c.json({ status }, 200);
  });
  return app;
}
