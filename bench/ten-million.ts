/**
 * The 10M run (not in CI: minutes and most of a 24 GB machine): a seeded fleet served by
 * `--shard K/N` processes behind HAProxy and the front, for N = 4, 2 and 1 shards.
 *
 *   npm run build && node dist/bench/ten-million.js [--devices 10000000] [--shards 4,2,1] [--seconds 5] [--reset first|none]
 *
 * For each N: time to ready and RSS per shard; fleet-wide `$count` through HAProxy (must be
 * exact); devices reached by id through HAProxy (the first and last of every shard, plus a
 * seeded sample); resetPasscode req/s through HAProxy (autocannon, 50 connections). For the
 * first N: the fleet-wide reset of the whole population on every shard at once, each device
 * checked against the support table after the PT15M simulated deadline. Prints one line per
 * figure and writes bench/ten-million.json (an earlier run's entries for other shard counts are kept).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { generateDevice } from '../simulator/fleet-generator.js';
import { sliceOf } from '../simulator/mdm/sharding/slices.js';
import type { LoadResult } from './children/loader.js';
import type { FleetResetResult } from './fleet-reset.js';
import { forkChild } from './lib/children.js';
import { haproxyAvailable, startShardedFleet } from './lib/sharded.js';
import { fmt } from './lib/stats.js';

const SEED = 7;
const say = (line: string) => process.stdout.write(`${line}\n`);

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

async function token(url: string, role: string): Promise<string> {
  const r = await fetch(`${url}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: role, client_secret: role }).toString(),
  });
  return ((await r.json()) as { access_token: string }).access_token;
}

/** Device #i's id as the shard holding it generated it. */
function idOf(i: number, devices: number, shards: number): string {
  for (let k = 0; k < shards; k++) {
    const slice = sliceOf(k, shards, devices);
    if (i < slice.start + slice.count) return generateDevice(SEED, i, undefined, undefined, undefined, k).id;
  }
  throw new RangeError(`no device #${i}`);
}

