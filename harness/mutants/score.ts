/**
 * Mutation score: runs the suite and the fuzzer against each mutant and records what caught
 * it. Like Stryker's per-test coverage, the suite runs the scenarios that name the mutant's
 * row (the fleet scenarios excepted: they re-check the same rows over thousands of devices);
 * the fuzzer runs a bounded number of sequences. A mutant is caught when a check NAMING ITS
 * ROW fails; a failure on another row is recorded too, but does not count.
 */
import { SUITE, selectScenarios } from '../../scenarios/suite.js';
import { APPLE_MDM_SCENARIOS } from '../../scenarios/apple-mdm.scenarios.js';
import type { Scenario } from '../../scenarios/dsl.js';
import { runFuzz } from '../fuzz/run-fuzz.js';
import { runSuite } from '../runner.js';
import { embeddedTarget } from '../targets.js';
import type { Mutant } from './mutant.js';

export interface Catch {
  caught: boolean;
  /** What caught it: `<scenario id>: <check>` for the suite, `<requirement>: <check>` for the fuzzer. */
  by: string | null;
  /** Rows other than the mutant's that failed, in the order met. */
  otherRows: string[];
  durationMs: number;
}

export interface MutantVerdict {
  mutant: Mutant;
  suite: Catch | null;
  fuzz: Catch | null;
}

export interface ScoreOptions {
  seed?: number;
  suite?: boolean;
  /** Fuzz budget per mutant; null skips the fuzzer. */
  fuzz?: { runs: number; timeBudgetMs: number; maxCommands?: number; sweep?: boolean } | null;
  /** Scenarios to choose from (default: the whole suite). */
  scenarios?: readonly Scenario[];
  onVerdict?: (verdict: MutantVerdict, index: number, total: number) => void;
}

/** Per mutant: the sweep, then random runs, within the time budget. */
export const DEFAULT_FUZZ_BUDGET = { runs: 100, timeBudgetMs: 30_000 };

/** What a mutant of the embedded reference is judged by: the suite, and the apple-mdm area (the reference speaks the Apple protocol). */
export const MUTANT_SCENARIOS: readonly Scenario[] = [...SUITE, ...APPLE_MDM_SCENARIOS];

/** The scenarios that check a row, the fleet-wide ones excepted. */
export function scenariosFor(row: string, scenarios: readonly Scenario[] = MUTANT_SCENARIOS): Scenario[] {
  return selectScenarios([...scenarios], { requirements: [row] }).filter((s) => s.area !== 'fleet');
}

export async function suiteCatches(mutant: Mutant, seed: number, scenarios: readonly Scenario[] = MUTANT_SCENARIOS): Promise<Catch> {
  const started = performance.now();
  const target = await embeddedTarget({ seed, wrapFetch: mutant.wrap });
  try {
    const run = await runSuite({ scenarios: scenariosFor(mutant.row, scenarios), client: target.client, target: target.description, seed, version: 'mutate', ...(target.apple ? { apple: target.apple } : {}) });
    let by: string | null = null;
    const otherRows: string[] = [];
    for (const s of run.scenarios) {
      for (const f of s.findings) {
        if (f.requirement === mutant.row) by ??= `${s.id}: ${f.check}`;
        else if (!otherRows.includes(f.requirement)) otherRows.push(f.requirement);
      }
      if (s.outcome === 'error' && !otherRows.includes('contract')) otherRows.push('contract');
    }
    return { caught: by !== null, by, otherRows, durationMs: Math.round(performance.now() - started) };
  } finally {
    await target.close();
  }
}

export async function fuzzCatches(mutant: Mutant, seed: number, budget: NonNullable<ScoreOptions['fuzz']>): Promise<Catch> {
  const started = performance.now();
  const target = await embeddedTarget({ seed, wrapFetch: mutant.wrap });
  try {
    const result = await runFuzz({ target, seed, runs: budget.runs, timeBudgetMs: budget.timeBudgetMs, sweep: budget.sweep ?? true, ...(budget.maxCommands ? { maxCommands: budget.maxCommands } : {}) });
    const failure = result.failures[0];
    const row = failure?.requirement ?? (failure ? 'contract' : null);
    const caught = row === mutant.row;
    return {
      caught,
      by: failure ? `${row}: ${failure.check}` : null,
      otherRows: row && !caught ? [row] : [],
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await target.close();
  }
}

/** Runs the suite and/or the fuzzer against each mutant, one at a time (the embedded target is process-wide). */
export async function scoreMutants(mutants: readonly Mutant[], options: ScoreOptions = {}): Promise<MutantVerdict[]> {
  const seed = options.seed ?? 1;
  const fuzz = options.fuzz === undefined ? DEFAULT_FUZZ_BUDGET : options.fuzz;
  const verdicts: MutantVerdict[] = [];
  for (const [i, mutant] of mutants.entries()) {
    const suite = options.suite === false ? null : await suiteCatches(mutant, seed, options.scenarios);
    const fuzzed = fuzz ? await fuzzCatches(mutant, seed, fuzz) : null;
    const verdict = { mutant, suite, fuzz: fuzzed };
    verdicts.push(verdict);
    options.onVerdict?.(verdict, i, mutants.length);
  }
  return verdicts;
}

export function isCaught(v: MutantVerdict): boolean {
  return !!v.suite?.caught || !!v.fuzz?.caught;
}
