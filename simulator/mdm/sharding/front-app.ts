/**
 * The aggregating front of a sharded fleet, on the same route table as the mock MDM's app: one
 * handler per route name. Device-addressed routes go to the shard named in the device id (a
 * balancer normally sends those straight there); fleet-wide routes fan out over HTTP to every
 * `lockstep serve --shard K/N` process and merge their answers. The shards check tokens and
 * validate requests: a refusal is passed on as the shard wrote it.
 */
import { Hono, type Context } from 'hono';
import { validateFleetOptions } from '../../fleet-generator.js';
import { SYNC_FLEET_LIMIT } from '../bulk/fleet-operations.js';
import { directGraphErrorResponse, type AppContext, type AppEnv } from '../graph-error.js';
import { declaredLengthProblem, DEFAULT_MAX_BODY_BYTES } from '../request-body.js';
import { ROUTES, routePaths, type RouteName } from '../route-table.js';
import { AppRouter } from '../router.js';
import { newRequestId } from '../request-id.js';
import { shardOfDevice } from './device-shard.js';
import { mergedEvents } from './front-events.js';
import { mergedListPage, type ListKind } from './front-lists.js';
import { FrontOperations, mergedView, settledView, type FrontOperation, type PartView, type ShardPart } from './front-operations.js';
import { ShardUnreachable, type ShardClient, type ShardReply } from './shard-client.js';
import { sliceOf } from './slices.js';

type Handler = (c: AppContext) => Promise<Response> | Response;

export interface FrontAppOptions {
  shards: readonly ShardClient[];
  maxBodyBytes?: number;
  /** Fleet posts over this many devices are answered as one operation (the shards' limit, 10 000). */
  syncFleetLimit?: number;
  log?: (line: string) => void;
}

/** Request headers a shard reads. The Host is kept, so links the shards write name the front. */
const FORWARDED = ['authorization', 'content-type', 'host', 'client-request-id', 'accept'];
/** Response headers not passed back (the front's server sets its own framing). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

function headersOf(c: Context): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = c.req.header(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function pathOf(url: string): string {
  const at = url.indexOf('/', url.indexOf('//') + 2);
  return at < 0 ? '/' : url.slice(at);
}

function queryOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

function responseOf(reply: ShardReply): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(reply.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const empty = reply.status === 204 || reply.status === 304 || reply.body.byteLength === 0;
  return new Response(empty ? null : reply.body, { status: reply.status, headers });
}

function json(reply: ShardReply): Record<string, unknown> {
  return JSON.parse(reply.body.toString('utf8')) as Record<string, unknown>;
}

/** The operation's view from its shards' answers about their parts (a settled part needs none). */
function operationView(op: FrontOperation, replies: ReadonlyArray<ShardReply | null>): ReturnType<typeof mergedView> {
  return mergedView(op, op.parts.map((part, k) => ('operationId' in part ? (json(replies[k]!) as unknown as PartView) : settledView(op, part.settled))));
}

/** Adds up every number in the shards' answers, key by key (the shape of /sim/stats); a key a shard lacks counts as zero. */
function sumNumbers(values: unknown[]): unknown {
  const present = values.filter((v) => v !== undefined);
  const first = present[0];
  if (typeof first === 'number') return present.reduce((sum: number, v) => sum + (typeof v === 'number' ? v : 0), 0);
  if (first && typeof first === 'object' && !Array.isArray(first)) {
    const keys = new Set(present.flatMap((v) => (v && typeof v === 'object' ? Object.keys(v) : [])));
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = sumNumbers(present.map((v) => (v as Record<string, unknown>)[key]));
    return out;
  }
  return first;
}

