/**
 * A sharded fleet for the bench: N `lockstep serve --shard K/N` processes, the aggregating front
 * and HAProxy (Debian's `haproxy`) configured by `lockstep balancer-config`, all on loopback.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyConfig } from '../../simulator/mdm/sharding/haproxy-config.js';
import { forkChild, type Child } from './children.js';

export interface ShardReady {
  url: string;
  readyMs: number;
  rss: number;
  heapUsed: number;
}

export interface ShardedFleet {
  url: string;
  shards: Array<Child<ShardReady>>;
  /** Wall time until every shard, the front and HAProxy answered. */
  readyMs: number;
  stop(): Promise<void>;
}

export const haproxyAvailable = (): boolean => spawnSync('haproxy', ['-v']).status === 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `execArgv`: Node flags for each shard process (a larger heap for big fleets). */
export async function startShardedFleet(devices: number, seed: number, count: number, execArgv: string[] = []): Promise<ShardedFleet> {
  const started = performance.now();
  const key = `bench-signing-key-${process.pid}-${Date.now()}`;
  const shards = await Promise.all(Array.from({ length: count }, (_, k) => forkChild<ShardReady>('serve-fleet', [String(devices), String(seed), `${k}/${count}`, key], execArgv)));
  const front = await forkChild<{ url: string }>('front', shards.map((s) => s.ready.url));
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-bench-haproxy-'));
  const port = await freePort();
  const config = join(dir, 'haproxy.cfg');
  writeFileSync(config, haproxyConfig({ shards: shards.map((s) => new URL(s.ready.url).host), front: new URL(front.ready.url).host, bind: `127.0.0.1:${port}` }));
  const haproxy: ChildProcess = spawn('haproxy', ['-db', '-f', config], { stdio: ['ignore', 'ignore', 'inherit'] });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; ; attempt++) {
    try {
      if ((await fetch(`${url}/openapi.json`)).status === 200) break;
    } catch {
      // not yet listening
    }
    if (attempt > 200 || haproxy.exitCode !== null) throw new Error(`haproxy did not start (exit ${haproxy.exitCode})`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const readyMs = performance.now() - started;
  return {
    url,
    shards,
    readyMs,
    async stop() {
      haproxy.kill('SIGTERM');
      await Promise.all([front.stop(), ...shards.map((s) => s.stop())]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
