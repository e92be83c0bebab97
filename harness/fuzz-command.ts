import { integerOption, openTarget, parseCommandArgs } from './cli-options.js';
import { TargetError } from './client.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS, randomSeed, runFuzz, type FuzzFailure, type FuzzResult } from './fuzz/run-fuzz.js';
import { writeReproducer } from './fuzz/replay.js';
import type { Target } from './targets.js';
import { UsageError } from '../contract/usage-error.js';

export const FUZZ_HELP = `Usage: lockstep fuzz [options]

Model-based fuzzing: random sequences of enrollments, admin actions (as every role), user
events and clock moves, each checked step by step against a model of the behaviour
catalogue. A mismatch is shrunk to a short sequence, named by the requirement it breaks,
and written out as a reproducer scenario (.ts for scenarios/, .json for replay).
The fuzzer owns the target while it runs: every sequence starts with DELETE /sim/fleet.
A --target should keep its simulated clock still between steps (lockstep serve --clock manual).

Target:
  --target URL           a server that speaks the lockstep contract (default: the embedded reference MDM)
  --credentials FILE     JSON {"<role>": {"clientId": "...", "clientSecret": "..."}} for --target
Run:
  --runs N               sequences to try (default ${DEFAULT_RUNS})
  --seed N               seed (default: random, printed; the same seed repeats the run exactly)
  --path P               replay one failure exactly (the path a failure printed; needs its --seed
                         and the same target)
  --max-commands N       longest sequence (default ${DEFAULT_MAX_COMMANDS})
  --time-budget SECONDS  stop trying (and shrinking) after this long
Output:
  --out DIR              where reproducers go (default ./lockstep-report/fuzz)
  -h, --help             this help

Exit status: 0 no mismatch, 1 a mismatch was found, 2 usage error or target unreachable.`;

export interface FuzzCommandOptions {
  target: string | null;
  credentials: string | null;
  runs: number;
  seed: number | null;
  path: string | null;
  maxCommands: number;
  timeBudgetSeconds: number | null;
  out: string;
  help: boolean;
}

export function parseFuzzArgs(argv: string[]): FuzzCommandOptions {
  const values = parseCommandArgs('fuzz', argv, {
    target: { type: 'string' },
    credentials: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    'max-commands': { type: 'string' },
    'time-budget': { type: 'string' },
    out: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const path = values.path ?? null;
  if (path !== null && !/^\d+(:\d+)*(~[A-Za-z0-9+/:]*(~\d+)?)?$/.test(path)) {
    throw new UsageError(`--path must be the path a fuzz failure printed, like 12:0:3~BAB:GA~25, not '${path}'`);
  }
  const seed = integerOption('--seed', values.seed, null, 0, 2 ** 31 - 1);
  if (path !== null && seed === null) throw new UsageError('--path needs the --seed it was printed with');
  return {
    target: values.target ?? null,
    credentials: values.credentials ?? null,
    runs: integerOption('--runs', values.runs, DEFAULT_RUNS, 1, 1_000_000),
    seed,
    path,
    maxCommands: integerOption('--max-commands', values['max-commands'], DEFAULT_MAX_COMMANDS, 1, 1000),
    timeBudgetSeconds: integerOption('--time-budget', values['time-budget'], null, 1, 7 * 24 * 3600),
    out: values.out ?? 'lockstep-report/fuzz',
    help: values.help ?? false,
  };
}

export interface FuzzIo {
  write(line: string): void;
  /** Tests: the target to fuzz instead of the one the options name. */
  openTarget?: (seed: number) => Promise<Target>;
}

/** The lines `lockstep fuzz` prints for a failure. */
export function failureLines(failure: FuzzFailure): string[] {
  const lines = [
    failure.requirement
      ? `MISMATCH ${failure.requirement} (${failure.level}): ${failure.statement}`
      : `ERROR the target answered outside the contract: ${failure.message}`,
    `  check:    ${failure.check}`,
    `  expected: ${failure.expected}`,
    `  observed: ${failure.observed}`,
    `  shrunk to ${failure.steps.length} step${failure.steps.length === 1 ? '' : 's'}:`,
    ...failure.lines.map((l, i) => `    ${i + 1}. ${l}${l === failure.failingStep && i === failure.lines.length - 1 ? '   <- mismatch' : ''}`),
    `  reproduce: lockstep fuzz --seed ${failure.seed} --path '${failure.path}'`,
  ];
  return lines;
}

export function summaryLines(result: FuzzResult): string[] {
  const lines = [
    `${result.runs} run${result.runs === 1 ? '' : 's'} (${result.executions} sequences with shrinking) in ${(result.durationMs / 1000).toFixed(1)} s: ${result.runsPerSecond.toFixed(1)} runs/second, ${(result.steps / Math.max(1, result.executions)).toFixed(1)} steps per run; seed ${result.seed}${result.interrupted ? ' (time budget reached)' : ''}`,
  ];
  if (result.transitionCoverage) {
    const total = result.transitionCoverage.reduce((n, c) => n + c.total, 0);
    const covered = result.transitionCoverage.reduce((n, c) => n + c.covered, 0);
    lines.push(`model coverage: ${covered}/${total} machine transitions (${total ? Math.round((100 * covered) / total) : 0}%)`);
    for (const c of result.transitionCoverage) {
      lines.push(`  ${c.variant.padEnd(26)} ${String(c.covered).padStart(3)}/${String(c.total).padEnd(3)} ${c.total ? Math.round((100 * c.covered) / c.total) : 0}%`);
    }
  }
  return lines;
}

/** `lockstep fuzz`: returns the exit status. */
export async function fuzzCommand(argv: string[], io: FuzzIo = { write: (line) => process.stdout.write(line + '\n') }): Promise<number> {
  const options = parseFuzzArgs(argv);
  if (options.help) {
    io.write(FUZZ_HELP);
    return 0;
  }
  const seed = options.seed ?? randomSeed();
  const target = io.openTarget ? await io.openTarget(seed) : await openTarget({ target: options.target, credentials: options.credentials, seed });
  io.write(`lockstep fuzz: ${options.path ? `replaying path ${options.path}` : `${options.runs} runs of up to ${options.maxCommands} steps`}, seed ${seed}, target ${options.target ?? 'embedded reference MDM'}`);
  let result: FuzzResult;
  try {
    result = await runFuzz({
      target,
      runs: options.runs,
      seed,
      maxCommands: options.maxCommands,
      ...(options.path ? { path: options.path } : {}),
      ...(options.timeBudgetSeconds !== null ? { timeBudgetMs: options.timeBudgetSeconds * 1000 } : {}),
    });
  } catch (error) {
    if (error instanceof TargetError) throw new UsageError(error.message);
    throw error;
  } finally {
    await target.close();
  }
  for (const failure of result.failures) {
    for (const line of failureLines(failure)) io.write(line);
    const written = await writeReproducer(failure, options.out);
    io.write(`  reproducer: ${written.ts} (scenario for scenarios/), ${written.json} (steps)`);
  }
  for (const line of summaryLines(result)) io.write(line);
  if (options.path && result.failures.length === 0) io.write('the replayed sequence no longer breaks anything');
  return result.failures.length ? 1 : 0;
}
