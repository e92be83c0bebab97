import type { Level, Outcome, ScenarioResult } from '../contract/result-model.js';

/** Outcomes from worst to best: a matrix cell or a requirement shows the first one present. */
export const OUTCOMES_WORST_FIRST: readonly Outcome[] = ['fail', 'error', 'warn', 'info', 'skip', 'pass'];

/** The order counts are listed in, matching the result model's summary. */
export const OUTCOMES_IN_SUMMARY_ORDER: readonly Outcome[] = ['pass', 'fail', 'warn', 'info', 'skip', 'error'];

export const OUTCOME_SYMBOL: Readonly<Record<Outcome, string>> = {
  pass: '✅',
  fail: '❌',
  warn: '⚠️',
  info: 'ℹ️',
  skip: '⏭️',
  error: '💥',
};

export const OUTCOME_LABEL: Readonly<Record<Outcome, string>> = {
  pass: 'pass',
  fail: 'fail (MUST)',
  warn: 'warn (SHOULD)',
  info: 'info (REF)',
  skip: 'skip',
  error: 'error',
};

/** The outcome a broken requirement of this level produces. */
export const OUTCOME_FOR_LEVEL: Readonly<Record<Level, Outcome>> = { MUST: 'fail', SHOULD: 'warn', REF: 'info' };

export function worstOutcome(outcomes: Iterable<Outcome>): Outcome | undefined {
  let worstIndex = OUTCOMES_WORST_FIRST.length;
  for (const outcome of outcomes) worstIndex = Math.min(worstIndex, OUTCOMES_WORST_FIRST.indexOf(outcome));
  return OUTCOMES_WORST_FIRST[worstIndex];
}

export function countOutcomes(scenarios: readonly ScenarioResult[]): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 };
  for (const scenario of scenarios) counts[scenario.outcome] += 1;
  return counts;
}

export function isExpectedFailure(scenario: ScenarioResult): boolean {
  return scenario.expectation === 'expected-failure';
}

export function isUnexpectedPass(scenario: ScenarioResult): boolean {
  return scenario.expectation === 'unexpected-pass';
}
