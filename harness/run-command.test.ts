import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../simulator/mdm/serve.js';
import { findSecretLike } from '../reports/secrets.js';
import { APPLE_MDM_SCENARIOS } from '../scenarios/apple-mdm.scenarios.js';
import { SUITE } from '../scenarios/suite.js';
import { main } from './cli.js';
import { parseRunArgs, runCommand, type RunCommandOptions } from './run-command.js';
import { runSuite } from './runner.js';
import { embeddedTarget } from './targets.js';
import { UsageError } from '../contract/usage-error.js';

const lines: string[] = [];
const io = { write: (line: string) => void lines.push(line) };

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lockstep-run-'));
}

function options(argv: string[]): RunCommandOptions {
  return parseRunArgs(argv);
}

describe('lockstep run: bad input', () => {
  it.each([
    [['--seed', 'abc'], /--seed must be a whole number/],
    [['--concurrency', '0'], /--concurrency must be a whole number from 1/],
    [['--bogus'], /Unknown option '--bogus'/],
    [['extra'], /Unexpected argument 'extra'|does not take positional/i],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseRunArgs(argv)).toThrow(UsageError);
    expect(() => parseRunArgs(argv)).toThrow(message);
  });

  it('an unknown command is a usage error', async () => {
    await expect(main(['frobnicate'])).rejects.toThrow(/unknown command 'frobnicate'/);
  });

  it('a selection that matches nothing is a usage error', async () => {
    await expect(runCommand(options(['--requirement', 'XX-99', '--no-reports']), io)).rejects.toThrow(UsageError);
  });

  it('--credentials without --target is a usage error', async () => {
    await expect(runCommand(options(['--credentials', 'x.json', '--no-reports']), io)).rejects.toThrow(/--credentials goes with --target/);
  });

  it('an unreachable target is a usage error naming it', async () => {
    await expect(runCommand(options(['--target', 'http://127.0.0.1:1', '--no-reports']), io)).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:1/);
  });

  it('a target that is not a URL is a usage error', async () => {
    await expect(runCommand(options(['--target', 'not a url', '--no-reports']), io)).rejects.toThrow(/is not a URL/);
  });

  it('a bad expectations file is a usage error', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'x.json'), '{"expectedFailures":[{"scenario":"no/such/scenario"}]}');
    await expect(runCommand(options(['--expectations', join(dir, 'x.json'), '--no-reports']), io)).rejects.toThrow(/unknown scenario "no\/such\/scenario"/);
  });

  it('--apple-api-key goes with --target only', () => {
    expect(() => parseRunArgs(['--apple-api-key', 'k'])).toThrow(/--apple-api-key goes with --target/);
  });

  it('a --rerun-failed file that is not a report is a usage error', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'r.json'), '{"hello":1}');
    await expect(runCommand(options(['--rerun-failed', join(dir, 'r.json'), '--no-reports']), io)).rejects.toThrow(/--rerun-failed/);
  });
});

describe('lockstep run against lockstep serve over real HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', devices: 0, seed: 1, clock: 'manual', appleApiKey: 'http-test-key' });
  });
  afterAll(async () => server?.close());

  it('gives the same result as the embedded target, and writes the four reports', async () => {
    const dir = await tempDir();
    // --apple-api-key: the served reference's Apple side too, so the run is the embedded default's (Graph suite and apple-mdm area).
    const overHttp = await runCommand(options(['--target', server.url, '--apple-api-key', 'http-test-key', '--out', dir]), io);
    const embedded = await runCommand(options(['--no-reports']), io);
    expect(overHttp.status).toBe(0);
    expect(overHttp.run!.summary.pass).toBe(SUITE.length + APPLE_MDM_SCENARIOS.length);
    expect(overHttp.run!.scenarios.filter((s) => s.area === 'apple-mdm').map((s) => s.outcome)).toEqual(APPLE_MDM_SCENARIOS.map(() => 'pass'));
    expect(overHttp.run!.scenarios.map((s) => [s.id, s.outcome])).toEqual(embedded.run!.scenarios.map((s) => [s.id, s.outcome]));
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8');
    // Every scenario, and the verdict's own test case.
    expect(junit).toContain(`<testsuites name="lockstep" tests="${SUITE.length + APPLE_MDM_SCENARIOS.length + 1}" failures="0" errors="0"`);
    const json = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    expect(json.target).toEqual({ kind: 'http', url: server.url });
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain('Conformant');
    expect(await readFile(join(dir, 'report.html'), 'utf8')).toContain('<html');
    expect(lines.at(-1)).toBe(`verdict: Conformant: every MUST passes (${SUITE.length + APPLE_MDM_SCENARIOS.length} passed, 0 failed of ${SUITE.length + APPLE_MDM_SCENARIOS.length})`);
  }, 180_000);
});

