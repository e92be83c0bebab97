/**
 * The front of a sharded server: one HTTP listener that routes each request to the shard that
 * owns the device, fans lists, audits, stats and the clock out to every shard and merges the
 * answers, so that clients see the same API and the same results as from one process.
 *
 * What it keeps: every device's shard, local seq and fleet-wide enrollment order (from the
 * shards' replies), every audit's order, and the next audit number (reserved per action
 * request, so audit ids and the passcodes derived from them match a single process).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageChannel, Worker } from 'node:worker_threads';
import { generateFleet, validateFleetOptions } from '../../fleet-generator.js';
import { DEFAULT_TOP, encodeSkipToken, parseFilter, parseSelect, queryParams } from '../odata-query.js';
import { DEFAULT_MAX_BODY_BYTES } from '../request-body.js';
import { AUDIT_FIELDS, AUDIT_FILTER_FIELDS, MANAGED_DEVICE_FIELDS } from '../serialize.js';
import type { FromShard, ShardInit, ShardMeta, ToShard } from './protocol.js';
import { startShard } from './shard.js';
import { sliceOf } from './slices.js';

export interface FrontOptions {
  port: number;
  host: string;
  workers: number;
  seed: number;
  /** The seeded fleet's devices this server holds: indexes start .. start+devices-1. */
  start: number;
  devices: number;
  signingKey: string;
  clients?: ShardInit['clients'];
  maxBodyBytes?: number;
  realTime: boolean;
  auditStride: number;
  auditOffset: number;
  /** Run the shards on this thread over MessageChannels (tests: the sources need no build). */
  inline?: boolean;
  log?: (line: string) => void;
}

interface Reply {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array | null;
  streaming: boolean;
  meta: ShardMeta;
  auditUsed: boolean;
}

interface Pending {
  resolve(reply: Reply): void;
  reject(error: Error): void;
  onChunk?: (data: Uint8Array | null) => void;
  register?: (meta: ShardMeta) => boolean;
}

type Registrar = (shard: number, meta: ShardMeta) => void;

interface CallOptions {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Uint8Array | null;
  audit?: number;
  onChunk?: (data: Uint8Array | null) => void;
  /** Assigns fleet-wide order to the devices this reply reports (default: next in line). */
  register?: Registrar;
}

/** One shard as the front sees it: a port and the requests waiting for its answers. */
class ShardLink {
  private nextId = 1;
  private pending = new Map<number, Pending>();
  ready: Promise<Extract<FromShard, { type: 'ready' }>>;
  private close: () => Promise<void>;
  private post: (message: ToShard, transfer?: ArrayBuffer[]) => void;

  constructor(
    readonly index: number,
    init: ShardInit,
    inline: boolean,
    private readonly onMeta: (shard: number, meta: ShardMeta, register?: Registrar) => void,
  ) {
    let readyResolve!: (m: Extract<FromShard, { type: 'ready' }>) => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      readyResolve = resolve;
      readyReject = reject;
    });
    const onMessage = (m: FromShard) => {
      switch (m.type) {
        case 'ready':
          readyResolve(m);
          break;
        case 'failed':
          readyReject(new Error(`shard ${index} failed: ${m.error}`));
          break;
        case 'response': {
          const p = this.pending.get(m.id);
          if (!p) break;
          this.onMeta(index, m.meta, p.register as Registrar | undefined);
          if (!m.streaming) this.pending.delete(m.id);
          p.resolve({ status: m.status, headers: m.headers, body: m.body, streaming: m.streaming, meta: m.meta, auditUsed: m.auditUsed });
          break;
        }
        case 'chunk': {
          const p = this.pending.get(m.id);
          if (!p) break;
          if (m.data === null) this.pending.delete(m.id);
          p.onChunk?.(m.data);
          break;
        }
      }
    };
    if (inline) {
      const { port1, port2 } = new MessageChannel();
      port1.on('message', onMessage);
      this.post = (message, transfer) => port1.postMessage(message, transfer);
      startShard(port2, init, () => port2.close());
      this.close = async () => {
        port1.postMessage({ type: 'stop' } satisfies ToShard);
        await new Promise((r) => setImmediate(r));
        port1.close();
      };
    } else {
      const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
      worker.on('message', onMessage);
      worker.on('error', (error) => readyReject(error));
      worker.on('exit', (code) => {
        const error = new Error(`shard ${index} exited (${code})`);
        readyReject(error);
        for (const p of this.pending.values()) p.reject(error);
        this.pending.clear();
      });
      this.post = (message, transfer) => worker.postMessage(message, transfer);
      this.close = async () => {
        worker.postMessage({ type: 'stop' } satisfies ToShard);
        await worker.terminate();
      };
    }
  }

  call(o: CallOptions): Promise<Reply> {
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(o.onChunk ? { onChunk: o.onChunk } : {}), ...(o.register ? { register: o.register as never } : {}) });
      const message: ToShard = { type: 'request', id, method: o.method, url: o.url, headers: o.headers, body: o.body, ...(o.audit !== undefined ? { audit: o.audit } : {}) };
      this.post(message);
    });
  }

  cancel(id: number): void {
    this.post({ type: 'cancel', id });
  }

  /** The id the next call() gets (for cancelling a stream). */
  peekId(): number {
    return this.nextId;
  }

  send(message: ToShard): void {
    this.post(message);
  }

  stop(): Promise<void> {
    return this.close();
  }
}

