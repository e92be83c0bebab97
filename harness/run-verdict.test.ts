import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findSecretLike } from '../reports/secrets.js';
import { verdictOf } from '../reports/verdict.js';
import { writeReports } from '../reports/write-reports.js';
import { SUITE, selectScenarios } from '../scenarios/suite.js';
import { startServer } from '../simulator/mdm/serve.js';
import { diffCommand } from './diff-command.js';
import { parseRunArgs, runCommand } from './run-command.js';
import { runSuite, type RunEvent } from './runner.js';
import { embeddedTarget } from './targets.js';
import { WRONG_TARGETS } from './test-support/wrong-targets.js';
import { UsageError } from '../contract/usage-error.js';

// End to end: real runs, real report files. Each verdict case must agree across the exit
// status, the CLI's last line and the four reports on disk.

const tempDir = () => mkdtemp(join(tmpdir(), 'lockstep-verdict-'));

async function reportsOn(dir: string) {
  return {
    json: JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')),
    md: await readFile(join(dir, 'report.md'), 'utf8'),
    html: await readFile(join(dir, 'report.html'), 'utf8'),
    junit: await readFile(join(dir, 'junit.xml'), 'utf8'),
  };
}

async function expectAgreement(dir: string, lines: string[], status: number, kind: string, title: string) {
  const r = await reportsOn(dir);
  const verdict = verdictOf(r.json);
  expect(verdict.kind).toBe(kind);
  expect(verdict.exitStatus).toBe(status);
  expect(lines.at(-1)).toBe(verdict.lastLine);
  expect(lines.at(-1)).toMatch(new RegExp(`^verdict: ${title}`));
  expect(r.md.split('\n')[2]).toContain(verdict.headline);
  expect(r.html).toContain(`<section class="verdict ${kind}"`);
  expect(r.junit).toContain(`<property name="verdict" value="${kind}"/>`);
}

describe('verdict cases through lockstep run', () => {
  it('with an expectations file (an expected failure and a skip): pass, exit 0, and every report says so', async () => {
    const dir = await tempDir();
    // Against a wrong target the listed scenario really fails; the vendor lists it.
    await writeFile(join(dir, 'vendor.json'), JSON.stringify({
      expectedFailures: [{ scenario: 'reset/android-da-modern/not-supported', reason: 'MDM-1' }],
      skip: [{ scenario: 'reset/macos/not-supported', reason: 'no macOS' }],
    }));
    const lines: string[] = [];
    const options = parseRunArgs(['--id', 'reset/android-da-modern/not-supported', '--id', 'reset/macos/*', '--id', 'reset/windows/*', '--expectations', join(dir, 'vendor.json'), '--out', dir]);
    const target = await embeddedTarget({ seed: 1, wrapFetch: WRONG_TARGETS.reportsDoneForModernDeviceAdminReset });
    const { status, run } = await runCommand(options, { write: (l) => void lines.push(l) }, { openTarget: async () => target });
    expect(run!.scenarios.find((s) => s.id === 'reset/android-da-modern/not-supported')).toMatchObject({ outcome: 'fail', expectation: 'expected-failure' });
    expect(status).toBe(0);
    await expectAgreement(dir, lines, 0, 'pass', 'Conformant except known deviations');
  });

  it('stopped by the user: interrupted, exit 5, reports cover what ran', async () => {
    const dir = await tempDir();
    const lines: string[] = [];
    const controller = new AbortController();
    const listener = (event: RunEvent) => {
      if (event.type === 'result') controller.abort(new Error('stopped from the terminal UI'));
    };
    const { status, run } = await runCommand(parseRunArgs(['--id', 'reset/*', '--concurrency', '1', '--out', dir]), { write: (l) => void lines.push(l), listener, signal: controller.signal });
    expect(run!.scenarios.length).toBeLessThan(selectScenarios(SUITE, { ids: ['reset/*'] }).length);
    expect(run!.incomplete?.reason).toBe('interrupted');
    expect(status).toBe(5);
    await expectAgreement(dir, lines, 5, 'interrupted', 'Interrupted');
  });

  it('a target that stops answering ends the run early as inconclusive, exit 2', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', devices: 0, seed: 1, clock: 'manual' });
    const dir = await tempDir();
    const lines: string[] = [];
    let results = 0;
    let closing: Promise<void> | null = null;
    const listener = (event: RunEvent) => {
      if (event.type === 'result' && ++results === 2) closing = server.close();
    };
    const planned = selectScenarios(SUITE, { ids: ['reset/*'] }).length;
    const { status, run } = await runCommand(parseRunArgs(['--target', server.url, '--id', 'reset/*', '--concurrency', '1', '--out', dir]), { write: (l) => void lines.push(l), listener });
    await closing;
    expect(run!.incomplete?.reason).toBe('target-unresponsive');
    // Stopped after a few unanswered scenarios rather than hitting the dead target for every one.
    expect(run!.summary.error).toBeLessThanOrEqual(3);
    expect(run!.scenarios.length).toBeLessThan(planned);
    expect(status).toBe(2);
    await expectAgreement(dir, lines, 2, 'inconclusive', 'Inconclusive');
  });
});

