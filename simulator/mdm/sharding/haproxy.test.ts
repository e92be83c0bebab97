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
import { runFuzz } from '../../../harness/fuzz/run-fuzz.js';
import { runSuite } from '../../../harness/runner.js';
import { httpTarget } from '../../../harness/targets.js';
import { SUITE } from '../../../scenarios/suite.js';
import { startServer, type RunningServer } from '../serve.js';
import { startFront, type RunningFront } from './front-server.js';
import { haproxyConfig } from './haproxy-config.js';

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

describe.skipIf(haproxyMissing)('three shards behind HAProxy and the front', () => {
  let single: RunningServer;
  let shards: RunningServer[];
  let front: RunningFront;
  let haproxy: ChildProcess;
  let dir: string;
  let url: string;
  const frontLog: string[] = [];

  beforeAll(async () => {
    const base = { port: 0, host: '127.0.0.1', devices: 60, seed: 3, clock: 'manual' as const, signingKey: 'a-key-every-shard-shares' };
    [single, ...shards] = await Promise.all([startServer(base), ...[0, 1, 2].map((index) => startServer({ ...base, shard: { index, count: 3 } }))]);
    front = await startFront({ shards: shards.map((s) => s.url), port: 0, host: '127.0.0.1', log: (line) => frontLog.push(line) });
    dir = await mkdtemp(join(tmpdir(), 'lockstep-haproxy-'));
    const port = await freePort();
    const config = join(dir, 'haproxy.cfg');
    await writeFile(config, haproxyConfig({ shards: shards.map((s) => hostPort(s.url)), front: hostPort(front.url), bind: `127.0.0.1:${port}` }));
    haproxy = spawn(HAPROXY, ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
    url = `http://127.0.0.1:${port}`;
    // Wait until HAProxy accepts connections and routes (a real process starting, not a simulated interval).
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await fetch(`${url}/openapi.json`)).status === 200) break;
      } catch {
        // not listening yet
      }
      if (attempt > 100 || haproxy.exitCode !== null) throw new Error(`haproxy did not start (exit ${haproxy.exitCode})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }, 30_000);

  afterAll(async () => {
    haproxy?.kill('SIGTERM');
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
