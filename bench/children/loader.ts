/**
 * The load generator: autocannon, run programmatically in its own process so that it never
 * shares the server's event loop. Each `run` message is one measurement.
 */
import autocannon, { type RawRequest } from 'autocannon';
import { failChild, onStop } from '../lib/children.js';
import { generateFleet } from '../../simulator/fleet-generator.js';

export interface LoadSpec {
  url: string;
  connections: number;
  durationSec: number;
  /** 'json': POST /x with no body; 'resetPasscode': POST .../managedDevices/{id}/resetPasscode over a fleet's ids. */
  kind: 'json' | 'resetPasscode';
  token?: string;
  fleet?: { count: number; seed: number };
  /** Index of the first device id to use (runs move on so as not to repeat ids). */
  offset?: number;
}

export interface LoadResult {
  requestsPerSec: number;
  total: number;
  p50: number;
  p99: number;
  p999: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Device ids used: where the next run should start. */
  nextOffset: number;
}

let ids: string[] = [];
let idsKey = '';

async function run(spec: LoadSpec): Promise<LoadResult> {
  let next = spec.offset ?? 0;
  const requests = [];
  if (spec.kind === 'resetPasscode') {
    const key = `${spec.fleet!.count}/${spec.fleet!.seed}`;
    if (key !== idsKey) {
      ids = generateFleet(spec.fleet!).map((p) => p.id);
      idsKey = key;
    }
    const headers = { authorization: `Bearer ${spec.token}` };
    requests.push({
      method: 'POST',
      headers,
      setupRequest: (request: RawRequest) => {
        request.path = `/v1.0/deviceManagement/managedDevices/${ids[next++ % ids.length]}/resetPasscode`;
        return request;
      },
    });
  } else {
    requests.push({ method: 'POST', path: '/x' });
  }
  const result = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.durationSec, requests, timeout: 10 });
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(count);
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  return {
    requestsPerSec: total / result.duration,
    total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    p999: result.latency.p99_9,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    nextOffset: next,
  };
}

try {
  process.on('message', (m: { type?: string; spec?: LoadSpec }) => {
    if (m?.type !== 'run') return;
    run(m.spec!).then(
      (result) => process.send!({ type: 'result', result }),
      (error: unknown) => failChild(error),
    );
  });
  onStop(() => {});
  process.send!({ type: 'ready' });
} catch (error) {
  failChild(error);
}
