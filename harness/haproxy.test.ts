/**
 * The sharded path end to end with a real HAProxy: three `--shard K/3` servers, the aggregating
 * front and HAProxy configured by `haproxyConfig`, on loopback. The conformance suite and the
 * fuzzer give the same results through it as against one process, and device-addressed requests
 * never reach the front.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from './fuzz/run-fuzz.js';
import { runSuite } from './runner.js';
import { httpTarget } from './targets.js';
import { selectScenarios, SUITE } from '../scenarios/suite.js';
import { startServer, type RunningServer } from '../simulator/mdm/serve.js';
import { startFront, type RunningFront } from '../simulator/mdm/sharding/front-server.js';
import { haproxyConfig } from '../simulator/mdm/sharding/haproxy-config.js';

const HAPROXY = process.env.LOCKSTEP_HAPROXY ?? 'haproxy';
const haproxyMissing = spawnSync(HAPROXY, ['-v']).status !== 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const hostPort = (url: string) => new URL(url).host;

/** Starts HAProxy on a free loopback port with this configuration (`BIND` stands for the address); resolves once it routes. */
async function startHaproxy(dir: string, name: string, config: string): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const file = join(dir, name);
  await writeFile(file, config.replace('BIND', `127.0.0.1:${port}`));
  const child = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const url = `http://127.0.0.1:${port}`;
  // Wait until HAProxy accepts connections and routes (a real process starting, not a simulated interval).
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${url}/openapi.json`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (attempt > 100 || child.exitCode !== null) throw new Error(`haproxy did not start (exit ${child.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { url, process: child };
}

describe.skipIf(haproxyMissing)('three shards behind HAProxy and the front', () => {
  let single: RunningServer;
  let shards: RunningServer[];
  let front: RunningFront;
  let haproxy: ChildProcess;
  let wrong: ChildProcess | undefined;
  let dir: string;
  let url: string;
  const frontLog: string[] = [];

  beforeAll(async () => {
    const base = { port: 0, host: '127.0.0.1', devices: 60, seed: 3, clock: 'manual' as const, signingKey: 'a-key-every-shard-shares' };
    [single, ...shards] = await Promise.all([startServer(base), ...[0, 1, 2].map((index) => startServer({ ...base, shard: { index, count: 3 } }))]);
    front = await startFront({ shards: shards.map((s) => s.url), port: 0, host: '127.0.0.1', log: (line) => frontLog.push(line) });
    dir = await mkdtemp(join(tmpdir(), 'lockstep-haproxy-'));
    const started = await startHaproxy(dir, 'haproxy.cfg', haproxyConfig({ shards: shards.map((s) => hostPort(s.url)), front: hostPort(front.url), bind: 'BIND' }));
    url = started.url;
    haproxy = started.process;
  }, 30_000);

  afterAll(async () => {
    haproxy?.kill('SIGTERM');
    wrong?.kill('SIGTERM');
    await Promise.all([single?.close(), front?.close(), ...(shards ?? []).map((s) => s.close())]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs the conformance suite with the same outcome for every scenario as one process, device requests bypassing the front', async () => {
    const outcomes = async (target: string) => {
      const { client, description } = await httpTarget(target);
      const run = await runSuite({ scenarios: [...SUITE], client, target: description, seed: 1, concurrency: 8, version: 'test' });
      return Object.fromEntries(run.scenarios.map((s) => [s.id, `${s.outcome} ${s.findings.map((f) => f.requirement).sort().join(',')}`]));
    };
    const one = await outcomes(single.url);
    frontLog.length = 0;
    const through = await outcomes(url);
    expect(Object.keys(through)).toHaveLength(SUITE.length);
    expect(through).toEqual(one);
    expect(Object.values(one).filter((o) => o.startsWith('pass')).length).toBeGreaterThan(SUITE.length / 2);
    // HAProxy sent every action and device event straight to its shard; the front saw fleet-wide paths only.
    expect(frontLog.filter((line) => /\/managedDevices\/[^/ ?]+\/(resetPasscode|remoteLock|wipe) |\/sim\/devices\/[^/ ]+\/events /.test(line))).toEqual([]);
    expect(frontLog.some((line) => line.startsWith('POST /sim/devices '))).toBe(true);
  }, 240_000);

  it('catches a plausible wrong deployment: a balancer spreading requests round-robin over the shards, not by device id', async () => {
    const shardServers = shards.map((s, k) => `    server shard_${k} ${hostPort(s.url)}`).join('\n');
    const started = await startHaproxy(dir, 'round-robin.cfg', `defaults\n    mode http\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\nfrontend lockstep\n    bind BIND\n    default_backend shards\nbackend shards\n    balance roundrobin\n${shardServers}\n`);
    wrong = started.process;
    const { client, description } = await httpTarget(started.url);
    const scenarios = selectScenarios(SUITE, { ids: ['reset/*'] });
    const run = await runSuite({ scenarios, client, target: description, seed: 1, concurrency: 4, version: 'test' });
    const broken = run.scenarios.filter((r) => r.outcome !== 'pass');
    // Most device requests land on a shard that does not hold the device: enrollments, resets and check-ins go astray.
    expect(broken.length).toBeGreaterThan(scenarios.length / 2);
  }, 120_000);

  it('fuzzes to the same result as one process', async () => {
    const fuzz = async (target: string) => {
      const result = await runFuzz({ target: await httpTarget(target), runs: 25, seed: 42, maxCommands: 20 });
      return { runs: result.runs, steps: result.steps, failures: result.failures.map((f) => `${f.requirement} ${f.check}`) };
    };
    const one = await fuzz(single.url);
    const through = await fuzz(url);
    expect(one.failures).toEqual([]);
    expect(through).toEqual(one);
    expect(one.steps).toBeGreaterThan(25);
  }, 240_000);
});

describe.runIf(haproxyMissing)('HAProxy', () => {
  it.skip(`is not installed (${HAPROXY}); .ci/run installs Debian's haproxy`, () => {});
});