async function main(): Promise<void> {
  const devices = Number(option('devices', '10000000'));
  const shardCounts = option('shards', '4,2,1').split(',').map(Number);
  const seconds = Number(option('seconds', '5'));
  const resetFirst = option('reset', 'first') !== 'none';
  if (!haproxyAvailable()) throw new Error('haproxy is not installed (apt-get install haproxy)');
  say(`10M run: ${fmt(devices)} devices, seed ${SEED}, shards ${shardCounts.join(', ')}; ${cpus().length} CPUs, ${fmt(freemem() / 2 ** 30)} of ${fmt(totalmem() / 2 ** 30)} GiB free`);
  const report: Array<Record<string, unknown>> = [];
  const loader = await forkChild<Record<string, never>>('loader');
  try {
    for (const [round, shards] of shardCounts.entries()) {
      // ~1.3 KB of heap per device leaves room for the reset's audits and passcodes.
      const heapMb = Math.ceil(((devices / shards) * 1300) / 2 ** 20) + 512;
      const fleet = await startShardedFleet(devices, SEED, shards, [`--max-old-space-size=${heapMb}`]);
      const entry: Record<string, unknown> = { shards, readyMs: fleet.readyMs, perShard: fleet.shards.map((s) => ({ readyMs: s.ready.readyMs, rss: s.ready.rss, heapUsed: s.ready.heapUsed })) };
      say(`\n${shards} shard(s): ready in ${fmt(fleet.readyMs / 1000)} s (HAProxy answering); per shard: ${fleet.shards.map((s) => `${fmt(s.ready.readyMs / 1000)} s, RSS ${fmt(s.ready.rss / 2 ** 20)} MiB, heap ${fmt(s.ready.heapUsed / (devices / shards))} B/device`).join('; ')}`);
      try {
        const admin = await token(fleet.url, 'intune-administrator');
        const headers = { authorization: `Bearer ${admin}` };
        let started = performance.now();
        const counted = (await (await fetch(`${fleet.url}/v1.0/deviceManagement/managedDevices?$count=true&$top=1&$select=id`, { headers })).json()) as { '@odata.count': number };
        entry.count = counted['@odata.count'];
        say(`  $count through HAProxy: ${fmt(counted['@odata.count'])} (${counted['@odata.count'] === devices ? 'exact' : 'WRONG'}) in ${fmt(performance.now() - started)} ms`);
        // Reachable by id: every shard's first and last device and a seeded sample.
        const indexes = new Set<number>();
        for (let k = 0; k < shards; k++) {
          const slice = sliceOf(k, shards, devices);
          indexes.add(slice.start).add(slice.start + slice.count - 1);
        }
        let x = 12345;
        while (indexes.size < 2000 + 2 * shards) indexes.add((x = (Math.imul(x, 1103515245) + 12345) >>> 0) % devices);
        started = performance.now();
        let reached = 0;
        const list = [...indexes];
        await Promise.all(Array.from({ length: 16 }, async (_, w) => {
          for (let i = w; i < list.length; i += 16) {
            const r = await fetch(`${fleet.url}/v1.0/deviceManagement/managedDevices/${idOf(list[i]!, devices, shards)}?$select=id`, { headers });
            await r.arrayBuffer();
            if (r.status === 200) reached++;
          }
        }));
        entry.reached = { sampled: list.length, reached };
        say(`  reached by id through HAProxy: ${fmt(reached)} of ${fmt(list.length)} sampled devices in ${fmt(performance.now() - started)} ms`);
        const helpdesk = await token(fleet.url, 'helpdesk-operator');
        const { result: load } = await loader.ask<{ result: LoadResult }>({ type: 'run', spec: { url: fleet.url, connections: 50, durationSec: seconds, kind: 'resetPasscode', token: helpdesk, fleet: { count: devices, seed: SEED, shards, sample: 1_000_000 } } }, 'result');
        entry.load = load;
        say(`  resetPasscode through HAProxy: ${fmt(load.requestsPerSec)} req/s, p50 ${load.p50} ms, p99 ${load.p99} ms, ${JSON.stringify(load.statusCodes)}; load generator ${fmt(load.loaderCpuUsPerRequest)} µs CPU/request`);
        if (round === 0 && resetFirst) {
          started = performance.now();
          const resets = await Promise.all(fleet.shards.map((s) => s.ask<{ result: Omit<FleetResetResult, 'mismatches'> & { mismatches: string[] }; rss: number }>({ type: 'fleetReset' }, 'fleetReset')));
          const sum = (key: 'devices' | 'done' | 'failed' | 'notSupported' | 'pending' | 'mismatchCount') => resets.reduce((n, r) => n + r.result[key], 0);
          entry.fleetReset = { wallMs: performance.now() - started, shards: resets };
          say(`  fleet-wide reset of all ${fmt(sum('devices'))} devices (every shard at once, in-process): ${fmt((performance.now() - started) / 1000)} s; ${fmt(sum('done'))} done, ${fmt(sum('failed'))} failed, ${fmt(sum('notSupported'))} notSupported, ${fmt(sum('pending'))} pending (offline); ${sum('mismatchCount') === 0 ? 'every device as expected within PT15M' : `${fmt(sum('mismatchCount'))} NOT as expected`}; RSS after ${resets.map((r) => fmt(r.rss / 2 ** 20)).join(' + ')} MiB`);
        }
      } finally {
        await fleet.stop();
      }
      report.push(entry);
    }
  } finally {
    await loader.stop();
  }
  const file = fileURLToPath(new URL('../../bench/ten-million.json', import.meta.url));
  // Runs for other shard counts (taken on another day, or with --shards 4 alone) stay in the file.
  let earlier: Array<Record<string, unknown>> = [];
  try {
    const previous = JSON.parse(readFileSync(file, 'utf8')) as { devices?: number; report?: Array<Record<string, unknown>> };
    if (previous.devices === devices) earlier = (previous.report ?? []).filter((e) => !shardCounts.includes(e.shards as number)).map((e) => ({ ...e, date: e.date ?? (previous as { date?: string }).date }));
  } catch {
    // no earlier run
  }
  const date = new Date().toISOString();
  const merged: Array<Record<string, unknown>> = [...earlier, ...report.map((e) => ({ ...e, date }))];
  merged.sort((a, b) => (b.shards as number) - (a.shards as number));
  writeFileSync(file, JSON.stringify({ date, devices, seed: SEED, cpus: cpus().length, report: merged }, null, 2) + '\n');
  say(`\nresults: ${file}`);
}

main().catch((error: unknown) => {
  process.stderr.write(`10M run failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
