import { getRequestListener } from '@hono/node-server';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateFleet } from '../fleet-generator.js';
import { createApp } from './app.js';
import { ClientsFileError, createAuthConfig, loadClientsFile, type AuthConfig } from './auth.js';
import { defaultPushLatencyMs, ReferenceMdm } from './reference-mdm.js';
import { Front } from './sharding/front.js';
import { parseShardSpec, sliceOf, type ShardSpec, type Slice } from './sharding/slices.js';
import { DEFAULT_MAX_BODY_BYTES } from './request-body.js';
import { oneChunkBody, type OneChunkBody } from './one-chunk-body.js';
import { AdmissionGuard, type AdmissionOptions } from './admission/http-guard.js';
import { FleetOperations, type FleetSlice } from './bulk/fleet-operations.js';
import { Journal, MetaMismatch } from './durable/journal.js';
import { journaledFetch, replayJournal } from './durable/journaled-fetch.js';

/** A bad command line or option; the message is one line for the user. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface ServeOptions {
  port: number;
  host: string;
  /** Devices of a generated fleet to enroll at start (seed `seed`). */
  devices: number;
  seed: number;
  clock: 'real' | 'manual';
  /** JSON clients file replacing the built-in local clients. */
  clientsFile?: string;
  /** Listen on a non-loopback address even with the built-in credentials. */
  allowNonLoopback?: boolean;
  log?: (line: string) => void;
  /** HS256 key for access tokens (random per start by default). */
  signingKey?: string;
  /** File holding the HS256 key (`--signing-key-file`): shards behind one balancer share it, so any shard's token is good on all. */
  signingKeyFile?: string;
  maxBodyBytes?: number;
  /**
   * Shard the fleet over this many worker threads behind one front that routes by device and
   * merges lists (undefined or 0: everything in this thread).
   */
  workers?: number;
  /** Serve only slice `index` of `count` of the seeded fleet (`--shard k/N`, one of N servers behind a balancer). */
  shard?: ShardSpec;
  /** Run the shards on this thread instead of worker threads (tests: no build needed). */
  inlineShards?: boolean;
  /** Keep state in SQLite in this directory (`--data-dir`): a restart resumes the fleet. */
  dataDir?: string;
  /** Largest fleet (`--max-devices`). */
  maxDevices?: number;
  /** Requests in flight at once before 429 (`--max-in-flight`). */
  maxInFlight?: number;
  /** Open connections before 503 (`--max-connections`). */
  maxConnections?: number;
  /** Admission limits and timeouts beyond the flags (tests). */
  admission?: AdmissionOptions;
  /** Event-stream subscribers at once (64). */
  maxSubscribers?: number;
  /** Audit retention window and count (tests; defaults in reference-mdm.ts). */
  auditRetentionMs?: number;
  maxAudits?: number;
}

export interface RunningServer {
  url: string;
  /** Drains: requests in flight are answered, new ones get 503, then the server closes. */
  close(): Promise<void>;
  /** Journal entries replayed at start (--data-dir). */
  replayed?: number;
  mdm: ReferenceMdm;
  auth: AuthConfig;
}

export const SERVE_USAGE = `lockstep serve [--port N] [--host ADDR] [--devices N] [--seed S] [--clock real|manual] [--clients FILE] [--allow-non-loopback] [--workers N] [--shard K/N] [--signing-key-file F] [--data-dir DIR] [--max-devices N] [--max-in-flight N] [--max-connections N] [--max-audits N]

  --port N               port to listen on (default 4000; 0 picks a free one)
  --host ADDR            address to listen on (default 127.0.0.1)
  --devices N            enroll a generated fleet of N devices at start (default 0)
  --seed S               fleet and simulation seed (default 1)
  --clock real|manual    simulated time follows the wall clock, or moves only by POST /sim/clock (default real)
  --clients FILE         JSON [{"clientId","clientSecret","role"}] replacing the built-in local clients
  --allow-non-loopback   listen on a non-loopback address even with the built-in credentials
  --workers N            shard the fleet over N worker threads behind one front (same API and results)
  --shard K/N            serve only slice K (0 to N-1) of the seeded fleet of --devices devices, as one
                         of N servers behind a load balancer (give every shard the same --seed and key file)
  --signing-key-file F   HS256 key for access tokens from file F (default: random per start)
  --data-dir DIR         keep the fleet's state in SQLite in DIR: after a crash or restart every
                         acknowledged request is there (start again with the same --devices and --seed)
  --max-devices N        largest fleet; enrolling beyond it answers 409 (default 2000000)
  --max-in-flight N      requests handled at once before 429 Too Many Requests (default 256)
  --max-connections N    open connections before new ones get 503 (default 1024)
  --max-audits N         audits kept (newest first; default 100000; older than 30 simulated days are dropped too)`;

