/**
 * Model-based fuzzing of a target: fast-check generates command sequences, runs each on a
 * fresh fleet, judges every observation with the oracle model, and on a mismatch shrinks the
 * sequence to a short one that still breaks the same rule.
 *
 * Reproduction: a failure's `path` is fast-check's counterexample path, the commands' replay
 * path and the longest sequence length the run generated with (`<path>~<replayPath>~<maxCommands>`);
 * `runFuzz({seed, path})` runs exactly that sequence again.
 */
import fc from 'fast-check';
import { requirement as catalogueEntry } from '../../scenarios/requirements.js';
import type { Level, TransitionCoverage } from '../../contract/result-model.js';
import type { Target } from '../targets.js';
import { commandArbitrary, type FuzzReal } from './commands.js';
import { ConformanceMismatch, FleetModel } from './model.js';
import { clientIO, describeStep, type Step } from './steps.js';
import { runSweep } from './sweep.js';

export interface FuzzProgress {
  /** Property runs so far (fresh fleets), shrinking included. */
  executions: number;
  /** Whether a mismatch was found and fast-check is shrinking it. */
  shrinking: boolean;
  elapsedMs: number;
}

export interface FuzzOptions {
  target: Target;
  /** Sequences to try (default 200). */
  runs?: number;
  /** Default: random (reported in the result; the same seed repeats the run). */
  seed?: number;
  /** Replays one failure exactly: the `path` a failure reported (needs its seed). */
  path?: string;
  /** Longest generated sequence (default 25). */
  maxCommands?: number;
  /** Devices per run (default 4). */
  maxDevices?: number;
  /** Stops trying new sequences (and shrinking) after this long. */
  timeBudgetMs?: number;
  onProgress?: (progress: FuzzProgress) => void;
  /** First walk the enumerated sequences (sweep.ts: every variant, boundary OS version and fact), then the random runs. */
  sweep?: boolean;
}

export interface FuzzFailure {
  seed: number;
  /** `--path` value that replays the shrunk sequence with the same seed. */
  path: string;
  /** The shrunk sequence as data (the JSON reproducer's steps). */
  steps: Step[];
  /** The shrunk sequence, one step per line. */
  lines: string[];
  /** The requirement the target broke; null when the target answered outside the contract (unreachable, not JSON). */
  requirement: string | null;
  level: Level | null;
  statement: string | null;
  /** What the failing step checked. */
  check: string;
  expected: string;
  observed: string;
  /** The step (as a line) where the mismatch showed. */
  failingStep: string;
  message: string;
}

export interface FuzzResult {
  seed: number;
  /** Sequences fast-check tried (not counting shrink attempts). */
  runs: number;
  /** All property runs, shrinking included. */
  executions: number;
  shrinks: number;
  failures: FuzzFailure[];
  durationMs: number;
  /** Steps run in all property runs (a step the model's preconditions skip is not run). */
  steps: number;
  /** Property runs per wall-clock second (each on a fresh fleet). */
  runsPerSecond: number;
  interrupted: boolean;
  /** Sweep sequences run (0 without --sweep). */
  sweepSequences: number;
  transitionCoverage?: TransitionCoverage[];
}

export const DEFAULT_RUNS = 200;
export const DEFAULT_MAX_COMMANDS = 25;
/** The `path` of a failure the sweep found: the sweep is deterministic, `--sweep` finds it again. */
export const SWEEP_PATH = 'sweep';

/** Splits a reported path into fast-check's counterexample path, the commands' replay path and maxCommands. */
export function splitPath(path: string): { fcPath: string; replayPath: string | null; maxCommands: number | null } {
  const [fcPath = '', replayPath, max] = path.split('~');
  return { fcPath, replayPath: replayPath ? replayPath : null, maxCommands: max && /^\d+$/.test(max) ? Number(max) : null };
}

/** The `--path` value of a counterexample. */
export function joinPath(fcPath: string, replayPath: string, maxCommands: number): string {
  return `${fcPath}~${replayPath}~${maxCommands}`;
}