const ACTIONS = new Set(['resetPasscode', 'remoteLock', 'wipe']);
const GRAPH = /^\/(v1\.0|beta)\/deviceManagement\/(managedDevices|remoteActionAudits)(?:\/([^/]+)(?:\/([^/]+))?)?$/;
const SIM_DEVICE = /^\/sim\/devices\/([^/]+)(?:\/events)?$/;

function decodePath(path: string): string {
  if (!path.includes('%')) return path;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The front's paging token: per-shard cursors ('-' when a shard has no more). */
function encodeFrontToken(kind: 'd' | 'a', epoch: number, cursors: ReadonlyArray<number | null>): string {
  return Buffer.from(`F${kind}.${epoch}.${cursors.map((c) => (c === null ? '-' : String(c))).join('.')}`, 'utf8').toString('base64url');
}

function decodeFrontToken(text: string, kind: 'd' | 'a', shards: number): { epoch: number; cursors: Array<number | null> } | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const parts = Buffer.from(text, 'base64url').toString('latin1').split('.');
  if (parts.length !== shards + 2 || parts[0] !== `F${kind}` || !/^\d{1,9}$/.test(parts[1]!)) return null;
  const cursors: Array<number | null> = [];
  for (const p of parts.slice(2)) {
    if (p === '-') cursors.push(null);
    else if (/^\d{1,12}$/.test(p)) cursors.push(Number(p));
    else return null;
  }
  return { epoch: Number(parts[1]), cursors };
}

/** A shard's own skiptoken's cursor, from its nextLink. */
function shardCursor(nextLink: unknown): number | null {
  if (typeof nextLink !== 'string') return null;
  const token = /[?&]\$skiptoken=([A-Za-z0-9_-]+)/.exec(nextLink)?.[1];
  if (!token) return null;
  const match = /^[da]\.\d+\.(\d+)$/.exec(Buffer.from(token, 'base64url').toString('latin1'));
  return match ? Number(match[1]) : null;
}

/** `url` with `$skiptoken` replaced (or removed for null), other parameters as given. */
function withSkipToken(url: string, token: string | null): string {
  const q = url.indexOf('?');
  const base = q < 0 ? url : url.slice(0, q);
  const parts = q < 0 ? [] : url.slice(q + 1).split('&').filter((p) => p !== '' && !/^(\$|%24)skiptoken=/i.test(p) && p !== '$skiptoken' && p !== '%24skiptoken');
  if (token !== null) parts.push(`$skiptoken=${token}`);
  return parts.length ? `${base}?${parts.join('&')}` : base;
}

