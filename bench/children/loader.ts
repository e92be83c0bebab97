/**
 * The load generator: autocannon, run programmatically in its own process so that it never
 * shares the server's event loop. Each `run` message is one measurement.
 */
import autocannon, { type RawRequest } from 'autocannon';
import { failChild, onStop } from '../lib/children.js';
import { generateFleet } from '../../simulator/fleet-generator.js';
import { sliceOf } from '../../simulator/mdm/sharding/slices.js';

function fleetIds(fleet: { count: number; seed: number; shards?: number }): string[] {
  if (!fleet.shards) return generateFleet(fleet).map((p) => p.id);
  const parts = Array.from({ length: fleet.shards }, (_, k) => {
    const slice = sliceOf(k, fleet.shards!, fleet.count);
    return generateFleet({ count: slice.count, seed: fleet.seed, startIndex: slice.start }, k).map((p) => p.id);
  });
  const ids: string[] = [];
  for (let i = 0; ids.length < fleet.count; i++) for (const part of parts) if (i < part.length) ids.push(part[i]!);
  return ids;
}

export interface LoadSpec {
  url: string;
  connections: number;
  durationSec: number;
  /** 'json': POST /x with no body; 'resetPasscode': POST .../managedDevices/{id}/resetPasscode over a fleet's ids. */
  kind: 'json' | 'resetPasscode';
  token?: string;
  /** The fleet's devices; with `shards`, as N `--shard K/N` servers hold them (ids carry K), interleaved so that every shard gets its share. */
  fleet?: { count: number; seed: number; shards?: number };
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
  /** The load generator's own CPU time per request (user + system), in microseconds: what it takes from the machine's cores. */
  loaderCpuUsPerRequest: number;
}

let ids: string[] = [];
let idsKey = '';

async function run(spec: LoadSpec): Promise<LoadResult> {
  let next = spec.offset ?? 0;
  const requests = [];
  if (spec.kind === 'resetPasscode') {
    const key = `${spec.fleet!.count}/${spec.fleet!.seed}/${spec.fleet!.shards ?? 0}`;
    if (key !== idsKey) {
      ids = fleetIds(spec.fleet!);
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
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({ url: spec.url, connections: spec.connections, duration: spec.durationSec, requests, timeout: 10 });
  const statusCodes: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = Number(count);
  const total = Object.values(statusCodes).reduce((a, b) => a + b, 0);
  const cpu = process.cpuUsage(cpuBefore);
  return {
    loaderCpuUsPerRequest: total > 0 ? (cpu.user + cpu.system) / total : 0,
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