describe('options are checked before any work', () => {
  it('an --out that cannot be written is a usage error before the target is touched', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a-file'), 'x');
    const started = performance.now();
    // The target is unreachable: had the run begun, that would be the error.
    for (const out of [join(dir, 'a-file'), join(dir, 'a-file', 'below'), '/proc/lockstep-report']) {
      await expect(runCommand(parseRunArgs(['--target', 'http://127.0.0.1:1', '--out', out]), { write: () => undefined })).rejects.toThrow(/--out .* (is not a writable directory|kernel file system)/);
    }
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('a --baseline that is not a report is a usage error', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'b.json'), '{"schemaVersion": 1}');
    await expect(runCommand(parseRunArgs(['--baseline', join(dir, 'b.json'), '--no-reports']), { write: () => undefined })).rejects.toThrow(UsageError);
  });

  it('--rerun-failed on a green report says there is nothing to rerun and exits 0', async () => {
    const dir = await tempDir();
    await runCommand(parseRunArgs(['--id', 'reset/windows/*', '--out', dir]), { write: () => undefined });
    const lines: string[] = [];
    const { status, run } = await runCommand(parseRunArgs(['--rerun-failed', join(dir, 'report.json'), '--no-reports']), { write: (l) => void lines.push(l) });
    expect(status).toBe(0);
    expect(run).toBeNull();
    expect(lines).toEqual([`nothing to rerun: every scenario in ${join(dir, 'report.json')} passed or was skipped`]);
  });
});

describe('lockstep diff and --baseline, from a right and a wrong server', () => {
  it('names the new failures, the fixed ones and what still fails, by requirement and variant', async () => {
    const dir = await tempDir();
    const ids = ['reset/android-da-modern/*', 'reset/android-da-legacy/*', 'roles/read-only-operator/*'];
    const scenarios = selectScenarios(SUITE, { ids });
    const runOn = async (wrap?: (typeof WRONG_TARGETS)[keyof typeof WRONG_TARGETS]) => {
      const target = await embeddedTarget({ seed: 1, ...(wrap ? { wrapFetch: wrap } : {}) });
      try {
        return await runSuite({ scenarios, client: target.client, target: target.description, seed: 1, version: 'test' });
      } finally {
        await target.close();
      }
    };
    // Last week: the vendor's server reported a modern device-admin reset as done. This week: that
    // is fixed, but a read-only operator may now reset.
    const lastWeek = await runOn(WRONG_TARGETS.reportsDoneForModernDeviceAdminReset);
    const thisWeek = await runOn(WRONG_TARGETS.readOnlyMayReset);
    await writeReports(lastWeek, join(dir, 'old'));
    await writeReports(thisWeek, join(dir, 'new'));
    const lines: string[] = [];
    const status = await diffCommand([join(dir, 'old', 'report.json'), join(dir, 'new', 'report.json')], (l) => void lines.push(l));
    expect(status).toBe(0);
    const text = lines.join('\n');
    const section = (title: string) => text.split(`\n\n${title}`)[1]?.split('\n\n')[0] ?? '';
    expect(section('new failures')).toMatch(/roles\/read-only-operator\/reset-forbidden {2}\[RB-3\] {2}pass → (fail|warn)/);
    expect(section('fixed')).toMatch(/reset\/android-da-modern\/\S+ {2}\[DL-6[^\]]*\] android-da-modern {2}fail → pass/);
    expect(section('new failures')).not.toContain('android-da-legacy');
    expect(text).toMatch(/by requirement:\n[\s\S]*DL-6 +\d+ fixed/);
    expect(await diffCommand(['--fail-on-new', join(dir, 'old', 'report.json'), join(dir, 'new', 'report.json')], () => undefined)).toBe(1);
    await expect(diffCommand([join(dir, 'old', 'report.json')], () => undefined)).rejects.toThrow(/needs two report.json files/);

    // The same comparison inside a run's reports, with --baseline.
    const out = join(dir, 'run');
    const runLines: string[] = [];
    await runCommand(parseRunArgs(['--id', ids[0]!, '--id', ids[1]!, '--id', ids[2]!, '--baseline', join(dir, 'new', 'report.json'), '--out', out]), { write: (l) => void runLines.push(l) });
    const r = await reportsOn(out);
    expect(r.json.comparison.fixed.map((s: { id: string }) => s.id)).toContain('roles/read-only-operator/reset-forbidden');
    expect(r.html).toContain('Compared with the baseline');
    expect(r.md).toContain('## Compared with the baseline');
    expect(runLines.join('\n')).toMatch(/0 new failures, \d+ fixed, 0 still failing/);
  });
});

