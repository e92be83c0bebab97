/**
 * The load generator: autocannon, run programmatically in its own process so that it never
 * shares the server's event loop. Each `run` message is one measurement.
 */
import autocannon, { type RawRequest } from 'autocannon';
import { failChild, onStop } from '../lib/children.js';
import { generateFleet } from '../../simulator/fleet-generator.js';
import { sliceOf } from '../../simulator/mdm/sharding/slices.js';

/** The ids to cycle through; `sample`: only the first sample/N devices of each shard's slice (huge fleets). */
function fleetIds(fleet: { count: number; seed: number; shards?: number; sample?: number }): string[] {
  const shards = fleet.shards ?? 0;
  if (shards === 0 && fleet.sample === undefined) return generateFleet({ count: fleet.count, seed: fleet.seed }).map((p) => p.id);
  const parts = Array.from({ length: Math.max(shards, 1) }, (_, k) => {
    const slice = sliceOf(k, Math.max(shards, 1), fleet.count);
    const take = fleet.sample === undefined ? slice.count : Math.min(slice.count, Math.ceil(fleet.sample / Math.max(shards, 1)));
    return generateFleet({ count: take, seed: fleet.seed, startIndex: slice.start }, shards > 0 ? k : undefined).map((p) => p.id);
  });
  const ids: string[] = [];
  const total = parts.reduce((n, p) => n + p.length, 0);
  for (let i = 0; ids.length < total; i++) for (const part of parts) if (i < part.length) ids.push(part[i]!);
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
  fleet?: { count: number; seed: number; shards?: number; sample?: number };
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
    const key = `${spec.fleet!.count}/${spec.fleet!.seed}/${spec.fleet!.shards ?? 0}/${spec.fleet!.sample ?? ''}`;
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
