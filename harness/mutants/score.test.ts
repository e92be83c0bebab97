import { describe, expect, it } from 'vitest';
import { SUITE } from '../../scenarios/suite.js';
import { runSuite } from '../runner.js';
import { embeddedTarget } from '../targets.js';
import { MUTANTS, mutantById } from './index.js';
import { scoreLines } from './report.js';
import { fuzzCatches, MUTANT_SCENARIOS, scenariosFor, scoreMutants } from './score.js';
import { runFuzz, SWEEP_PATH } from '../fuzz/run-fuzz.js';

/**
 * Every mutant is caught by the suite, by a check naming its row. The suite side is cheap
 * (a few scenarios per mutant, in-process), so the whole catalogue runs here; the fuzzer's
 * score over the catalogue is printed by `lockstep mutate` and the bench.
 */
describe('the suite against the mutant catalogue', () => {
  it('catches every mutant with a failed check naming the mutant\'s row', async () => {
    const verdicts = await scoreMutants(MUTANTS, { seed: 1, fuzz: null });
    const survivors = verdicts.filter((v) => !v.suite!.caught).map((v) => `${v.mutant.id}${v.suite!.otherRows.length ? ` (failed only ${v.suite!.otherRows.join(', ')})` : ''}`);
    expect(survivors).toEqual([]);
    for (const v of verdicts) expect(v.suite!.by, v.mutant.id).toMatch(/^[a-z0-9-]+\/[^:]+: .+/);
  }, 120_000);

  it('passes every scenario the score selects against the reference (no false failure)', async () => {
    const rows = [...new Set(MUTANTS.map((m) => m.row))];
    const scenarios = MUTANT_SCENARIOS.filter((s) => rows.some((row) => scenariosFor(row).includes(s)));
    expect(scenarios.filter((s) => s.area === 'apple-mdm').length).toBeGreaterThanOrEqual(5);
    const target = await embeddedTarget({ seed: 1 });
    try {
      const run = await runSuite({ scenarios, client: target.client, target: target.description, seed: 1, version: 'test', ...(target.apple ? { apple: target.apple } : {}) });
      expect(run.scenarios.filter((s) => s.outcome !== 'pass').map((s) => `${s.id}: ${s.findings[0]?.check ?? s.message}`)).toEqual([]);
    } finally {
      await target.close();
    }
  }, 60_000);
});

describe('the fuzzer against mutants', () => {
  // A bounded budget on a few mutants whose bug any random sequence meets quickly; the full score is `lockstep mutate`.
  it.each(['dl-8/accepts-windows', 'rb-1/global-administrator-not-mapped', 'dl-3/refuses-ios-removal'])('catches %s naming its row', async (id) => {
    const mutant = mutantById(id)!;
    const caught = await fuzzCatches(mutant, 1, { runs: 200, timeBudgetMs: 20_000 });
    expect(caught.by ?? 'survived').toMatch(new RegExp(`^${mutant.row}: `));
    expect(caught.caught).toBe(true);
  }, 60_000);

  it('finds nothing on the reference: the whole sweep, then random runs', async () => {
    const target = await embeddedTarget({ seed: 1 });
    try {
      const { runFuzz } = await import('../fuzz/run-fuzz.js');
      const result = await runFuzz({ target, seed: 1, runs: 50, sweep: true });
      expect(result.failures.map((f) => f.message)).toEqual([]);
      expect(result.sweepSequences).toBeGreaterThan(60);
    } finally {
      await target.close();
    }
  }, 120_000);
});

describe('the fuzz sweep against a mutant', () => {
  it('finds a mutant random runs rarely reach, shrinks it, and names its row', async () => {
    const target = await embeddedTarget({ seed: 1, wrapFetch: mutantById('tp-3/counts-seven-days-from-delivery')!.wrap });
    try {
      const result = await runFuzz({ target, seed: 1, runs: 1, sweep: true });
      const failure = result.failures[0];
      expect(failure?.requirement).toBe('TP-3');
      expect(failure?.path).toBe(SWEEP_PATH);
      // Shrunk: enroll offline, the reset, three days, online, the seven days; nothing about locks or wipes.
      expect(failure!.steps.length).toBeLessThanOrEqual(8);
      expect(failure!.lines.join('\n')).not.toMatch(/remoteLock|wipe/);
    } finally {
      await target.close();
    }
  }, 60_000);
});

describe('the score report', () => {
  it('prints the suite and fuzzer scores separately, a row table, and what caught each mutant', () => {
    const [a, b] = [mutantById('dl-1/refuses-legacy-device-admin')!, mutantById('dl-1/legacy-reset-reads-failed')!];
    const lines = scoreLines([
      { mutant: a, suite: { caught: true, by: 'reset/x: HTTP status', otherRows: [], durationMs: 1 }, fuzz: { caught: false, by: null, otherRows: [], durationMs: 1 } },
      { mutant: b, suite: { caught: false, by: null, otherRows: ['ST-3'], durationMs: 1 }, fuzz: { caught: true, by: 'DL-1: actionState', otherRows: [], durationMs: 1 } },
    ]);
    expect(lines[0]).toBe('mutation score, suite:  1/2 caught (50.0%)');
    expect(lines[1]).toBe('mutation score, fuzzer: 1/2 caught (50.0%)');
    expect(lines[2]).toBe('mutation score, either: 2/2 caught (100.0%)');
    expect(lines).toContain('DL-1    MUST    2        1/2    1/2');
    expect(lines).toContain('          suite: caught by reset/x: HTTP status');
    expect(lines).toContain('          suite: survived (failed other rows only: ST-3)');
    expect(lines[lines.length - 1]).toBe('every mutant was caught, naming its row (2/2)');
  });
});