export function randomSeed(): number {
  return Math.floor(Math.random() * 2 ** 31);
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  const seed = options.seed ?? randomSeed();
  const replay = options.path ? splitPath(options.path) : null;
  // A replay generates with the length it was found with, or fast-check would build other sequences.
  const maxCommands = replay?.maxCommands ?? options.maxCommands ?? DEFAULT_MAX_COMMANDS;
  const maxDevices = options.maxDevices ?? 4;
  const io = clientIO(options.target.client);

  let executions = 0;
  let stepsRun = 0;
  let shrinking = false;
  let last: { steps: Step[]; error: unknown } | null = null;
  const started = performance.now();

  let sweepSequences = 0;
  if (options.sweep && !replay) {
    const swept = await runSweep(io, options.timeBudgetMs !== undefined ? started + options.timeBudgetMs : Infinity);
    sweepSequences = swept.sequences;
    stepsRun += swept.steps;
    if (swept.failure) {
      const durationMs = Math.round(performance.now() - started);
      return {
        seed, runs: 0, executions: 0, shrinks: 0, steps: stepsRun, durationMs, runsPerSecond: 0, interrupted: false, sweepSequences,
        failures: [failureOf(seed, SWEEP_PATH, swept.failure.steps, swept.failure.error)],
        ...(options.target.transitionCoverage ? { transitionCoverage: options.target.transitionCoverage() } : {}),
      };
    }
  }
  const remainingMs = options.timeBudgetMs !== undefined ? Math.max(1, options.timeBudgetMs - (performance.now() - started)) : undefined;

  const commands = fc.commands([commandArbitrary({ maxDevices })], {
    maxCommands,
    size: 'max',
    ...(replay?.replayPath ? { replayPath: replay.replayPath } : {}),
  });
  const property = fc.asyncProperty(commands, async (cmds: Iterable<fc.AsyncCommand<FleetModel, FuzzReal>>) => {
    const real: FuzzReal = { io, executed: [] };
    executions++;
    try {
      await fc.asyncModelRun(async () => {
        await io.reset();
        return { model: new FleetModel(maxDevices), real };
      }, cmds);
    } catch (error) {
      last = { steps: [...real.executed], error };
      shrinking = true;
      throw error;
    } finally {
      stepsRun += real.executed.length;
      options.onProgress?.({ executions, shrinking, elapsedMs: performance.now() - started });
    }
  });

  const details = await fc.check(property, {
    seed,
    numRuns: options.runs ?? DEFAULT_RUNS,
    ...(replay ? { path: replay.fcPath, endOnFailure: true } : { endOnFailure: false }),
    ...(remainingMs !== undefined ? { plugins: [fc.interruptAfterTimeLimit(remainingMs)] } : {}),
  });
  const durationMs = performance.now() - started;

  const failures: FuzzFailure[] = [];
  const found = last as { steps: Step[]; error: unknown } | null;
  if (details.failed && found) {
    const replayPath = /replayPath="([^"]*)"/.exec(String((details.counterexample as readonly unknown[] | null)?.[0] ?? ''))?.[1] ?? replay?.replayPath ?? '';
    const path = joinPath(details.counterexamplePath ?? replay?.fcPath ?? '', replayPath, maxCommands);
    failures.push(failureOf(seed, path, found.steps, found.error));
  }
  return {
    seed,
    runs: details.numRuns,
    executions,
    shrinks: details.numShrinks,
    steps: stepsRun,
    failures,
    durationMs: Math.round(durationMs),
    runsPerSecond: durationMs > 0 ? executions / (durationMs / 1000) : 0,
    interrupted: details.interrupted,
    sweepSequences,
    ...(options.target.transitionCoverage ? { transitionCoverage: options.target.transitionCoverage() } : {}),
  };
}

function failureOf(seed: number, path: string, steps: Step[], error: unknown): FuzzFailure {
  const lines = steps.map(describeStep);
  if (error instanceof ConformanceMismatch) {
    return {
      seed,
      path,
      steps,
      lines,
      requirement: error.requirement,
      level: error.level,
      statement: error.statement,
      check: error.what,
      expected: error.expected,
      observed: error.observed,
      failingStep: error.step,
      message: error.message,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    seed,
    path,
    steps,
    lines,
    requirement: null,
    level: null,
    statement: null,
    check: 'the target answered inside the contract',
    expected: 'an answer inside the contract',
    observed: message,
    failingStep: lines[lines.length - 1] ?? '',
    message,
  };
}

/** The requirement's level and statement, for printing. */
export function describeRequirement(id: string): string {
  const entry = catalogueEntry(id);
  return `${id} (${entry.level}): ${entry.statement}`;
}