describe('evidence', () => {
  it('a finding carries the HTTP exchanges behind it, with secrets replaced by their shape, in every report', async () => {
    const secrets = new Set<string>();
    const target = await embeddedTarget({
      seed: 3,
      wrapFetch: (fetch, mdm) => {
        const wrong = WRONG_TARGETS.showsPasscodeAfterSevenDays(fetch, mdm);
        return async (request) => {
          const response = await wrong(request);
          const text = await response.clone().text();
          for (const m of text.matchAll(/"(?:passcode|unlockPin)":"([^"]+)"/g)) secrets.add(m[1]!);
          return response;
        };
      },
    });
    const dir = await tempDir();
    try {
      const scenarios = selectScenarios(SUITE, { ids: ['temporary-passcode/*'] });
      const run = await runSuite({ scenarios, client: target.client, target: target.description, seed: 3, version: 'test' });
      const failed = run.scenarios.find((s) => s.findings.length > 0)!;
      const evidence = failed.findings[0]!.evidence!;
      expect(evidence.length).toBeGreaterThan(0);
      const last = evidence.at(-1)!;
      expect(last).toMatchObject({ method: 'GET', status: 200, role: expect.any(String) });
      expect(last.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(last.deviceId).toBeTruthy();
      expect(JSON.stringify(last.responseBody)).toMatch(/"passcode":"<secret: \d+ chars>"/);
      expect(secrets.size).toBeGreaterThan(0);
      const paths = await writeReports(run, dir);
      for (const path of Object.values(paths)) {
        const text = await readFile(path, 'utf8');
        expect(findSecretLike(text, [...secrets]), path).toEqual([]);
        expect(text, path).toContain(last.requestId);
      }
    } finally {
      await target.close();
    }
  });
});

describe('fleet findings', () => {
  it('name the devices that missed, and carry the exchanges of the first one', async () => {
    const target = await embeddedTarget({ seed: 1, wrapFetch: WRONG_TARGETS.locksAospWithoutPolicy });
    try {
      const run = await runSuite({ scenarios: selectScenarios(SUITE, { ids: ['fleet/lock-mixed-1000'] }), client: target.client, target: target.description, seed: 1, version: 'test' });
      const finding = run.scenarios[0]!.findings.find((f) => f.requirement === 'RL-2' && f.devices?.length);
      expect(finding, 'a fleet finding on RL-2 that names devices').toBeDefined();
      const total = finding!.devicesTotal ?? finding!.devices!.length;
      expect(finding!.observed).toMatch(new RegExp(`^${total} of \\d+ devices`));
      expect(finding!.devices!.length).toBe(Math.min(50, total));
      expect(finding!.evidence!.length).toBeGreaterThan(0);
      expect(finding!.evidence!.every((e) => e.deviceId === finding!.devices![0])).toBe(true);
    } finally {
      await target.close();
    }
  });
});
