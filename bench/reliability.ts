/**
 * The reliability section of `npm run bench` (`--only reliability`): memory slope of a soak under
 * mixed HTTP load, how long other requests wait while a 1M-device fleet is enrolled, and the
 * restart time of a 1M-device `--data-dir` server after kill -9. Each against a real
 * `lockstep serve` process on 127.0.0.1.
 */
import { log } from './lib/options.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChildServer, tokenFor, type ChildServer } from '../simulator/mdm/reliability/child-server.js';
import { fmt, type Row } from './lib/stats.js';

export interface ReliabilityOptions {
  quick: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return kb ? Number(kb) * 1024 : NaN;
}

/** Least-squares slope of (t, y). */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : num / den;
}

async function stop(server: ChildServer): Promise<void> {
  if (server.process.exitCode !== null || server.process.signalCode !== null) return;
  server.process.kill('SIGTERM');
  await Promise.race([server.exited, sleep(15_000)]);
  if (server.process.exitCode === null) server.process.kill('SIGKILL');
}

/** Mixed load from `connections` loops until `until()`: resets, locks, check-ins, reads, the clock an hour forward now and then. */
async function mixedLoad(url: string, ids: readonly string[], connections: number, until: () => boolean): Promise<{ requests: number; errors5xx: number }> {
  const [admin, sim] = await Promise.all([tokenFor(url, 'intune-administrator'), tokenFor(url, 'sim-controller')]);
  let requests = 0;
  let errors5xx = 0;
  let seed = 12345;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  const loop = async () => {
    while (!until()) {
      const id = ids[Math.floor(random() * ids.length)]!;
      const roll = random();
      let r: Response;
      if (requests % 500 === 0) r = await fetch(`${url}/sim/clock`, { method: 'POST', headers: { authorization: `Bearer ${sim}`, 'content-type': 'application/json' }, body: '{"advance":"PT1H"}' });
      else if (roll < 0.45) r = await fetch(`${url}/beta/deviceManagement/managedDevices/${id}/resetPasscode`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
      else if (roll < 0.65) r = await fetch(`${url}/beta/deviceManagement/managedDevices/${id}/remoteLock`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
      else if (roll < 0.85) r = await fetch(`${url}/sim/devices/${id}/events`, { method: 'POST', headers: { authorization: `Bearer ${sim}`, 'content-type': 'application/json' }, body: '{"type":"checkIn"}' });
      else if (roll < 0.95) r = await fetch(`${url}/beta/deviceManagement/managedDevices/${id}`, { headers: { authorization: `Bearer ${admin}` } });
      else r = await fetch(`${url}/beta/deviceManagement/remoteActionAudits?$top=50`, { headers: { authorization: `Bearer ${admin}` } });
      await r.arrayBuffer();
      requests++;
      if (r.status >= 500) errors5xx++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  return { requests, errors5xx };
}

async function deviceIds(url: string, count: number): Promise<string[]> {
  const admin = await tokenFor(url, 'read-only-operator');
  const ids: string[] = [];
  let next: string | null = `${url}/beta/deviceManagement/managedDevices?$top=1000&$select=id`;
  while (next && ids.length < count) {
    const page = (await (await fetch(next, { headers: { authorization: `Bearer ${admin}` } })).json()) as { value: { id: string }[]; '@odata.nextLink'?: string };
    ids.push(...page.value.map((d) => d.id));
    next = page['@odata.nextLink'] ?? null;
  }
  return ids;
}

async function soakFigure(o: ReliabilityOptions, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  // Warm-up covers filling the audit store to its cap (at a few hundred audits a second).
  const minutes = o.quick ? 2 : 10;
  const warmupMs = (o.quick ? 1 : 4) * 60_000;
  const maxAudits = o.quick ? 10_000 : 100_000;
  const server = await startChildServer(['--devices', '20000', '--seed', '3', '--clock', 'manual', '--max-audits', String(maxAudits)], ['--expose-gc']);
  try {
    const ids = await deviceIds(server.url, 20_000);
    const started = Date.now();
    const samples: [number, number][] = [];
    const afterGc: [number, number, number][] = []; // minutes, rss, heap used (MiB), after a full GC in the server
    const end = started + minutes * 60_000;
    let seen = 0;
    const sampler = setInterval(() => {
      samples.push([(Date.now() - started) / 60_000, rssBytes(server.process.pid!)]);
      server.process.kill('SIGUSR2');
      const lines = [...server.output().matchAll(/memory: rss ([\d.]+) MiB, heap used ([\d.]+) MiB/g)];
      for (const m of lines.slice(seen)) afterGc.push([(Date.now() - started) / 60_000, Number(m[1]), Number(m[2])]);
      seen = lines.length;
    }, 5000);
    log(`soak: ${minutes} min of mixed load on 20 000 devices`);
    const load = await mixedLoad(server.url, ids, 16, () => Date.now() >= end);
    clearInterval(sampler);
    const after = samples.filter(([t]) => t * 60_000 >= warmupMs);
    const gcAfter = afterGc.filter(([t]) => t * 60_000 >= warmupMs);
    // The figure: RSS right after a full GC (a lazy GC's sawtooth is not a leak); raw RSS is in the note.
    const mbPerMin = slope(gcAfter.map(([t, rss]) => [t, rss] as [number, number]));
    const heapPerMin = slope(gcAfter.map(([t, , heap]) => [t, heap] as [number, number]));
    const rawPerMin = slope(after) / 2 ** 20;
    raw.soak = { minutes, warmupMs, samples, afterGc, ...load };
    rows.push({
      section: 'reliability',
      figure: `soak: RSS slope (after full GC) after ${warmupMs / 60_000} min warm-up (${minutes} min mixed load, 16 connections, --max-audits ${fmt(maxAudits)})`,
      value: `${mbPerMin.toFixed(2)} MB/min`,
      ceiling: '',
      ratio: '',
      target: '< 1 MB/min',
      ok: mbPerMin < 1,
      note: `${fmt(load.requests)} requests (${fmt(load.requests / (minutes * 60))}/s), ${load.errors5xx} 5xx; heap used after GC ${heapPerMin.toFixed(2)} MB/min (${gcAfter[0]?.[2] ?? '?'} → ${gcAfter.at(-1)?.[2] ?? '?'} MiB); RSS without forcing GC ${rawPerMin.toFixed(2)} MB/min (${fmt((after[0]?.[1] ?? NaN) / 2 ** 20)} → ${fmt((after.at(-1)?.[1] ?? NaN) / 2 ** 20)} MiB, V8's lazy GC sawtooth)`,
    });
    log(`soak slope ${mbPerMin.toFixed(2)} MB/min over ${after.length} samples`);
  } finally {
    await stop(server);
  }
}

/** GET /sim/clock timed again and again, `pauseMs` apart, until `busy()` (asked after each) says no more: how long other requests wait. */
async function probeWhile(url: string, auth: Record<string, string>, busy: () => boolean | Promise<boolean>, pauseMs: number): Promise<number[]> {
  const latencies: number[] = [];
  for (;;) {
    const t = performance.now();
    await (await fetch(`${url}/sim/clock`, { headers: auth })).arrayBuffer();
    latencies.push(performance.now() - t);
    if (!(await busy())) return latencies;
    await sleep(pauseMs);
  }
}

function tail(latencies: readonly number[]): { max: number; p99: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { max: sorted.at(-1) ?? NaN, p99: sorted[Math.floor(sorted.length * 0.99)] ?? NaN };
}

async function fleetPostFigure(o: ReliabilityOptions, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const count = o.quick ? 200_000 : 1_000_000;
  const server = await startChildServer(['--clock', 'manual']);
  try {
    const sim = await tokenFor(server.url, 'sim-controller');
    const auth = { authorization: `Bearer ${sim}` };
    // Control: the same probe on the idle server (on a shared CPU the scheduler alone delays some).
    let probes = 0;
    const idle = await probeWhile(server.url, auth, () => ++probes < 50, 10);
    const idleMax = Math.max(...idle);
    const posted = performance.now();
    const post = await fetch(`${server.url}/sim/fleet`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ count, seed: 4 }) });
    const answerMs = performance.now() - posted;
    const location = post.headers.get('location');
    await post.arrayBuffer();
    if (post.status !== 202 || !location) throw new Error(`POST /sim/fleet answered ${post.status}`);
    const latencies = await probeWhile(server.url, auth, async () => {
      const op = (await (await fetch(`${server.url}${location}`, { headers: auth })).json()) as { status: string };
      if (op.status === 'failed') throw new Error('the fleet operation failed');
      return op.status !== 'succeeded';
    }, 10);
    const totalS = (performance.now() - posted) / 1000;
    const { max, p99 } = tail(latencies);
    raw.fleetPost = { count, answerMs, totalS, latencies, idle };
    rows.push({
      section: 'reliability',
      figure: `other requests while ${fmt(count)} devices are enrolled (POST /sim/fleet → 202)`,
      value: `max ${max.toFixed(0)} ms`,
      ceiling: '',
      ratio: '',
      target: '≤ 100 ms',
      ok: max <= 100,
      note: `p99 ${p99.toFixed(0)} ms over ${latencies.length} requests (idle server: max ${idleMax.toFixed(0)} ms); 202 in ${answerMs.toFixed(0)} ms; fleet enrolled in ${totalS.toFixed(1)} s`,
    });
    log(`fleet post: ${latencies.length} probes, max ${max.toFixed(0)} ms, enrolled in ${totalS.toFixed(1)} s`);

    // The first $filter on a field builds its index over the whole fleet, in slices that yield.
    const admin = await tokenFor(server.url, 'intune-administrator');
    let filtered = false;
    const asked = performance.now();
    const filter = fetch(`${server.url}/v1.0/deviceManagement/managedDevices?$filter=deviceName eq 'nobody'`, { headers: { authorization: `Bearer ${admin}` } }).then(async (r) => {
      await r.arrayBuffer();
      filtered = true;
      return r.status;
    });
    const during = await probeWhile(server.url, auth, () => !filtered, 5);
    if ((await filter) !== 200) throw new Error('the filtered list failed');
    const filterS = (performance.now() - asked) / 1000;
    const { max: filterMax, p99: filterP99 } = tail(during);
    raw.firstFilter = { count, filterS, latencies: during };
    rows.push({
      section: 'reliability',
      figure: `other requests while the first $filter on deviceName indexes ${fmt(count)} devices`,
      value: `max ${filterMax.toFixed(0)} ms`,
      ceiling: '',
      ratio: '',
      target: '≤ 100 ms',
      ok: filterMax <= 100,
      note: `p99 ${filterP99.toFixed(0)} ms over ${during.length} requests; the filtered list answered in ${filterS.toFixed(2)} s`,
    });
    log(`first filter: ${during.length} probes, max ${filterMax.toFixed(0)} ms, answered in ${filterS.toFixed(2)} s`);
  } finally {
    await stop(server);
  }
}

async function restartFigure(o: ReliabilityOptions, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const devices = o.quick ? 200_000 : 1_000_000;
  const actions = o.quick ? 2_000 : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-bench-data-'));
  const args = ['--devices', String(devices), '--seed', '5', '--clock', 'manual', '--data-dir', dir];
  try {
    const first = await startChildServer(args);
    const ids = await deviceIds(first.url, actions);
    const admin = await tokenFor(first.url, 'intune-administrator');
    let acknowledged = 0;
    for (let i = 0; i < ids.length; i += 50) {
      const replies = await Promise.all(
        ids.slice(i, i + 50).map((id) => fetch(`${first.url}/beta/deviceManagement/managedDevices/${id}/remoteLock`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } })),
      );
      for (const r of replies) if (r.status === 204) acknowledged++;
    }
    first.process.kill('SIGKILL');
    await first.exited;
    const t = performance.now();
    const second = await startChildServer(args);
    const restartS = (performance.now() - t) / 1000;
    const line = /ready in (\d+) ms/.exec(second.output())?.[1];
    await stop(second);
    raw.restart = { devices, actions: ids.length, acknowledged, restartS, readyMs: Number(line) };
    rows.push({
      section: 'reliability',
      figure: `restart after kill -9: ${fmt(devices)} devices, --data-dir, ${fmt(ids.length)} journaled actions`,
      value: fmt(restartS, 's'),
      ceiling: '',
      ratio: '',
      target: '',
      ok: null,
      note: `process start to listening; the server's own "ready in" ${line ?? '?'} ms (fleet regenerated, journal replayed)`,
    });
    log(`restart ${restartS.toFixed(1)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** LOCKSTEP_BENCH_RELIABILITY=soak,fleet,restart picks figures (default: all three). */
export async function reliabilitySection(o: ReliabilityOptions, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const section: Record<string, unknown> = {};
  raw.reliability = section;
  const only = new Set((process.env.LOCKSTEP_BENCH_RELIABILITY ?? 'fleet,restart,soak').split(','));
  if (only.has('fleet')) await fleetPostFigure(o, rows, section);
  if (only.has('restart')) await restartFigure(o, rows, section);
  if (only.has('soak')) await soakFigure(o, rows, section);
}
