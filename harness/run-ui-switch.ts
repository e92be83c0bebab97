import { plainSummary } from './plain-output.js';
import type { RunResult } from '../contract/result-model.js';
import type { RunCommandOptions, RunIo } from './run-command.js';
import { summarize } from './runner.js';
import type { PlannedScenario, RunStore } from './ui/run-store.js';
import { preferProductionReact } from './ui/react-mode.js';
import { lockstepVersion } from './version.js';

export type RunFn = (options: RunCommandOptions, io: RunIo) => Promise<number>;

export interface UiEnvironment {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  env: NodeJS.ProcessEnv;
  /** The scenarios the run will take, for the UI's list and matrix (default: run-command's selection). */
  plan?: (options: RunCommandOptions) => Promise<readonly PlannedScenario[]>;
  /** Leaves at once when the user presses q twice (default: exit 130). */
  forceQuit?: () => void;
}

const processEnvironment = (): UiEnvironment => ({ stdout: process.stdout, stdin: process.stdin, env: process.env });

/** A CI variable counts as set unless it is empty, "0" or "false" (as Ink and most tools read it). */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/** The terminal UI only when asked for (no --no-ui), writing to a terminal, and not in CI. */
export function shouldUseUi(options: Pick<RunCommandOptions, 'ui'>, environment: Pick<UiEnvironment, 'stdout' | 'env'> = processEnvironment()): boolean {
  return options.ui && Boolean(environment.stdout.isTTY) && !isCi(environment.env);
}

/**
 * Runs `lockstep run` with the terminal UI when stdout is a terminal (and neither --no-ui
 * nor CI), else with plain lines. The UI is fed RunEvents through io.listener, stops the run
 * through io.signal when the user quits, and prints the plain closing summary after it unmounts.
 */
export async function runWithUi(options: RunCommandOptions, run: RunFn, environment: UiEnvironment = processEnvironment()): Promise<number> {
  const plain = () => run(options, { write: (line) => environment.stdout.write(line + '\n') });
  if (!shouldUseUi(options, environment)) return plain();

  let planned: readonly PlannedScenario[];
  try {
    planned = environment.plan ? await environment.plan(options) : await (await import('./run-command.js')).chooseScenarios(options);
  } catch {
    // A selection problem: the plain path reports it exactly as without a terminal.
    return plain();
  }
  preferProductionReact();
  const { startRunUi } = await import('./ui/run-ui.js');
  const session = startRunUi({
    planned,
    info: { version: lockstepVersion(), target: options.target ?? 'embedded reference MDM', seed: options.seed },
    stdout: environment.stdout,
    stdin: environment.stdin,
    onForceQuit: () => {
      void session.cancel().finally(environment.forceQuit ?? (() => process.exit(130)));
    },
  });
  let status: number;
  try {
    status = await run(options, { write: () => undefined, listener: session.store.listener, signal: session.signal });
  } catch (error) {
    await session.cancel();
    throw error;
  }
  await session.finish();
  for (const line of closingLines(session.store, options)) environment.stdout.write(line + '\n');
  return status;
}

/** The plain summary (same lines as without the UI), from what the UI collected. */
export function closingLines(store: RunStore, options: Pick<RunCommandOptions, 'target' | 'seed' | 'reports' | 'out'>): string[] {
  const scenarios = store.results();
  const started = new Date(store.startedAt).toISOString();
  const run: RunResult = {
    schemaVersion: 1,
    tool: { name: 'lockstep', version: lockstepVersion() },
    target: options.target ? { kind: 'http', url: options.target } : { kind: 'embedded' },
    seed: options.seed,
    startedAt: started,
    finishedAt: new Date(store.startedAt + store.elapsedMs()).toISOString(),
    durationMs: store.elapsedMs(),
    scenarios,
    requirementCoverage: {},
    summary: summarize(scenarios),
  };
  const lines = plainSummary(run, options.reports ? options.out : null);
  if (store.stopping) lines.splice(1, 0, `stopped from the terminal UI after ${scenarios.length} of ${store.total} scenarios; the reports cover those that ran`);
  return lines;
}