export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || /^::ffff:127(\.\d{1,3}){3}$/.test(h);
}

function integer(flag: string, text: string | undefined, min: number, max: number): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${flag} needs an integer from ${min} to ${max}${text === undefined ? '' : `, got '${text}'`}`);
  }
  return Number(text);
}

/** Parses `serve` flags; `{ help: true }` for --help. Throws UsageError with a one-line message. */
export function parseServeArgs(argv: readonly string[]): ServeOptions & { help?: boolean } {
  const options: ServeOptions & { help?: boolean } = { port: 4000, host: '127.0.0.1', devices: 0, seed: 1, clock: 'real' };
  const seen = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
      i++;
      return next;
    };
    if (seen.has(flag)) throw new UsageError(`${flag} is given more than once`);
    seen.add(flag);
    switch (flag) {
      case '--help':
      case '-h':
        options.help = true;
        break;
      case '--port':
        options.port = integer('--port', value(), 0, 65535);
        break;
      case '--host': {
        const host = value();
        if (host.trim() === '') throw new UsageError('--host needs an address');
        options.host = host;
        break;
      }
      case '--devices':
        options.devices = integer('--devices', value(), 0, 1_000_000);
        break;
      case '--seed':
        options.seed = integer('--seed', value(), 0, 2 ** 32 - 1);
        break;
      case '--clock': {
        const clock = value();
        if (clock !== 'real' && clock !== 'manual') throw new UsageError(`--clock must be real or manual, got '${clock}'`);
        options.clock = clock;
        break;
      }
      case '--clients':
        options.clientsFile = value();
        break;
      case '--allow-non-loopback':
        if (inline !== undefined) throw new UsageError('--allow-non-loopback takes no value');
        options.allowNonLoopback = true;
        break;
      case '--workers':
        options.workers = integer('--workers', value(), 1, 64);
        break;
      case '--signing-key-file':
        options.signingKeyFile = value();
        break;
      case '--shard': {
        const text = value();
        const spec = parseShardSpec(text);
        if (!spec) throw new UsageError(`--shard needs K/N with 0 <= K < N, like 0/4; got '${text}'`);
        options.shard = spec;
        break;
      }
      case '--data-dir': {
        const dir = value();
        if (dir.trim() === '') throw new UsageError('--data-dir needs a directory');
        options.dataDir = dir;
        break;
      }
      case '--max-devices':
        options.maxDevices = integer('--max-devices', value(), 1, 100_000_000);
        break;
      case '--max-in-flight':
        options.maxInFlight = integer('--max-in-flight', value(), 1, 1_000_000);
        break;
      case '--max-audits':
        options.maxAudits = integer('--max-audits', value(), 1, 100_000_000);
        break;
      case '--max-connections':
        options.maxConnections = integer('--max-connections', value(), 1, 1_000_000);
        break;
      default:
        throw new UsageError(arg.startsWith('-') ? `unknown option ${flag} (see lockstep serve --help)` : `unexpected argument '${arg}' (see lockstep serve --help)`);
    }
  }
  return options;
}

/** With --workers the devices live in the shards: this stand-in only knows how many there are. */
class ShardedFleet extends ReferenceMdm {
  constructor(private readonly front: Front) {
    super();
  }
  override get size(): number {
    return this.front.size;
  }
}

async function startSharded(options: ServeOptions, auth: AuthConfig, slice: Slice, stride: number, offset: number): Promise<RunningServer> {
  const front = new Front({
    port: options.port,
    host: options.host,
    workers: options.workers!,
    seed: options.seed,
    start: slice.start,
    devices: slice.count,
    signingKey: auth.signingKey,
    ...(auth.builtIn ? {} : { clients: auth.clients }),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    realTime: options.clock === 'real',
    auditStride: stride,
    auditOffset: offset,
    ...(options.inlineShards ? { inline: true } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  let url: string;
  try {
    url = await front.start();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code) throw new UsageError(`cannot listen on ${options.host}:${options.port}: ${code}`);
    throw error;
  }
  let closing: Promise<void> | null = null;
  return {
    url,
    mdm: new ShardedFleet(front),
    auth,
    close() {
      closing ??= front.stop();
      return closing;
    },
  };
}

/**
 * The request as the app sees it, without a WHATWG body stream where none is needed: a body
 * stream costs a full Request, an AbortSignal and a ReadableStream per request, several times
 * what a small route costs. No body (GET, HEAD, no or zero Content-Length): null, as a Request has. A body
 * whose declared length is within the limit: read at once into one buffer (the app still counts
 * its bytes). Anything else (chunked, oversized) keeps the adapter's streaming body.
 */
function withBufferedBody(request: Request, incoming: { headers: IncomingMessage['headers']; resume(): unknown }, limit: number): Request {
  const method = request.method;
  if (method === 'GET' || method === 'HEAD') return buffered(request, null);
  const headers = incoming.headers;
  if (headers['transfer-encoding'] !== undefined) return request;
  const length = headers['content-length'];
  // HTTP/1.1: a request without Content-Length or Transfer-Encoding has no body. Reading its
  // (empty) stream to the end spares the adapter its per-request drain timers.
  if (length === undefined || length === '0') {
    incoming.resume();
    return buffered(request, null);
  }
  if (!/^\d{1,9}$/.test(length) || Number(length) > limit) return request;
  return buffered(request, Number(length) === 0 ? null : oneChunkBody(() => request.arrayBuffer()));
}

const buffered = (request: Request, body: OneChunkBody | null) => new BufferedRequest(request, body) as unknown as Request;

/** The adapter's request with another body; everything else is the adapter's. */
class BufferedRequest {
  constructor(
    private readonly inner: Request,
    readonly body: OneChunkBody | null,
  ) {}
  get url() {
    return this.inner.url;
  }
  get method() {
    return this.inner.method;
  }
  get headers() {
    return this.inner.headers;
  }
  get signal() {
    return this.inner.signal;
  }
  get bodyUsed() {
    return this.inner.bodyUsed;
  }
  arrayBuffer() {
    return this.inner.arrayBuffer();
  }
  text() {
    return this.inner.text();
  }
  json() {
    return this.inner.json();
  }
  blob() {
    return this.inner.blob();
  }
  formData() {
    return this.inner.formData();
  }
  clone() {
    return this.inner.clone();
  }
}
for (const key of ['cache', 'credentials', 'destination', 'duplex', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy'] as const) {
  Object.defineProperty(BufferedRequest.prototype, key, {
    get(this: { inner: Record<string, unknown> }) {
      return this.inner[key];
    },
  });
}

/** Starts the mock MDM over HTTP; resolves once it is listening. Prints nothing itself (only via `log`). */
export async function startServer(options: ServeOptions): Promise<RunningServer> {
  let clients;
  if (options.clientsFile !== undefined) {
    try {
      clients = await loadClientsFile(options.clientsFile);
    } catch (error) {
      if (error instanceof ClientsFileError) throw new UsageError(error.message);
      throw error;
    }
  }
  let signingKey = options.signingKey;
  if (options.signingKeyFile !== undefined) {
    try {
      signingKey = (await readFile(options.signingKeyFile, 'utf8')).trim();
    } catch (error) {
      throw new UsageError(`cannot read the signing key file ${options.signingKeyFile} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
    }
    if (signingKey.length < 16) throw new UsageError(`the signing key in ${options.signingKeyFile} is shorter than 16 characters`);
  }
  const auth = createAuthConfig({ ...(clients ? { clients } : {}), ...(signingKey ? { signingKey } : {}) });
  if (auth.builtIn && !isLoopback(options.host) && !options.allowNonLoopback) {
    throw new UsageError(
      `refusing to listen on ${options.host} with the built-in local credentials (anyone who can reach it could act as any role); use --clients FILE, or --allow-non-loopback if you mean it`,
    );
  }
  // --shard K/N: this server holds slice K of the seeded fleet; its devices keep their fleet-wide
  // push latency, and its audit numbers (hence audit ids) never collide with another shard's.
  const slice = options.shard ? sliceOf(options.shard.index, options.shard.count, options.devices) : { start: 0, count: options.devices };
  const stride = options.shard?.count ?? 1;
  const offset = options.shard?.index ?? 0;
  if (options.dataDir !== undefined && options.workers !== undefined && options.workers > 0) {
    throw new UsageError('--data-dir cannot be combined with --workers yet (each worker would need its own journal)');
  }
  if (options.maxDevices !== undefined && slice.count > options.maxDevices) throw new UsageError(`--devices ${slice.count} is more than --max-devices ${options.maxDevices}`);
  if (options.workers !== undefined && options.workers > 0) return startSharded(options, auth, slice, stride, offset);
  let audits = 0;
  const mdm = new ReferenceMdm({
    seed: options.seed,
    ...(options.shard
      ? { pushLatencyMs: (seq: number) => defaultPushLatencyMs(slice.start + seq, options.seed), auditNumber: () => audits++ * stride + offset }
      : {}),
    ...(options.auditRetentionMs !== undefined ? { auditRetentionMs: options.auditRetentionMs } : {}),
    ...(options.maxAudits !== undefined ? { maxAudits: options.maxAudits } : {}),
  });
  const journal = options.dataDir !== undefined ? openJournal(options) : null;
  if (slice.count > 0) {
    for (const profile of generateFleet({ count: slice.count, seed: options.seed, startIndex: slice.start })) mdm.enroll(profile);
  }
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const app = createApp({
    mdm,
    auth,
    ...(options.log ? { log: options.log } : {}),
    ...(options.maxBodyBytes ? { maxBodyBytes: options.maxBodyBytes } : {}),
    ...(options.maxDevices !== undefined ? { maxDevices: options.maxDevices } : {}),
    ...(options.maxSubscribers !== undefined ? { maxSubscribers: options.maxSubscribers } : {}),
    ...(journal ? { onFleetSlice: (slice: FleetSlice) => journal.append({ at: mdm.clock.now(), method: 'FLEET_SLICE', path: JSON.stringify(slice), body: null, clientId: null, role: null }) } : {}),
  });
  const appFetch = (request: Request) => app.fetch(request);
  const handle = journal ? journaledFetch(appFetch, mdm, journal, maxBodyBytes) : appFetch;
  let replayed: number | undefined;
  if (journal) {
    replayed = await replayJournal(journal, appFetch, mdm, auth, (entry) => FleetOperations.enrollSlice(mdm, JSON.parse(entry.path) as FleetSlice));
  }
  const guard = new AdmissionGuard({
    ...options.admission,
    ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
    ...(options.maxConnections !== undefined ? { maxConnections: options.maxConnections } : {}),
  });
  const listener = getRequestListener(
    (request: Request, env: { incoming: { headers: IncomingMessage['headers']; resume(): unknown } }) => handle(withBufferedBody(request, env.incoming, maxBodyBytes)),
    // The adapter's lightweight Request/Response (its default): a JSON answer is written from
    // the string Hono made, not read back through a ReadableStream. Process-wide, and transparent.
    { overrideGlobalObjects: true },
  );
  const server = guard.createServer(listener);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(new UsageError(`cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(options.port, options.host);
  });
  if (options.clock === 'real') mdm.clock.startRealTime();
  // Real-time mode moves the clock between requests: save it every second so a restart resumes there.
  const clockSaver = journal ? setInterval(() => journal.saveClock(mdm.clock.now()), 1000) : null;
  clockSaver?.unref();
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  // No Host reflection: the app's URLs (@odata.context, @odata.nextLink) carry the listen address.
  guard.authority = `${host}:${address.port}`;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${host}:${address.port}`,
    mdm,
    auth,
    ...(replayed !== undefined ? { replayed } : {}),
    close() {
      closing ??= (async () => {
        await guard.drain(server);
        mdm.clock.stopRealTime();
        if (clockSaver) clearInterval(clockSaver);
        if (journal) {
          journal.saveClock(mdm.clock.now());
          journal.close();
        }
      })();
      return closing;
    },
  };
}

function openJournal(options: ServeOptions): Journal {
  let journal: Journal;
  try {
    journal = new Journal(options.dataDir!);
  } catch (error) {
    throw new UsageError(`cannot open the data directory ${options.dataDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    journal.checkSettings({ seed: String(options.seed), devices: String(options.devices), shard: options.shard ? `${options.shard.index}/${options.shard.count}` : 'none' });
  } catch (error) {
    journal.close();
    if (error instanceof MetaMismatch) throw new UsageError(`--data-dir ${options.dataDir}: ${error.message}`);
    throw error;
  }
  return journal;
}
