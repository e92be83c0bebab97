import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { scenario } from '../scenarios/dsl.js';
import { startServer, type RunningServer } from '../simulator/mdm/serve.js';
import { LockstepClient } from './client.js';
import { parseRunArgs, runCommand } from './run-command.js';
import { runSuite } from './runner.js';
import { UsageError } from '../contract/usage-error.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** A target that accepts connections and never answers (the hanging target). */
async function silentTarget(): Promise<string> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

describe('harness timeouts', () => {
  it('--request-timeout ends the wait on a target that accepts and never answers (exit 2, one line naming it)', async () => {
    const url = await silentTarget();
    const started = Date.now();
    const failure = await runCommand(parseRunArgs(['--target', url, '--request-timeout', '1', '--no-reports', '--no-ui']), { write: () => {} }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UsageError);
    expect((failure as Error).message).toMatch(/no answer from http:\/\/127\.0\.0\.1:\d+ within 1 s \(--request-timeout\)/);
    // Bounded by the timeout, not by a 300 s socket default (a generous bound: the CPU is shared).
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('rejects a --request-timeout or --scenario-timeout that is not a positive whole number', () => {
    expect(() => parseRunArgs(['--request-timeout', '0'])).toThrow(UsageError);
    expect(() => parseRunArgs(['--scenario-timeout', 'soon'])).toThrow(UsageError);
    expect(parseRunArgs([]).requestTimeoutMs).toBe(30_000);
  });

  it('a scenario that never finishes ends in error after the per-scenario timeout; the others still run', async () => {
    const stuck = scenario({ id: 'test/stuck', title: 'never ends', area: 'action-status', requirements: ['ST-1'], tags: [], run: () => new Promise<void>(() => {}) });
    const quick = scenario({ id: 'test/quick', title: 'ends', area: 'action-status', requirements: ['ST-1'], tags: [], run: async (t) => {
      t.check('ST-1', 'one', 1, 1);
    } });
    const run = await runSuite({ scenarios: [stuck, quick], client: new LockstepClient({ baseUrl: 'http://127.0.0.1:9' }), target: { kind: 'embedded' }, seed: 1, version: 'test', scenarioTimeoutMs: 100 });
    expect(run.scenarios.map((s) => [s.id, s.outcome])).toEqual([['test/stuck', 'error'], ['test/quick', 'pass']]);
    expect(run.scenarios[0]!.message).toMatch(/did not finish within 0\.1 s \(--scenario-timeout\)/);
  });

  it('a target that dies mid-run ends the run inconclusive with exit status 2', async () => {
    const server: RunningServer = await startServer({ port: 0, host: '127.0.0.1', devices: 0, seed: 1, clock: 'manual' });
    cleanups.push(() => server.close());
    let results = 0;
    const lines: string[] = [];
    const outcome = await runCommand(parseRunArgs(['--target', server.url, '--tag', 'android', '--concurrency', '2', '--request-timeout', '5', '--no-reports']), {
      write: (line) => void lines.push(line),
      listener: (event) => {
        if (event.type === 'result' && ++results === 3) void server.close();
      },
    });
    expect(outcome.status).toBe(2);
    expect(outcome.run!.scenarios.some((s) => s.outcome === 'error')).toBe(true);
    expect(outcome.run!.scenarios.every((s) => s.outcome !== 'fail')).toBe(true);
    expect(lines.at(-1)).toMatch(/^verdict: Inconclusive: the target stopped answering/);
  });
});
