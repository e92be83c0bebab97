import { openTarget } from './cli-options.js';
import { DEFAULT_MAX_COMMANDS, FUZZ_HELP, parseFuzzArgs, type FuzzCommandOptions } from './fuzz-args.js';
import { TargetError } from './client.js';
import { randomSeed, runFuzz, SWEEP_PATH, type FuzzFailure, type FuzzResult } from './fuzz/run-fuzz.js';
import { writeReproducer } from './fuzz/replay.js';
import type { Target } from './targets.js';
import { UsageError } from '../contract/usage-error.js';

export { FUZZ_HELP, parseFuzzArgs, type FuzzCommandOptions } from './fuzz-args.js';

export interface FuzzIo {
  write(line: string): void;
  /** Tests: the target to fuzz instead of the one the options name. */
  openTarget?: (seed: number) => Promise<Target>;
}

/** Single-quotes a shell word when it needs it. */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command that replays a failure exactly: the seed and path, and every flag the sequence
 * depends on (the target and its credentials, the sequence length), so pasting it does not
 * quietly replay against the embedded target.
 */
export function reproduceCommand(failure: Pick<FuzzFailure, 'seed' | 'path'>, options: Pick<FuzzCommandOptions, 'target' | 'credentials' | 'maxCommands'>): string {
  const words = ['lockstep', 'fuzz'];
  if (options.target) words.push('--target', options.target);
  if (options.credentials) words.push('--credentials', options.credentials);
  // The sweep is deterministic: running it again finds the same failure.
  if (failure.path === SWEEP_PATH) return `${words.map(shellWord).join(' ')} --sweep`;
  if (options.maxCommands !== DEFAULT_MAX_COMMANDS) words.push('--max-commands', String(options.maxCommands));
  words.push('--seed', String(failure.seed));
  // The path is always quoted: it is what people copy, and its characters vary.
  return `${words.map(shellWord).join(' ')} --path '${failure.path}'`;
}

/** The lines `lockstep fuzz` prints for a failure. */
export function failureLines(failure: FuzzFailure, options: Pick<FuzzCommandOptions, 'target' | 'credentials' | 'maxCommands'> = { target: null, credentials: null, maxCommands: DEFAULT_MAX_COMMANDS }): string[] {
  const lines = [
    failure.requirement
      ? `MISMATCH ${failure.requirement} (${failure.level}): ${failure.statement}`
      : `ERROR the target answered outside the contract: ${failure.message}`,
    `  check:    ${failure.check}`,
    `  expected: ${failure.expected}`,
    `  observed: ${failure.observed}`,
    `  shrunk to ${failure.steps.length} step${failure.steps.length === 1 ? '' : 's'}:`,
    ...failure.lines.map((l, i) => `    ${i + 1}. ${l}${l === failure.failingStep && i === failure.lines.length - 1 ? '   <- mismatch' : ''}`),
    `  reproduce: ${reproduceCommand(failure, options)}`,
  ];
  return lines;
}

export function summaryLines(result: FuzzResult): string[] {
  const lines = [
    ...(result.sweepSequences ? [`sweep: ${result.sweepSequences} enumerated sequences`] : []),
    `${result.runs} run${result.runs === 1 ? '' : 's'} (${result.executions} sequences with shrinking) in ${(result.durationMs / 1000).toFixed(1)} s: ${result.runsPerSecond.toFixed(1)} runs/second, ${(result.steps / Math.max(1, result.executions + result.sweepSequences)).toFixed(1)} steps per run; seed ${result.seed}${result.interrupted ? ' (time budget reached)' : ''}`,
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
      sweep: options.sweep,
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
    for (const line of failureLines(failure, options)) io.write(line);
    const written = await writeReproducer(failure, options.out);
    io.write(`  reproducer: ${written.ts} (scenario for scenarios/), ${written.json} (steps)`);
  }
  for (const line of summaryLines(result)) io.write(line);
  if (options.path && result.failures.length === 0) io.write('the replayed sequence no longer breaks anything');
  return result.failures.length ? 1 : 0;
}
