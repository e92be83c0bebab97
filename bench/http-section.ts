/**
 * The http section of `npm run bench` (`--only http`): resetPasscode over real HTTP against one
 * `lockstep serve` process and against HAProxy + N shards, next to a bare Hono ceiling measured in
 * the same run by the same load generator.
 */
import { forkChild, type Child } from './lib/children.js';
import type { LoadResult, LoadSpec } from './children/loader.js';
import { haproxyAvailable, startShardedFleet } from './lib/sharded.js';
import { fmt, median, pct, type Row } from './lib/stats.js';
import { log, SEED, type BenchOptions } from './lib/options.js';


interface ServeReady {
  url: string;
  readyMs: number;
  rss: number;
}

async function token(url: string, role: string): Promise<string> {
  const r = await fetch(`${url}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: role, client_secret: role }).toString(),
  });
  if (r.status !== 200) throw new Error(`token for ${role} at ${url}: HTTP ${r.status}`);
  return ((await r.json()) as { access_token: string }).access_token;
}

/** Delivers every pending command (the fleet checks in): the time POST /sim/clock takes. */
async function deliverPending(url: string, simToken: string): Promise<number> {
  const started = performance.now();
  const r = await fetch(`${url}/sim/clock`, {
    method: 'POST',
    headers: { authorization: `Bearer ${simToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ advance: 'PT15M' }),
  });
  await r.arrayBuffer();
  if (r.status !== 200) throw new Error(`POST /sim/clock: HTTP ${r.status}`);
  return performance.now() - started;
}

interface Target {
  name: string;
  /** 0: one process; N: N shards behind HAProxy and the front. */
  shards: number;
  url: string;
  readyMs: number;
  /** RSS of each serving process at start. */
  rss: number[];
  stop(): Promise<void>;
  helpdesk: string;
  sim: string;
  offset: number;
  runs: LoadResult[];
  deliveries: Array<{ ms: number; accepted: number }>;
}