/** `url` with `$top` set (other parameters as given). */
function withTop(url: string, top: number): string {
  const q = url.indexOf('?');
  const base = q < 0 ? url : url.slice(0, q);
  const parts = (q < 0 ? [] : url.slice(q + 1).split('&')).filter((p) => p !== '' && !/^(\$|%24)top(=|$)/i.test(p));
  parts.push(`$top=${top}`);
  return `${base}?${parts.join('&')}`;
}

/** `url` with `$select` set (other parameters as given). */
function withSelect(url: string, select: string): string {
  const q = url.indexOf('?');
  const base = q < 0 ? url : url.slice(0, q);
  const parts = (q < 0 ? [] : url.slice(q + 1).split('&')).filter((p) => p !== '' && !/^(\$|%24)select(=|$)/i.test(p));
  parts.push(`$select=${encodeURIComponent(select)}`);
  return `${base}?${parts.join('&')}`;
}

/** The app's nextLink: this request's URL with `$skiptoken` set (same spelling as management-routes). */
function nextLink(url: string, params: URLSearchParams, token: string): string {
  const q = url.indexOf('?');
  const base = q < 0 ? url : url.slice(0, q);
  const parts: string[] = [];
  for (const [k, v] of params) if (k !== '$skiptoken') parts.push(`${encodeURIComponent(k).replace(/^%24/, '$')}=${encodeURIComponent(v)}`);
  parts.push(`$skiptoken=${token}`);
  return `${base}?${parts.join('&')}`;
}

