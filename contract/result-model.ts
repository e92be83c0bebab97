/**
 * The one result model every report is written from. It never holds a passcode,
 * PIN or token: observations are recorded as shapes ("present", "null"), not values.
 */

export type Level = 'MUST' | 'SHOULD' | 'REF';

/** pass; fail (a MUST broken); warn (a SHOULD broken); info (a REF differs); skip; error (target unreachable or off-contract). */
export type Outcome = 'pass' | 'fail' | 'warn' | 'info' | 'skip' | 'error';

/** Whether a vendor's expectations file listed this scenario as a known deviation. */
export type Expectation = 'none' | 'expected-failure' | 'unexpected-pass';

export interface Finding {
  requirement: string;
  level: Level;
  /** The requirement's statement, in the project's words. */
  statement: string;
  /** What the step checked, e.g. "actionState of resetPasscode". */
  check: string;
  expected: string;
  observed: string;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** Area used to group suites: reset, work-profile, removal, lock, roles, status, fleet, ... */
  area: string;
  requirements: string[];
  tags: string[];
  level: Level;
  /** Variant and action this scenario exercises, for the conformance matrix (absent for cross-cutting ones). */
  variant?: string;
  action?: string;
  outcome: Outcome;
  expectation: Expectation;
  durationMs: number;
  findings: Finding[];
  /** For skip and error: why. */
  message?: string;
}

export interface TransitionCoverage {
  variant: string;
  total: number;
  covered: number;
  /** Transition ids not taken, for the HTML report. */
  missed: string[];
}

export interface RunResult {
  schemaVersion: 1;
  tool: { name: 'lockstep'; version: string };
  target: { kind: 'embedded' | 'http'; url?: string };
  seed: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  scenarios: ScenarioResult[];
  /** Requirement ID → scenario ids that checked it. */
  requirementCoverage: Record<string, string[]>;
  transitionCoverage?: TransitionCoverage[];
  summary: Record<Outcome, number> & { total: number; expectedFailures: number; unexpectedPasses: number };
}
