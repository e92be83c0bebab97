import type { AppleFacet } from '../scenarios/apple-dsl.js';
import type { Scenario } from '../scenarios/dsl.js';
import { requirement } from '../scenarios/requirements.js';
import { verdictOf } from '../reports/verdict.js';
import { AgentError } from '../simulator/apple/agent.js';
import { TargetError, TargetUnreachableError, type LockstepClient } from './client.js';
import type { Expectations } from './expectations.js';
import type { Level, Outcome, RunIncomplete, RunResult, ScenarioResult, TransitionCoverage } from '../contract/result-model.js';
import { createScenarioContext, ScenarioAbort, ScenarioSkip } from './scenario-context.js';

export type RunEvent =
  | { type: 'start'; scenario: Scenario }
  | { type: 'progress'; scenario: Scenario; done: number; total: number }
  | { type: 'result'; scenario: Scenario; result: ScenarioResult };

export interface RunOptions {
  scenarios: Scenario[];
  client: LockstepClient;
  target: RunResult['target'];
  seed: number;
  concurrency?: number;
  expectations?: Expectations;
  onEvent?: (event: RunEvent) => void;
  /** Stops starting new scenarios; those running finish, and the result holds what ran. */
  signal?: AbortSignal;
  /** Model coverage gathered while the run went on (embedded target only). */
  transitionCoverage?: () => TransitionCoverage[];
  version: string;
  /** Scenarios in a row that may find the target unreachable before the run stops as inconclusive (default 3). */
  unreachableLimit?: number;
  /** Longest one scenario may run before it ends in error (DEFAULT_SCENARIO_TIMEOUT_MS). */
  scenarioTimeoutMs?: number;
  /** Simulated Apple devices on an Apple MDM server (`--apple-mdm`), for the apple-mdm area. */
  apple?: AppleFacet;
}

/** Per-scenario timeout unless `--scenario-timeout` says otherwise (the 2000-device fleet scenario needs well under a minute). */
export const DEFAULT_SCENARIO_TIMEOUT_MS = 300_000;

class ScenarioTimeout extends Error {}

const LEVEL_RANK: Record<Level, number> = { MUST: 3, SHOULD: 2, REF: 1 };

export function scenarioLevel(scenario: Scenario): Level {
  if (scenario.level) return scenario.level;
  let best: Level = 'REF';
  for (const id of scenario.requirements) {
    const level = requirement(id).level;
    if (LEVEL_RANK[level] > LEVEL_RANK[best]) best = level;
  }
  return best;
}

/** Runs scenarios, each on devices of its own; those that move the shared clock run alone. */
export async function runSuite(options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const results = new Map<Scenario, ScenarioResult>();
  const concurrency = Math.max(1, options.concurrency ?? 8);
  const shared = options.scenarios.filter((s) => !s.usesClock);
  const alone = options.scenarios.filter((s) => s.usesClock);

  // A target that stops answering ends the run early: hitting it a hundred more times says nothing new.
  const unreachableLimit = Math.max(1, options.unreachableLimit ?? 3);
  let unreachableInARow = 0;
  let lost: string | null = null;
  const runOne = async (scenario: Scenario) => {
    if (options.signal?.aborted || lost) return;
    options.onEvent?.({ type: 'start', scenario });
    const { result, unreachable } = await runScenario(scenario, options);
    results.set(scenario, result);
    options.onEvent?.({ type: 'result', scenario, result });
    unreachableInARow = unreachable ? unreachableInARow + 1 : 0;
    if (unreachableInARow >= unreachableLimit && !lost) lost = `the target stopped answering (${result.message ?? 'unreachable'})`;
  };

  const queue = [...shared];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await runOne(next);
    }),
  );
  for (const scenario of alone) await runOne(scenario);

  const scenarios = options.scenarios.filter((s) => results.has(s)).map((s) => results.get(s)!);
  const finished = Date.now();
  let incomplete: RunIncomplete | undefined;
  if (scenarios.length < options.scenarios.length) {
    incomplete = lost
      ? { reason: 'target-unresponsive', detail: lost, planned: options.scenarios.length }
      : { reason: 'interrupted', detail: stopReason(options.signal), planned: options.scenarios.length };
  }
  return {
    schemaVersion: 1,
    tool: { name: 'lockstep', version: options.version },
    target: options.target,
    seed: options.seed,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    durationMs: finished - started,
    scenarios,
    requirementCoverage: requirementCoverage(scenarios),
    ...(options.transitionCoverage ? { transitionCoverage: options.transitionCoverage() } : {}),
    summary: summarize(scenarios),
    ...(incomplete ? { incomplete } : {}),
  };
}

function stopReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'stopped before the end';
}

async function runScenario(scenario: Scenario, options: RunOptions): Promise<{ result: ScenarioResult; unreachable: boolean }> {
  let unreachable = false;
  const result = await runScenarioInner(scenario, options, () => (unreachable = true));
  return { result, unreachable };
}

async function runScenarioInner(scenario: Scenario, options: RunOptions, onUnreachable: () => void): Promise<ScenarioResult> {
  const started = performance.now();
  const base = {
    id: scenario.id,
    title: scenario.title,
    area: scenario.area,
    requirements: scenario.requirements,
    tags: scenario.tags,
    level: scenarioLevel(scenario),
    ...(scenario.variant ? { variant: scenario.variant } : {}),
    ...(scenario.action ? { action: scenario.action } : {}),
  };
  const skipReason = options.expectations?.skip.get(scenario.id);
  if (skipReason !== undefined) {
    return { ...base, outcome: 'skip', expectation: 'none', durationMs: 0, findings: [], message: skipReason };
  }
  const { context, record } = createScenarioContext(
    options.client,
    scenario,
    options.seed,
    (done, total) => options.onEvent?.({ type: 'progress', scenario, done, total }),
    options.apple,
  );
  let outcome: Outcome;
  let message: string | undefined;
  const limit = options.scenarioTimeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      scenario.run(context),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new ScenarioTimeout(`the scenario did not finish within ${limit / 1000} s (--scenario-timeout)`)), limit);
        timer.unref();
      }),
    ]);
    outcome = outcomeOf(record.findings.map((f) => f.level));
    if (record.checks === 0) {
      outcome = 'error';
      message = 'the scenario made no checks';
    }
  } catch (error) {
    if (error instanceof TargetUnreachableError || (error instanceof AgentError && error.unreachable)) onUnreachable();
    if (error instanceof AgentError && error.status !== undefined && scenario.requirements[0]) {
      // The Apple MDM server answered a device's message with an HTTP error: a finding on the row, not a crash.
      context.checkThat(scenario.requirements[0], 'the server answers the device over the protocol', false, 'HTTP 200', error.message);
      outcome = outcomeOf(record.findings.map((f) => f.level));
    } else if (error instanceof ScenarioSkip) {
      outcome = 'skip';
    } else {
      outcome = 'error';
    }
    if (outcome === 'skip' || outcome === 'error') {
      message =
        error instanceof ScenarioAbort || error instanceof TargetError || error instanceof ScenarioSkip || error instanceof ScenarioTimeout || error instanceof AgentError
          ? error.message
          : `scenario crashed: ${String(error)}`;
    }
  } finally {
    clearTimeout(timer);
  }
  if (message) for (const secret of record.secrets) message = message.split(secret).join('[redacted]');
  const expected = options.expectations?.expectedFailures.has(scenario.id) ?? false;
  const deviates = outcome === 'fail' || outcome === 'warn' || outcome === 'info';
  return {
    ...base,
    outcome,
    expectation: !expected ? 'none' : deviates ? 'expected-failure' : outcome === 'pass' ? 'unexpected-pass' : 'none',
    durationMs: Math.round(performance.now() - started),
    findings: record.findings,
    ...(message ? { message } : {}),
  };
}

export function outcomeOf(failedLevels: Level[]): Outcome {
  if (failedLevels.includes('MUST')) return 'fail';
  if (failedLevels.includes('SHOULD')) return 'warn';
  if (failedLevels.includes('REF')) return 'info';
  return 'pass';
}

function requirementCoverage(scenarios: ScenarioResult[]): Record<string, string[]> {
  const coverage: Record<string, string[]> = {};
  for (const s of scenarios) for (const id of s.requirements) (coverage[id] ??= []).push(s.id);
  return coverage;
}

export function summarize(scenarios: ScenarioResult[]): RunResult['summary'] {
  const summary = { total: scenarios.length, pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0, expectedFailures: 0, unexpectedPasses: 0 };
  for (const s of scenarios) {
    summary[s.outcome]++;
    if (s.expectation === 'expected-failure') summary.expectedFailures++;
    if (s.expectation === 'unexpected-pass') summary.unexpectedPasses++;
  }
  return summary;
}

/** Whether a run does not pass: its verdict (reports/verdict.ts) is anything but pass. */
export function runFailed(run: RunResult): boolean {
  return verdictOf(run).kind !== 'pass';
}