export async function httpSection(o: BenchOptions, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const size = o.quick ? 30_000 : 100_000;
  const durationSec = o.quick ? 2 : 5;
  const connections = 50;
  const children: Array<Child<unknown>> = [];
  const stops: Array<() => Promise<void>> = [];
  try {
    const hono = await forkChild<{ url: string }>('hono-server');
    children.push(hono);
    const loader = await forkChild<Record<string, never>>('loader');
    children.push(loader);
    const targets: Target[] = [];
    const shardCounts = haproxyAvailable() ? (o.quick ? [1, 2] : [1, 2, 4]) : [];
    if (shardCounts.length === 0) log('haproxy is not installed: the sharded figures are skipped (apt-get install haproxy)');
    for (const shards of [0, ...shardCounts]) {
      const name = shards === 0 ? 'lockstep serve' : `HAProxy + ${shards} shard${shards > 1 ? 's' : ''}`;
      log(`starting ${name} --devices ${size} --clock manual`);
      let target: Pick<Target, 'url' | 'readyMs' | 'rss' | 'stop'>;
      if (shards === 0) {
        const child = await forkChild<ServeReady>('serve-fleet', [String(size), String(SEED)]);
        target = { url: child.ready.url, readyMs: child.ready.readyMs, rss: [child.ready.rss], stop: () => child.stop() };
      } else {
        const fleet = await startShardedFleet(size, SEED, shards);
        target = { url: fleet.url, readyMs: fleet.readyMs, rss: fleet.shards.map((c) => c.ready.rss), stop: () => fleet.stop() };
      }
      stops.push(target.stop);
      targets.push({ name, shards, ...target, helpdesk: await token(target.url, 'helpdesk-operator'), sim: await token(target.url, 'sim-controller'), offset: 0, runs: [], deliveries: [] });
      log(`  ready in ${fmt(target.readyMs)} ms`);
    }
    const load = (spec: LoadSpec) => loader.ask<{ result: LoadResult }>({ type: 'run', spec }, 'result').then((m) => m.result);
    // The ceiling gets the reset's request mix (the same paths over the fleet's ids, the same
    // Authorization header), so the load generator costs both sides the same.
    const honoSpec: LoadSpec = { url: hono.ready.url, connections, durationSec, kind: 'resetPasscode', token: targets[0]!.helpdesk, fleet: { count: size, seed: SEED } };
    const resetSpec = (t: Target, seconds: number): LoadSpec => ({
      url: t.url,
      connections,
      durationSec: seconds,
      kind: 'resetPasscode',
      token: t.helpdesk,
      fleet: { count: size, seed: SEED, ...(t.shards > 0 ? { shards: t.shards } : {}) },
      offset: t.offset,
    });
    // Warm-up (JIT, connection pools); not counted.
    await load({ ...honoSpec, durationSec: 1 });
    for (const t of targets) {
      const warm = await load(resetSpec(t, 1));
      t.offset = warm.nextOffset;
      await deliverPending(t.url, t.sim);
    }
    const honoRuns: LoadResult[] = [];
    for (let r = 0; r < o.runs; r++) {
      const h = await load(honoSpec);
      honoRuns.push(h);
      log(`http run ${r + 1}: hono ${fmt(h.requestsPerSec)} req/s p99 ${h.p99} ms`);
      for (const t of targets) {
        const x = await load(resetSpec(t, durationSec));
        t.offset = x.nextOffset;
        t.runs.push(x);
        const ms = await deliverPending(t.url, t.sim);
        t.deliveries.push({ ms, accepted: x.statusCodes['204'] ?? 0 });
        log(`  ${t.name}: ${fmt(x.requestsPerSec)} req/s p50 ${x.p50} ms p99 ${x.p99} ms ${JSON.stringify(x.statusCodes)}; delivery ${fmt(ms)} ms`);
      }
    }
    const honoRps = median(honoRuns.map((h) => h.requestsPerSec));
    raw.http = { size, durationSec, connections, hono: honoRuns, targets: targets.map((t) => ({ name: t.name, readyMs: t.readyMs, rss: t.rss, runs: t.runs, deliveries: t.deliveries })) };
    rows.push({ section: 'http', figure: 'Hono ceiling: smallest JSON route, the reset\'s request mix (50 connections)', value: fmt(honoRps, 'req/s'), ceiling: '', ratio: '', target: '', ok: null, note: `p50 ${median(honoRuns.map((h) => h.p50))} ms, p99 ${median(honoRuns.map((h) => h.p99))} ms` });
    for (const t of targets) {
      const rps = median(t.runs.map((x) => x.requestsPerSec));
      const ratio = median(t.runs.map((x, i) => x.requestsPerSec / honoRuns[i]!.requestsPerSec));
      const p50 = median(t.runs.map((x) => x.p50));
      const p99 = median(t.runs.map((x) => x.p99));
      const codes: Record<string, number> = {};
      for (const x of t.runs) for (const [k, v] of Object.entries(x.statusCodes)) codes[k] = (codes[k] ?? 0) + v;
      const total = Object.values(codes).reduce((a, b) => a + b, 0);
      const share = Object.entries(codes).map(([k, v]) => `${k}: ${pct(v / total)}`).join(', ');
      const single = t.shards === 0;
      rows.push({
        section: 'http',
        figure: `resetPasscode over HTTP, ${fmt(size)} devices (${t.name})`,
        value: fmt(rps, 'req/s'),
        ceiling: fmt(honoRps, 'req/s'),
        ratio: pct(ratio),
        target: single ? '≥ 60% of Hono' : '',
        ok: single ? ratio >= 0.6 : null,
        note: `answers ${share} (204 accepted, 400 notSupported, 409 already pending); load generator: ${fmt(median(t.runs.map((x) => x.loaderCpuUsPerRequest)))} µs CPU per request (ceiling's: ${fmt(median(honoRuns.map((h) => h.loaderCpuUsPerRequest)))} µs)`,
      });
      rows.push({ section: 'http', figure: `  latency p50 / p99 (${t.name})`, value: `${p50} / ${p99} ms`, ceiling: '', ratio: '', target: single ? 'p99 ≤ 20 ms' : '', ok: single ? p99 <= 20 : null });
      const perSec = median(t.deliveries.map((d) => (d.accepted / d.ms) * 1000));
      rows.push({
        section: 'http',
        figure: `  fleet check-in after the load: deliveries/s (${t.name})`,
        value: fmt(perSec, '/s'),
        ceiling: '',
        ratio: '',
        target: '',
        ok: null,
        note: `POST /sim/clock PT15M delivering the accepted resets (${fmt(median(t.deliveries.map((d) => d.accepted)))} per run)`,
      });
      rows.push({
        section: 'http',
        figure: `  ${fmt(size)} devices ready (${t.name})`,
        value: fmt(t.readyMs / 1000, 's'),
        ceiling: '',
        ratio: '',
        target: '',
        ok: null,
        note: `RSS at start ${t.rss.map((b) => fmt(b / 2 ** 20)).join(' + ')} MiB${single ? '' : ' (per shard; HAProxy and the front not counted)'}`,
      });
    }
  } finally {
    await Promise.all([...stops.map((stop) => stop()), ...children.map((c) => c.stop())]);
  }
}
