import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker } from 'node:worker_threads';
import { transitionCoverage } from '../../simulator/model-graph.js';
import { VARIANT_KEYS, type VariantKey } from '../../contract/variants.js';
import { LockstepClient } from '../client.js';
import type { Target } from '../targets.js';
import type { FromThread, ThreadInit, ToThread } from './protocol.js';
import { randomBytes } from 'node:crypto';
import { ReferenceAppleFacet } from '../apple/reference-facet.js';

/** The origin the client uses for the threaded embedded target; no socket is opened. */
const ORIGIN = 'http://lockstep.embedded';

export interface ThreadedOptions {
  seed: number;
  recordCoverage?: boolean;
  /** Same thread over a MessageChannel (tests from TypeScript sources, where no compiled worker exists). Default: a worker when worker.js exists. */
  inline?: boolean;
}

/**
 * The embedded reference MDM in a worker thread. The client's fetch posts each request to the
 * worker and resolves with its answer, so scenarios see the same HTTP contract as any target,
 * while the main thread (the run and its terminal UI) stays free to answer keys.
 */
export async function threadedEmbeddedTarget(options: ThreadedOptions): Promise<Target> {
  const init: ThreadInit = { seed: options.seed, recordCoverage: options.recordCoverage ?? false, appleApiKey: randomBytes(16).toString('hex') };
  const workerFile = new URL('./worker.js', import.meta.url);
  const inline = options.inline ?? !existsSync(fileURLToPath(workerFile));
  const pending = new Map<number, { resolve: (r: Response) => void; reject: (e: Error) => void }>();
  const taken = new Map<VariantKey, Set<string>>();
  let nextId = 1;
  let ready!: () => void;
  let failed!: (e: Error) => void;
  const started = new Promise<void>((resolve, reject) => ((ready = resolve), (failed = reject)));

  const onMessage = (message: FromThread) => {
    if (message.type === 'ready') return ready();
    if (message.type === 'failed') return failed(new Error(message.error));
    for (const [variant, id] of message.taken ?? []) {
      let set = taken.get(variant as VariantKey);
      if (!set) taken.set(variant as VariantKey, (set = new Set()));
      set.add(id);
    }
    const p = pending.get(message.id);
    if (!p) return;
    pending.delete(message.id);
    const empty = message.status === 204 || message.status === 304;
    p.resolve(new Response(empty ? null : message.body, { status: message.status, headers: message.headers }));
  };

  let post: (message: ToThread) => void;
  let stop: () => Promise<void>;
  if (inline) {
    const [{ hostEmbedded }, channel] = [await import('./host.js'), new MessageChannel()];
    channel.port1.on('message', onMessage);
    post = (m) => channel.port1.postMessage(m);
    await hostEmbedded(channel.port2, init, () => channel.port2.close());
    stop = async () => {
      post({ type: 'stop' });
      await new Promise((r) => setImmediate(r));
      channel.port1.close();
    };
  } else {
    const worker = new Worker(workerFile, { workerData: init });
    worker.on('message', onMessage);
    worker.on('error', (error) => failed(error));
    worker.on('exit', (code) => {
      const error = new Error(`the embedded target's thread exited (${code})`);
      failed(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });
    post = (m) => worker.postMessage(m);
    stop = async () => {
      worker.removeAllListeners('exit');
      post({ type: 'stop' });
      await worker.terminate();
    };
  }
  await started;

  const fetchThroughThread = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const body = request.body ? await request.text() : null;
    return new Promise<Response>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      post({ type: 'request', id, method: request.method, url: request.url, headers: [...request.headers], body });
    });
  };

  const client = new LockstepClient({ baseUrl: ORIGIN, fetch: fetchThroughThread as typeof fetch });
  return {
    client,
    description: { kind: 'embedded' },
    apple: new ReferenceAppleFacet({ client, fetch: fetchThroughThread as typeof fetch, apiKey: init.appleApiKey, seed: init.seed }),
    ...(init.recordCoverage
      ? { transitionCoverage: () => VARIANT_KEYS.map((variant) => ({ variant, ...transitionCoverage(variant, taken.get(variant) ?? new Set()) })) }
      : {}),
    close: stop,
  };
}