export function createFrontApp(options: FrontAppOptions): Hono<AppEnv> {
  const { shards } = options;
  const count = shards.length;
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = new Hono<AppEnv>({ router: new AppRouter() });
  const syncFleetLimit = options.syncFleetLimit ?? SYNC_FLEET_LIMIT;
  const operations = new FrontOperations();
  let nextEnrollShard = 0;

  const body = async (c: AppContext): Promise<Uint8Array | null> => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !c.req.raw.body) return null;
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return bytes.byteLength > 0 ? bytes : null;
  };
  const call = async (c: AppContext, shard: number, path?: string, payload?: Uint8Array | null) =>
    shards[shard]!.call(c.req.method, path ?? pathOf(c.req.url), headersOf(c), payload === undefined ? await body(c) : payload);
  const forward = async (c: AppContext, shard: number) => responseOf(await call(c, shard));
  /** The device's shard; an id that names none goes to shard 0, which answers as one process would (404, 400...). */
  const toOwner: Handler = (c) => forward(c, shardOfDevice(c.req.param('id') ?? '', count) ?? 0);
  const everyShard = async (c: AppContext): Promise<ShardReply[]> => {
    const payload = await body(c);
    return Promise.all(shards.map((_, k) => call(c, k, undefined, payload)));
  };
  /** Broadcast (clock, clearing): the first refusal, or shard 0's answer. */
  const broadcast: Handler = async (c) => {
    const replies = await everyShard(c);
    return responseOf(replies.find((r) => r.status >= 300) ?? replies[0]!);
  };
  const list = (kind: ListKind): Handler => async (c) => {
    const path = c.req.path;
    const answer = await mergedListPage(
      kind,
      new URLSearchParams(queryOf(c.req.url)),
      count,
      (k, params) => shards[k]!.call('GET', `${path}${params.size > 0 ? `?${params.toString()}` : ''}`, headersOf(c), null),
      c.req.url.split('?')[0]!,
    );
    return answer.refused ? responseOf(answer.refused) : c.json(answer.body);
  };

  const handlers: Record<RouteName, Handler> = {
    openApi: (c) => forward(c, 0),
    token: (c) => forward(c, 0),
    tenantToken: (c) => forward(c, 0),
    openIdConfiguration: (c) => forward(c, 0),
    signingKeys: (c) => forward(c, 0),
    listDevices: list('d'),
    getDevice: toOwner,
    deviceAction: toOwner,
    listAudits: list('a'),
    // An operation the front started: every shard's part, polled now. Any other id: shard 0's 404.
    fleetOperation: async (c) => {
      const op = operations.get(c.req.param('operationId') ?? '');
      if (!op) return forward(c, 0);
      const query = queryOf(c.req.url);
      const suffix = query ? `?${query}` : '';
      const polled = op.parts.map((part): Promise<ShardReply> | null =>
        'operationId' in part ? shards[part.shard]!.call('GET', `/sim/operations/${part.operationId}${suffix}`, headersOf(c), null) : null,
      );
      // Parts settled within the request need no poll, but the caller's token and options are still checked.
      if (!polled.some(Boolean)) polled[0] = shards[0]!.call('GET', `/sim/stats${suffix}`, headersOf(c), null);
      const replies = await Promise.all(polled);
      const refused = replies.find((r) => r !== null && r.status !== 200);
      if (refused) return refused.status === 404 ? forward(c, 0) : responseOf(refused);
      return c.json(operationView(op, replies));
    },
    // An Apple device's message names it in the body (its UDID carries the shard); anything else goes to shard 0.
    appleMdm: async (c) => {
      const payload = await body(c);
      return responseOf(await call(c, enrollmentShard(payload, count), undefined, payload));
    },
    appleEnqueue: toOwner,
    applePush: toOwner,
    enrollDevice: async (c) => {
      const shard = nextEnrollShard;
      nextEnrollShard = (nextEnrollShard + 1) % count;
      return forward(c, shard);
    },
    enrollFleet: async (c) => {
      const payload = await body(c);
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload ?? new Uint8Array(0)).toString('utf8'));
      } catch {
        parsed = null;
      }
      const { returnIds, ...fleet } = (parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {}) as Record<string, unknown>;
      const checked = parsed && typeof parsed === 'object' ? validateFleetOptions(fleet) : null;
      // Anything the shard would refuse: shard 0 refuses it in the single-process words.
      if (!checked?.ok || (returnIds === true && checked.value.count > syncFleetLimit)) return responseOf(await call(c, 0, undefined, payload));
      const start = checked.value.startIndex ?? 0;
      // Contiguous parts, as the initial fleet is cut: the shards' ids concatenated are the fleet in order.
      const replies = await Promise.all(
        shards.map((_, k) => {
          const part = sliceOf(k, count, checked.value.count, start);
          if (part.count === 0) return shards[k]!.call('GET', '/sim/stats', headersOf(c), null);
          const partBody = { ...fleet, count: part.count, startIndex: part.start, ...(returnIds !== undefined ? { returnIds } : {}) };
          return call(c, k, undefined, Buffer.from(JSON.stringify(partBody)));
        }),
      );
      const refused = replies.find((r) => r.status >= 300);
      if (refused) return responseOf(refused);
      if (checked.value.count > syncFleetLimit || replies.some((r) => r.status === 202)) {
        const parts = replies.map((reply, k): ShardPart => {
          const answer = json(reply);
          if (reply.status === 202) return { shard: k, operationId: String(answer.id) };
          const settled = reply.status === 200 ? { count: 0, total: Number(answer.devices ?? 0) } : { count: Number(answer.count ?? 0), total: Number(answer.total ?? 0) };
          return { shard: k, settled };
        });
        const op = operations.start(checked.value.count, parts);
        c.header('Location', `/sim/operations/${op.id}`);
        c.header('Retry-After', '1');
        return c.json(operationView(op, replies), 202);
      }
      let enrolled = 0;
      let total = 0;
      const ids: unknown[] = [];
      for (const reply of replies) {
        const answer = json(reply);
        if (reply.status === 200) {
          total += Number(answer.devices ?? 0);
          continue;
        }
        enrolled += Number(answer.count ?? 0);
        total += Number(answer.total ?? 0);
        if (Array.isArray(answer.ids)) ids.push(...answer.ids);
      }
      return c.json({ count: enrolled, total, ...(returnIds === true ? { ids } : {}) }, 201);
    },
    clearFleet: broadcast,
    simDevice: toOwner,
    simDeviceEvent: toOwner,
    simAppleDevice: toOwner,
    simAppleDeviceStep: toOwner,
    getClock: (c) => forward(c, 0),
    setClock: broadcast,
    stats: async (c) => {
      const replies = await everyShard(c);
      const refused = replies.find((r) => r.status !== 200);
      return refused ? responseOf(refused) : c.json(sumNumbers(replies.map(json)) as Record<string, unknown>);
    },
    events: async (c) => {
      if (c.req.method === 'HEAD') return forward(c, 0);
      const merged = await mergedEvents(shards, pathOf(c.req.url), headersOf(c));
      if ('refused' in merged) return responseOf(merged.refused);
      return new Response(merged.stream, {
        status: 200,
        headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' },
      });
    },
  };

  app.use('*', async (c, next) => {
    const started = performance.now();
    c.set('requestId', newRequestId());
    c.set('clientRequestId', undefined);
    const tooBig = declaredLengthProblem(c.req.header('content-length'), maxBodyBytes);
    if (tooBig) c.res = directGraphErrorResponse(c, tooBig.status, tooBig.code, tooBig.message);
    else await next();
    if (!c.res.headers.has('request-id')) c.res.headers.set('request-id', c.get('requestId'));
    options.log?.(`${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - started).toFixed(1)}ms front`);
  });
  for (const name of Object.keys(handlers) as RouteName[]) {
    for (const path of routePaths(name)) app.on(ROUTES[name].method, path, handlers[name]);
  }
  // Paths no route matches: shard 0's 404 or 405, as from one process.
  app.notFound((c) => forward(c, 0));
  app.onError((error, c) => {
    if (error instanceof ShardUnreachable) return directGraphErrorResponse(c, 502 as 400, 'InternalServerError', error.message);
    options.log?.(`error ${c.req.method} ${c.req.path}: ${error instanceof Error ? error.name : typeof error}`);
    return directGraphErrorResponse(c, 500, 'InternalServerError', 'The front could not answer; the shards may be inconsistent');
  });
  return app;
}

/** The shard of the device an Apple MDM message names by UDID (device ids carry their shard), else 0. */
function enrollmentShard(payload: Uint8Array | null, count: number): number {
  const text = payload ? Buffer.from(payload).toString('utf8') : '';
  const udid = /<key>UDID<\/key>\s*<string>([0-9A-Fa-f-]{36})<\/string>/.exec(text)?.[1];
  return udid ? (shardOfDevice(udid, count) ?? 0) : 0;
}