function headerRecord(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array | null> {
  if (req.method === 'GET' || req.method === 'HEAD') {
    req.resume();
    return null;
  }
  const declared = req.headers['content-length'];
  if (req.headers['transfer-encoding'] === undefined && (declared === undefined || declared === '0')) {
    // No body (HTTP/1.1 without Content-Length or Transfer-Encoding).
    req.resume();
    return null;
  }
  if (declared !== undefined && /^\s*\d+\s*$/.test(declared) && Number(declared) > limit) {
    // The shard answers 413 from the declared length alone.
    req.resume();
    return null;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    if (size > limit) continue; // keep draining; limit+1 bytes are enough for the shard's 413
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  if (size === 0) return null;
  const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  return new Uint8Array(all.buffer, all.byteOffset, Math.min(all.byteLength, limit + 1));
}

function send(res: ServerResponse, status: number, headers: ReadonlyArray<[string, string]>, body: Uint8Array | string | null): void {
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const flat: string[] = [];
  for (const [k, v] of headers) {
    if (k === 'content-length' || k === 'transfer-encoding') continue;
    flat.push(k, v);
  }
  if (bytes && status !== 204 && status !== 304) flat.push('content-length', String(bytes.byteLength));
  res.writeHead(status, flat);
  res.end(bytes && status !== 204 && status !== 304 ? bytes : undefined);
}

function json(reply: Reply): Record<string, unknown> {
  return JSON.parse(reply.body ? decoder.decode(reply.body) : 'null') as Record<string, unknown>;
}

const ok = (status: number) => status >= 200 && status < 300;

export class Front {
  readonly links: ShardLink[] = [];
  private server: Server | null = null;
  private readonly limit: number;
  /** Fleet-wide order of each device (by id), and each device's shard and local seq (by order). */
  private order = new Map<string, number>();
  private shardOf: number[] = [];
  private localOf: number[] = [];
  private total = 0;
  private auditOrder = new Map<string, number>();
  private auditShard: number[] = [];
  private auditLocal: number[] = [];
  private auditTotal = 0;
  /** Audit numbers: reserved one per action request, given back when it took none. */
  private nextAudit = 0;
  private epoch = 0;
  private exclusive: Promise<unknown> = Promise.resolve();
  private roundRobin = 0;
  private ticker: NodeJS.Timeout | null = null;

  constructor(private readonly o: FrontOptions) {
    this.limit = o.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  get size(): number {
    return this.total;
  }

  /** Starts the shards (each enrolls its slice) and listens. Resolves with the URL. */
  async start(): Promise<string> {
    for (let k = 0; k < this.o.workers; k++) {
      const slice = sliceOf(k, this.o.workers, this.o.devices, this.o.start);
      const init: ShardInit = {
        index: k,
        count: this.o.workers,
        seed: this.o.seed,
        start: slice.start,
        devices: slice.count,
        signingKey: this.o.signingKey,
        ...(this.o.clients ? { clients: this.o.clients } : {}),
        ...(this.o.maxBodyBytes ? { maxBodyBytes: this.o.maxBodyBytes } : {}),
        realTime: this.o.realTime,
        auditStride: this.o.auditStride,
        auditOffset: this.o.auditOffset,
      };
      this.links.push(new ShardLink(k, init, this.o.inline ?? false, (shard, meta, register) => this.onMeta(shard, meta, register)));
    }
    try {
      const readies = await Promise.all(this.links.map((l) => l.ready));
      readies.forEach((ready, k) => {
        const slice = sliceOf(k, this.o.workers, this.o.devices, this.o.start);
        ready.ids.forEach((id, local) => this.addDevice(id, k, local, slice.start - this.o.start + local));
        this.epoch = ready.meta.epoch;
      });
      this.total = this.o.devices;
    } catch (error) {
      await this.stop();
      throw error;
    }
    const server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        this.o.log?.(`error ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) send(res, 500, [['content-type', 'application/json']], JSON.stringify({ error: { code: 'InternalServerError', message: 'An unexpected error occurred in the front' } }));
        else res.destroy();
      });
    });
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(this.o.port, this.o.host, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      await this.stop();
      throw error;
    }
    this.server = server;
    if (this.o.realTime) {
      let last = Date.now();
      this.ticker = setInterval(() => {
        const now = Date.now();
        const ms = Math.max(0, now - last);
        last = now;
        for (const l of this.links) l.send({ type: 'tick', ms });
      }, 100);
      this.ticker.unref();
    }
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
    return `http://${host}:${address.port}`;
  }

  async stop(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    const server = this.server;
    this.server = null;
    if (server) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
    await Promise.all(this.links.map((l) => l.stop().catch(() => {})));
  }

  // ---------------------------------------------------------------- bookkeeping

  private addDevice(id: string, shard: number, local: number, order: number): void {
    this.order.set(id, order);
    this.shardOf[order] = shard;
    this.localOf[order] = local;
  }

  /** Every reply says what its shard enrolled and recorded since the last one. */
  private onMeta(shard: number, meta: ShardMeta, register?: Registrar): void {
    if (meta.newDevices?.length) {
      if (register) register(shard, meta);
      else {
        const globals: number[] = [];
        meta.newDevices.forEach((id, i) => {
          const order = this.total++;
          this.addDevice(id, shard, meta.newDevicesFrom! + i, order);
          globals.push(this.o.start + order);
        });
        this.links[shard]!.send({ type: 'globals', localStart: meta.newDevicesFrom!, globals });
      }
    }
    if (meta.newAudits?.length) {
      meta.newAudits.forEach((id, i) => {
        const order = this.auditTotal++;
        this.auditOrder.set(id, order);
        this.auditShard[order] = shard;
        this.auditLocal[order] = meta.newAuditsFrom! + i;
      });
    }
  }

  private ownerOf(id: string): number {
    const order = this.order.get(id) ?? this.order.get(id.toLowerCase());
    return order === undefined ? 0 : this.shardOf[order]!;
  }

  /** Runs `task` alone among enrollments and clears (they assign fleet-wide order). */
  private alone<T>(task: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(task, task);
    this.exclusive = run.catch(() => {});
    return run;
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = performance.now();
    const body = await readBody(req, this.limit);
    const host = req.headers.host ?? `${this.o.host}:${(this.server?.address() as AddressInfo | null)?.port ?? 0}`;
    const url = `http://${host}${req.url ?? '/'}`;
    const method = req.method ?? 'GET';
    const headers = headerRecord(req);
    const rawPath = (req.url ?? '/').split('?')[0]!;
    const path = decodePath(rawPath);
    const call = { method, url, headers, body };
    let status: number;

    const graph = GRAPH.exec(path);
    const simDevice = SIM_DEVICE.exec(path);
    if (graph) {
      const [, , collection, id, action] = graph;
      if (id !== undefined) {
        const shard = this.ownerOf(decodeSegment(id));
        if (method === 'POST' && action !== undefined && ACTIONS.has(action)) status = await this.action(res, shard, call);
        else status = await this.forward(res, shard, call);
      } else if (method === 'GET' && collection === 'managedDevices') status = await this.listDevices(res, call);
      else if (method === 'GET' && collection === 'remoteActionAudits') status = await this.listAudits(res, call);
      else status = await this.forward(res, 0, call);
    } else if (simDevice) {
      status = await this.forward(res, this.ownerOf(decodeSegment(simDevice[1]!)), call);
    } else if (path === '/sim/devices' && method === 'POST') {
      // Devices enrolled one by one come from shard 0's series, as they would from one process.
      status = await this.alone(() => this.forward(res, 0, call));
    } else if (path === '/sim/fleet' && method === 'POST') {
      status = await this.alone(() => this.enrollFleet(res, call));
    } else if (path === '/sim/fleet' && method === 'DELETE') {
      status = await this.alone(() => this.clearFleet(res, call));
    } else if (path === '/sim/clock' && method === 'POST') {
      status = await this.broadcast(res, call);
    } else if (path === '/sim/stats' && method === 'GET') {
      status = await this.stats(res, call);
    } else if (path === '/sim/events' && method === 'GET') {
      status = await this.events(req, res, call);
    } else {
      status = await this.forward(res, this.roundRobin++ % this.links.length, call);
    }
    if (this.o.log) {
      const requestId = String(res.getHeader('request-id') ?? '');
      this.o.log(`${method} ${rawPath} ${status} ${(performance.now() - started).toFixed(1)}ms ${requestId}`);
    }
  }

  private async forward(res: ServerResponse, shard: number, call: CallOptions): Promise<number> {
    const reply = await this.links[shard]!.call(call);
    send(res, reply.status, reply.headers, reply.body);
    return reply.status;
  }

  /** A device action: one audit number is reserved for it, and given back if it took none. */
  private async action(res: ServerResponse, shard: number, call: CallOptions): Promise<number> {
    const audit = this.nextAudit++;
    const reply = await this.links[shard]!.call({ ...call, audit });
    if (!reply.auditUsed && this.nextAudit === audit + 1) this.nextAudit = audit;
    send(res, reply.status, reply.headers, reply.body);
    return reply.status;
  }

  private async all(call: CallOptions, urls?: ReadonlyArray<string | null>): Promise<Array<Reply | null>> {
    return Promise.all(this.links.map((l, k) => (urls && urls[k] === null ? null : l.call({ ...call, url: urls?.[k] ?? call.url }))));
  }

  /** Every shard does it (the clock): the first error, else shard 0's answer. */
  private async broadcast(res: ServerResponse, call: CallOptions): Promise<number> {
    const replies = (await this.all(call)) as Reply[];
    const reply = replies.find((r) => !ok(r.status)) ?? replies[0]!;
    send(res, reply.status, reply.headers, reply.body);
    return reply.status;
  }

  private async clearFleet(res: ServerResponse, call: CallOptions): Promise<number> {
    const replies = (await this.all(call)) as Reply[];
    if (replies.every((r) => ok(r.status))) {
      this.order.clear();
      this.shardOf = [];
      this.localOf = [];
      this.total = 0;
      this.auditOrder.clear();
      this.auditShard = [];
      this.auditLocal = [];
      this.auditTotal = 0;
      this.epoch = replies[0]!.meta.epoch;
    }
    const reply = replies.find((r) => !ok(r.status)) ?? replies[0]!;
    send(res, reply.status, reply.headers, reply.body);
    return reply.status;
  }

  /**
   * POST /sim/fleet: each shard enrolls a contiguous part of the fleet, in fleet order. A request
   * the front cannot vouch for goes whole to one shard, which answers as one process would.
   */
  private async enrollFleet(res: ServerResponse, call: CallOptions): Promise<number> {
    let parsed: unknown;
    try {
      parsed = call.body ? JSON.parse(decoder.decode(call.body)) : undefined;
    } catch {
      parsed = undefined;
    }
    const type = (call.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    const plain = call.url.indexOf('?') < 0 && (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type));
    if (!plain || typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return this.forward(res, 0, call);
    const { returnIds, ...options } = parsed as Record<string, unknown>;
    if (returnIds !== undefined && typeof returnIds !== 'boolean') return this.forward(res, 0, call);
    const checked = validateFleetOptions(options);
    if (!checked.ok) return this.forward(res, 0, call);
    const fleet = generateFleet(checked.value);
    const taken = fleet.find((p) => this.order.has(p.id));
    // The shard holding the first device already enrolled answers the conflict exactly.
    if (taken) return this.forward(res, this.ownerOf(taken.id), call);

    const count = fleet.length;
    const start = checked.value.startIndex ?? 0;
    const base = this.total;
    const parts = this.links.map((_, k) => sliceOf(k, this.links.length, count));
    const replies = await Promise.all(
      this.links.map((l, k) => {
        const part = parts[k]!;
        if (part.count === 0) return null;
        const body = encoder.encode(JSON.stringify({ ...options, count: part.count, startIndex: start + part.start }));
        const headers = { ...call.headers, 'content-length': String(body.byteLength) };
        return l.call({
          ...call,
          headers,
          body,
          register: (shard, meta) => {
            const globals: number[] = [];
            meta.newDevices!.forEach((id, i) => {
              const order = base + part.start + i;
              this.addDevice(id, shard, meta.newDevicesFrom! + i, order);
              globals.push(this.o.start + order);
            });
            this.links[shard]!.send({ type: 'globals', localStart: meta.newDevicesFrom!, globals });
          },
        });
      }),
    );
    const answered = replies.filter((r): r is Reply => r !== null);
    // Parts that were enrolled keep their places in fleet order (a part failing alone is not expected).
    if (answered.some((r) => ok(r.status))) this.total = base + count;
    const failed = answered.find((r) => !ok(r.status));
    if (failed) {
      send(res, failed.status, failed.headers, failed.body);
      return failed.status;
    }
    const first = answered[0]!;
    const out = { count, total: this.total, ...(returnIds ? { ids: fleet.map((p) => p.id) } : {}) };
    send(res, first.status, first.headers, JSON.stringify(out));
    return first.status;
  }

  private async stats(res: ServerResponse, call: CallOptions): Promise<number> {
    const replies = (await this.all(call)) as Reply[];
    const failed = replies.find((r) => r.status !== 200);
    if (failed) {
      send(res, failed.status, failed.headers, failed.body);
      return failed.status;
    }
    type Counts = Record<string, number>;
    type View = { devices: number; byVariant: Record<string, Counts>; byState: Counts; actions: Counts };
    const views = replies.map((r) => json(r) as unknown as View);
    const sum = (into: Counts, from: Counts) => {
      for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
      return into;
    };
    const merged: View = { devices: 0, byVariant: {}, byState: {}, actions: {} };
    const variants = new Set<string>();
    for (const v of views) {
      merged.devices += v.devices;
      sum(merged.byState, v.byState);
      sum(merged.actions, v.actions);
      for (const name of Object.keys(v.byVariant)) variants.add(name);
    }
    for (const name of [...variants].sort((a, b) => a.localeCompare(b))) {
      merged.byVariant[name] = {};
      for (const v of views) if (v.byVariant[name]) sum(merged.byVariant[name], v.byVariant[name]);
    }
    send(res, 200, replies[0]!.headers, JSON.stringify(merged));
    return 200;
  }

  /**
   * A merged list: each shard pages from its own cursor with the same query, and the page is
   * the first `$top` of their answers in fleet-wide order (so it is the page one process gives).
   */
  private async mergedList(
    res: ServerResponse,
    call: CallOptions,
    kind: 'd' | 'a',
    fields: readonly string[],
    orderOf: (id: string) => number,
    localOf: (order: number) => number,
  ): Promise<number> {
    let params: URLSearchParams;
    try {
      params = queryParams(call.url);
    } catch {
      return this.forward(res, 0, call);
    }
    const select = params.get('$select');
    let chosen: string[] | null;
    try {
      chosen = parseSelect(select, fields);
    } catch {
      return this.forward(res, 0, call);
    }
    const tokenText = params.get('$skiptoken');
    let cursors: Array<number | null> = this.links.map(() => (kind === 'd' ? 0 : null));
    let first = true;
    if (tokenText !== null) {
      const token = decodeFrontToken(tokenText, kind, this.links.length);
      // Not ours, or from before a clear: shard 0 refuses it with the message one process gives.
      if (!token) return this.forward(res, 0, call);
      if (token.epoch !== this.epoch) return this.forward(res, 0, { ...call, url: withSkipToken(call.url, encodeSkipToken(kind, token.epoch, 0)) });
      cursors = token.cursors;
      first = false;
    }
    const needsId = chosen !== null && !chosen.includes('id');
    const base = needsId ? withSelect(call.url, [...chosen!, 'id'].join(',')) : call.url;
    const counting = params.get('$count') === 'true';
    const done = cursors.map((c) => !first && c === null);
    // Every shard exhausted: only a forged token says so; shard 0 refuses a bad token.
    if (done.every(Boolean)) return this.forward(res, 0, { ...call, url: withSkipToken(call.url, 'invalid') });
    const urls = cursors.map((c, k) => {
      // A shard with no more items is still asked for its count.
      if (done[k]) return counting ? withTop(withSkipToken(base, null), 1) : null;
      return withSkipToken(base, first || c === null ? null : encodeSkipToken(kind, this.epoch, c));
    });
    const replies = await this.all(call, urls);
    const answered = replies.filter((r): r is Reply => r !== null);
    const failed = answered.find((r) => r.status !== 200);
    if (failed) {
      send(res, failed.status, failed.headers, failed.body);
      return failed.status;
    }
    const top = Number(params.get('$top') ?? DEFAULT_TOP);
    const counts = replies.map((r) => (r ? json(r) : null));
    const pages = counts.map((p, k) => (done[k] ? null : p));
    const items: Array<{ shard: number; at: number; order: number; item: Record<string, unknown> }> = [];
    pages.forEach((page, shard) => {
      const value = (page?.value ?? []) as Array<Record<string, unknown>>;
      value.forEach((item, at) => items.push({ shard, at, order: orderOf(String(item.id)), item }));
    });
    items.sort((a, b) => (kind === 'd' ? a.order - b.order : b.order - a.order));
    const taken = items.slice(0, top);
    const used = this.links.map(() => 0);
    for (const t of taken) used[t.shard]!++;
    const next: Array<number | null> = pages.map((page, shard) => {
      if (!page) return null;
      const value = (page.value ?? []) as Array<Record<string, unknown>>;
      if (used[shard]! < value.length) return localOf(orderOf(String(value[used[shard]!]!.id)));
      return shardCursor(page['@odata.nextLink']);
    });
    let context = String(counts.find((p) => p)!['@odata.context']);
    // The id the front asked for to order the items is not the caller's.
    if (needsId && context.endsWith(',id)')) context = `${context.slice(0, -',id)'.length)})`;
    const out: Record<string, unknown> = { '@odata.context': context };
    if (counting) out['@odata.count'] = counts.reduce((n, p) => n + (p ? Number(p['@odata.count'] ?? 0) : 0), 0);
    if (next.some((c) => c !== null)) out['@odata.nextLink'] = nextLink(call.url, params, encodeFrontToken(kind, this.epoch, next));
    out.value = taken.map(({ item }) => {
      if (!needsId) return item;
      const { id: _id, ...rest } = item;
      return rest;
    });
    send(res, 200, answered[0]!.headers, JSON.stringify(out));
    return 200;
  }

  private listDevices(res: ServerResponse, call: CallOptions): Promise<number> {
    return this.mergedList(
      res,
      call,
      'd',
      MANAGED_DEVICE_FIELDS,
      (id) => this.order.get(id) ?? Number.MAX_SAFE_INTEGER,
      (order) => this.localOf[order]!,
    );
  }

  /** Audits of one device live on its shard (its own paging applies); the unfiltered list is merged, newest first. */
  private listAudits(res: ServerResponse, call: CallOptions): Promise<number> {
    let params: URLSearchParams;
    try {
      params = queryParams(call.url);
    } catch {
      return this.forward(res, 0, call);
    }
    const filter = params.get('$filter');
    if (filter !== null) {
      let shard = 0;
      try {
        const clauses = parseFilter(filter, AUDIT_FILTER_FIELDS);
        const known = clauses.map((c) => this.order.get(c.value) ?? this.order.get(c.value.toLowerCase())).find((o) => o !== undefined);
        if (known !== undefined) shard = this.shardOf[known]!;
      } catch {
        shard = 0;
      }
      return this.forward(res, shard, call);
    }
    return this.mergedList(
      res,
      call,
      'a',
      AUDIT_FIELDS,
      (id) => this.auditOrder.get(id) ?? -1,
      (order) => this.auditLocal[order]!,
    );
  }

  /**
   * GET /sim/events: one stream from every shard, merged: one `hello` (devices of all shards),
   * then every shard's events as they come, shard 0's heartbeats only.
   */
  private async events(req: IncomingMessage, res: ServerResponse, call: CallOptions): Promise<number> {
    const buffers: string[] = this.links.map(() => '');
    const hellos: Array<Record<string, unknown> | null> = this.links.map(() => null);
    const held: string[] = [];
    let headWritten = false;
    let helloSent = false;
    let open = true;
    const ids = this.links.map((l) => l.peekId());
    const flush = () => {
      if (!headWritten || !open) return;
      if (!helloSent) {
        if (!hellos.every((h) => h !== null)) return;
        helloSent = true;
        const merged = { ...hellos[0]!, devices: hellos.reduce((sum, h) => sum + Number(h!.devices ?? 0), 0) };
        res.write(`event: hello\ndata: ${JSON.stringify(merged)}\n\n`);
      }
      if (held.length) res.write(held.splice(0).join(''));
    };
    const finish = () => {
      if (!open) return;
      open = false;
      this.links.forEach((l, k) => l.cancel(ids[k]!));
      if (headWritten) res.end();
    };
    const onEvent = (shard: number, block: string) => {
      if (block.startsWith('event: hello\n')) {
        const data = /^data: (.*)$/m.exec(block)?.[1];
        hellos[shard] = data ? (JSON.parse(data) as Record<string, unknown>) : {};
      } else if (!block.startsWith(':') || shard === 0) {
        held.push(`${block}\n\n`);
      }
      flush();
    };
    const onChunk = (shard: number) => (data: Uint8Array | null) => {
      if (!open) return;
      if (data === null) {
        finish();
        return;
      }
      buffers[shard] += decoder.decode(data);
      let end: number;
      while ((end = buffers[shard]!.indexOf('\n\n')) >= 0) {
        const block = buffers[shard]!.slice(0, end);
        buffers[shard] = buffers[shard]!.slice(end + 2);
        onEvent(shard, block);
      }
    };
    const replies = await Promise.all(this.links.map((l, k) => l.call({ ...call, onChunk: onChunk(k) })));
    const failed = replies.find((r) => r.status !== 200);
    if (failed || !replies.every((r) => r.streaming)) {
      open = false;
      replies.forEach((r, k) => r.streaming && this.links[k]!.cancel(ids[k]!));
      const reply = failed ?? replies[0]!;
      send(res, reply.status, reply.headers, reply.body);
      return reply.status;
    }
    if (!open) {
      // A shard's stream ended before every shard answered.
      send(res, 200, replies[0]!.headers, '');
      return 200;
    }
    const flat: string[] = [];
    for (const [k, v] of replies[0]!.headers) if (k !== 'content-length' && k !== 'transfer-encoding') flat.push(k, v);
    res.writeHead(200, flat);
    res.flushHeaders();
    req.socket.setNoDelay(true);
    headWritten = true;
    res.on('close', finish);
    flush();
    return 200;
  }
}
