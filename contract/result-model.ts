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
  /** The HTTP exchanges that led to this finding, newest last, every secret replaced by its shape. */
  evidence?: Exchange[];
  /** Devices the finding is about (a fleet finding names them; capped, see `devicesTotal`). */
  devices?: string[];
  /** How many devices the finding concerns when `devices` is a sample. */
  devicesTotal?: number;
}

/** One HTTP request and its answer, as kept for evidence. Bodies are shapes: no secret survives. */
export interface Exchange {
  method: string;
  path: string;
  /** The role the request was sent as (null: no token). */
  role: string | null;
  status: number;
  /** The target's request id (Graph's `request-id` header or error.innerError), when it gave one. */
  requestId?: string;
  /** The managed device the request was about, when the path names one. */
  deviceId?: string;
  requestBody?: unknown;
  responseBody?: unknown;
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
  /** The run ended before every planned scenario ran. */
  incomplete?: RunIncomplete;
  /** Set with `--baseline`: what changed against an earlier report. */
  comparison?: RunComparison;
}

export interface RunIncomplete {
  /** interrupted: the user (q, Ctrl-C, SIGTERM) stopped it; target-unresponsive: the target stopped answering. */
  reason: 'interrupted' | 'target-unresponsive';
  detail: string;
  /** Scenarios the run meant to run (the result holds those that ran). */
  planned: number;
}

/** A scenario whose standing changed (or not) between two runs. */
export interface ComparedScenario {
  id: string;
  variant?: string;
  requirements: string[];
  before: Outcome | null;
  after: Outcome | null;
}

/** `lockstep diff OLD NEW`, or a run against `--baseline`. */
export interface RunComparison {
  baseline: { startedAt: string; target: RunResult['target']; seed: number; source?: string };
  newFailures: ComparedScenario[];
  fixed: ComparedScenario[];
  stillFailing: ComparedScenario[];
  /** In the new run only / in the old run only (neither new failure nor fixed). */
  added: ComparedScenario[];
  removed: ComparedScenario[];
}
