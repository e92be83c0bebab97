/**
 * One shard: a ReferenceMdm holding a slice of the fleet and the unchanged Hono app, answering
 * requests the front forwards as messages. Runs in a worker thread (worker.ts) or, for tests,
 * in the calling thread over a MessageChannel.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { SimClock } from '../../clock.js';
import { generateFleet } from '../../fleet-generator.js';
import { createApp } from '../app.js';
import { createAuthConfig, type ClientCredential } from '../auth.js';
import { defaultPushLatencyMs, ReferenceMdm } from '../reference-mdm.js';
import type { MessagePort } from 'node:worker_threads';
import type { FromShard, ShardInit, ShardMeta, ToShard } from './protocol.js';
import { oneChunkBody, type OneChunkBody } from '../one-chunk-body.js';

/** A clock moved only by the front's ticks and /sim/clock, which says it is real-time when the fleet's clock is. */
class DrivenClock extends SimClock {
  constructor(private readonly realTime: boolean) {
    super();
  }
  override get isRealTime(): boolean {
    return this.realTime;
  }
}

/** Request headers as the app reads them (get/has/iteration), without a WHATWG Headers per request. */
class LiteHeaders {
  private readonly map: Map<string, string>;
  constructor(headers: Record<string, string>) {
    this.map = new Map(Object.entries(headers));
  }
  get(name: string): string | null {
    return this.map.get(name.toLowerCase()) ?? null;
  }
  has(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  forEach(callback: (value: string, key: string, parent: LiteHeaders) => void, thisArg?: unknown): void {
    for (const [k, v] of this.map) callback.call(thisArg, v, k, this);
  }
  entries(): IterableIterator<[string, string]> {
    return this.map.entries();
  }
  keys(): IterableIterator<string> {
    return this.map.keys();
  }
  values(): IterableIterator<string> {
    return this.map.values();
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.map.entries();
  }
}

/** The forwarded request as the app sees it: url, method, headers and body, nothing heavier. */
class ForwardedRequest {
  readonly headers: LiteHeaders;
  readonly body: OneChunkBody | null;
  private controller: AbortController | null = null;
  constructor(
    readonly url: string,
    readonly method: string,
    headers: Record<string, string>,
    private readonly bytes: Uint8Array | null,
  ) {
    this.headers = new LiteHeaders(headers);
    this.body = bytes && bytes.byteLength > 0 ? oneChunkBody(async () => bytes) : null;
  }
  get signal(): AbortSignal {
    return (this.controller ??= new AbortController()).signal;
  }
  get bodyUsed(): boolean {
    return false;
  }
  async arrayBuffer(): Promise<ArrayBuffer> {
    const b = this.bytes ?? new Uint8Array(0);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  async text(): Promise<string> {
    return new TextDecoder().decode(this.bytes ?? new Uint8Array(0));
  }
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }
}

interface Streaming {
  reader: ReadableStreamDefaultReader<Uint8Array>;
}

/** Starts a shard on `port`: enrolls its slice, then answers until told to stop. */
export function startShard(port: MessagePort, init: ShardInit, onStop: () => void = () => {}): void {
  const audits = new AsyncLocalStorage<{ audit: number | undefined }>();
  let fallbackAudits = 0;
  /** Fleet-wide enrollment order of each local device (push latency is per fleet-wide seq, as in one process). */
  const globals: number[] = [];
  const clock = new DrivenClock(init.realTime);
  const mdm = new ReferenceMdm({
    clock,
    seed: init.seed,
    pushLatencyMs: (seq) => defaultPushLatencyMs(globals[seq] ?? init.start + seq, init.seed),
    auditNumber: () => {
      const store = audits.getStore();
      let n: number;
      if (store?.audit !== undefined) {
        n = store.audit;
        store.audit = undefined;
      } else {
        // Not expected: every request that can take an action has a number reserved by the front.
        n = 2 ** 40 + fallbackAudits++ * init.count + init.index;
      }
      return n * init.auditStride + init.auditOffset;
    },
  });
  if (init.devices > 0) {
    for (const profile of generateFleet({ count: init.devices, seed: init.seed, startIndex: init.start })) mdm.enroll(profile);
  }
  for (let i = 0; i < mdm.size; i++) globals[i] = init.start + i;
  const auth = createAuthConfig({ signingKey: init.signingKey, ...(init.clients ? { clients: init.clients as ClientCredential[] } : {}) });
  // The front registers a fleet part's devices from the shard's answer: the shard enrolls it within the request.
  const app = createApp({ mdm, auth, syncFleetLimit: Infinity, ...(init.maxBodyBytes ? { maxBodyBytes: init.maxBodyBytes } : {}) });

  let reportedEpoch = mdm.epoch;
  let reportedSize = mdm.size;
  let reportedAudits = mdm.auditCount;
  const meta = (): ShardMeta => {
    if (mdm.epoch !== reportedEpoch) {
      reportedEpoch = mdm.epoch;
      reportedSize = 0;
      reportedAudits = 0;
      globals.length = 0;
    }
    const m: ShardMeta = { epoch: mdm.epoch, size: mdm.size, auditCount: mdm.auditCount };
    if (mdm.size > reportedSize) {
      const all = mdm.all();
      m.newDevicesFrom = reportedSize;
      m.newDevices = [];
      for (let i = reportedSize; i < all.length; i++) m.newDevices.push(all[i]!.profile.id);
      reportedSize = all.length;
    }
    if (mdm.auditCount > reportedAudits) {
      const all = mdm.allAudits();
      m.newAuditsFrom = reportedAudits;
      m.newAudits = [];
      for (let i = reportedAudits; i < all.length; i++) m.newAudits.push(all[i]!.auditId);
      reportedAudits = all.length;
    }
    return m;
  };

  const send = (message: FromShard, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer);
  const streams = new Map<number, Streaming>();

  const handle = async (m: Extract<ToShard, { type: 'request' }>) => {
    const request = new ForwardedRequest(m.url, m.method, m.headers, m.body);
    let response: Response;
    const store = { audit: m.audit };
    const used = () => m.audit !== undefined && store.audit === undefined;
    try {
      response = await audits.run(store, () => app.fetch(request as unknown as Request));
    } catch (error) {
      send({ type: 'response', id: m.id, status: 500, headers: [['content-type', 'text/plain']], body: new TextEncoder().encode(String(error)), streaming: false, meta: meta(), auditUsed: used() });
      return;
    }
    const headers: Array<[string, string]> = [];
    response.headers.forEach((value, key) => headers.push([key, value]));
    const type = response.headers.get('content-type') ?? '';
    if (response.body && type.startsWith('text/event-stream')) {
      const reader = response.body.getReader();
      streams.set(m.id, { reader });
      send({ type: 'response', id: m.id, status: response.status, headers, body: null, streaming: true, meta: meta(), auditUsed: used() });
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          send({ type: 'chunk', id: m.id, data: value });
        }
      } catch {
        // cancelled
      } finally {
        streams.delete(m.id);
        send({ type: 'chunk', id: m.id, data: null });
      }
      return;
    }
    const buffer = response.body ? await response.arrayBuffer() : null;
    const body = buffer && buffer.byteLength > 0 ? new Uint8Array(buffer) : null;
    send({ type: 'response', id: m.id, status: response.status, headers, body, streaming: false, meta: meta(), auditUsed: used() }, body ? [buffer!] : undefined);
  };

  port.on('message', (message: ToShard) => {
    switch (message.type) {
      case 'request':
        void handle(message);
        break;
      case 'cancel':
        void streams.get(message.id)?.reader.cancel().catch(() => {});
        break;
      case 'tick':
        clock.advance(message.ms);
        break;
      case 'globals':
        for (let i = 0; i < message.globals.length; i++) globals[message.localStart + i] = message.globals[i]!;
        break;
      case 'stop':
        for (const s of streams.values()) void s.reader.cancel().catch(() => {});
        onStop();
        break;
    }
  });

  send({ type: 'ready', ids: mdm.all().map((r) => r.profile.id), meta: meta() });
}