describe('reports never hold a secret', () => {
  it('no temporary passcode or PIN the target showed appears in any report', async () => {
    const secrets = new Set<string>();
    const target = await embeddedTarget({
      seed: 3,
      wrapFetch: (fetch) => async (request) => {
        const response = await fetch(request);
        const text = await response.clone().text();
        for (const m of text.matchAll(/"(?:passcode|unlockPin)":"([^"]+)"/g)) secrets.add(m[1]!);
        return response;
      },
    });
    try {
      const run = await runSuite({ scenarios: [...SUITE, ...APPLE_MDM_SCENARIOS], client: target.client, target: target.description, seed: 3, version: 'test', ...(target.apple ? { apple: target.apple } : {}) });
      const { writeReports } = await import('../reports/write-reports.js');
      const dir = await tempDir();
      const paths = await writeReports(run, dir);
      expect(secrets.size).toBeGreaterThan(100);
      for (const path of Object.values(paths)) {
        expect(findSecretLike(await readFile(path, 'utf8'), [...secrets]), path).toEqual([]);
      }
    } finally {
      await target.close();
    }
  });
});

describe('selection, rerun and expectations', () => {
  it('--rerun-failed runs only what failed in a report', async () => {
    const dir = await tempDir();
    const first = await runCommand(options(['--id', 'reset/*', '--out', dir]), io);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8'));
    report.scenarios[0].outcome = 'fail';
    await writeFile(join(dir, 'edited.json'), JSON.stringify(report));
    const rerun = await runCommand(options(['--rerun-failed', join(dir, 'edited.json'), '--no-reports']), io);
    expect(rerun.run!.scenarios.map((s) => s.id)).toEqual([first.run!.scenarios[0]!.id]);
  });

  it('an expected failure that passes is reported as an unexpected pass; a skip is skipped', async () => {
    const dir = await tempDir();
    await writeFile(
      join(dir, 'vendor.json'),
      JSON.stringify({ expectedFailures: [{ scenario: 'reset/windows/not-supported', reason: 'MDM-1' }], skip: [{ scenario: 'reset/macos/not-supported', reason: 'no macOS' }] }),
    );
    const { run, status } = await runCommand(options(['--id', 'reset/windows/*', '--id', 'reset/macos/*', '--expectations', join(dir, 'vendor.json'), '--no-reports']), io);
    expect(status).toBe(0);
    const byId = new Map(run!.scenarios.map((s) => [s.id, s]));
    expect(byId.get('reset/windows/not-supported')?.expectation).toBe('unexpected-pass');
    expect(byId.get('reset/macos/not-supported')?.outcome).toBe('skip');
    expect(run!.summary.unexpectedPasses).toBe(1);
  });
});

describe('--scenario-file', () => {
  it('replays a fuzz reproducer (.json) instead of the suite', async () => {
    const dir = await tempDir();
    const file = join(dir, 'fuzz-dl-6-1.json');
    await writeFile(
      file,
      JSON.stringify({
        lockstep: 'fuzz-reproducer',
        version: 1,
        seed: 1,
        requirement: 'DL-6',
        steps: [
          { op: 'enroll', spec: { variant: 'android-da-modern' } },
          { op: 'act', device: 0, action: 'resetPasscode', role: 'helpdesk-operator' },
          { op: 'event', device: 0, event: { type: 'checkIn' } },
        ],
      }),
    );
    const { run, status } = await runCommand(options(['--scenario-file', file, '--no-reports']), io);
    expect(run!.scenarios.map((s) => [s.id, s.outcome])).toEqual([['fuzz/dl-6/1', 'pass']]);
    expect(status).toBe(0);
  });

  it('refuses a .ts file and a file that is not a reproducer, in one line', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'x.json'), '{"steps": 3}');
    await expect(runCommand(options(['--scenario-file', join(dir, 'x.ts'), '--no-reports']), io)).rejects.toThrow(/compiled \.js module/);
    await expect(runCommand(options(['--scenario-file', join(dir, 'x.json'), '--no-reports']), io)).rejects.toThrow(/not a lockstep fuzz reproducer/);
  });
});

describe('determinism', () => {
  it('the same seed gives the same report apart from timestamps and durations', async () => {
    const strip = (run: unknown) =>
      JSON.stringify(run, (key, value) => (['startedAt', 'finishedAt', 'durationMs'].includes(key) ? undefined : value));
    const first = await runCommand(options(['--id', 'fleet/lock-mixed-1000', '--id', 'token-activation/*', '--seed', '5', '--no-reports']), io);
    const second = await runCommand(options(['--id', 'fleet/lock-mixed-1000', '--id', 'token-activation/*', '--seed', '5', '--no-reports']), io);
    expect(first.run!.scenarios.length).toBeGreaterThan(2);
    expect(strip(second.run)).toBe(strip(first.run));
  });
});
