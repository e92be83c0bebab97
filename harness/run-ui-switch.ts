import type { RunCommandOptions, RunIo } from './run-command.js';
import type { PlannedScenario } from './ui/run-store.js';
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
  /** Where SIGINT and SIGTERM come from (default: the process). */
  signals?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

const processEnvironment = (): UiEnvironment => ({ stdout: process.stdout, stdin: process.stdin, env: process.env });

/**
 * CI as Ink reads it (is-in-ci): CI or CONTINUOUS_INTEGRATION set to anything but "0" or
 * "false", an empty value included. Ink then draws only the last frame, so the live view
 * must not be chosen where Ink would not draw it.
 */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  const set = (key: string) => key in env && env[key] !== '0' && env[key] !== 'false';
  return set('CI') || set('CONTINUOUS_INTEGRATION');
}

/** The terminal UI only when asked for (no --no-ui), writing to a terminal, and not in CI. */
export function shouldUseUi(options: Pick<RunCommandOptions, 'ui'>, environment: Pick<UiEnvironment, 'stdout' | 'env'> = processEnvironment()): boolean {
  return options.ui && Boolean(environment.stdout.isTTY) && !isCi(environment.env);
}

/**
 * Runs `lockstep run` with the terminal UI when stdout is a terminal (and neither --no-ui
 * nor CI), else with plain lines. The UI is fed RunEvents through io.listener, stops the run
 * through io.signal when the user quits, stays open after the run until q, and then prints
 * the run's closing summary (the same lines as without the UI, verdict last).
 */
export async function runWithUi(options: RunCommandOptions, run: RunFn, environment: UiEnvironment = processEnvironment()): Promise<number> {
  const plain = () => withStopSignals(environment, (signal) => run(options, { write: (line) => environment.stdout.write(line + '\n'), signal }));
  if (!shouldUseUi(options, environment)) return plain();
  return withStopSignals(environment, (stopSignal) => runInTerminal(options, run, environment, stopSignal, plain));
}

/**
 * Ctrl-C or SIGTERM stops the run the way q does: no new scenarios, reports for what ran, and
 * the verdict "interrupted". A second signal leaves at once (exit 130).
 */
async function withStopSignals(environment: UiEnvironment, body: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) return (environment.forceQuit ?? (() => process.exit(130)))();
    controller.abort(new Error(`stopped by ${name}`));
  };
  const listen = environment.signals ?? process;
  listen.on('SIGINT', onSignal);
  listen.on('SIGTERM', onSignal);
  try {
    return await body(controller.signal);
  } finally {
    listen.off('SIGINT', onSignal);
    listen.off('SIGTERM', onSignal);
  }
}

async function runInTerminal(options: RunCommandOptions, run: RunFn, environment: UiEnvironment, stopSignal: AbortSignal, plain: () => Promise<number>): Promise<number> {
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
  // The run's own closing lines (the verdict last) wait until the view closes, then print below it.
  const closing: string[] = [];
  let status: number;
  try {
    // Either the view's q or a signal stops the run (AbortSignal.any needs Node 20.3; engines say 20).
    const both = new AbortController();
    const forward = (from: AbortSignal) => from.addEventListener('abort', () => both.abort(from.reason), { once: true });
    forward(session.signal);
    forward(stopSignal);
    stopSignal.addEventListener('abort', () => session.store.markStopping(), { once: true });
    const signal = both.signal;
    status = await run(options, { write: (line) => void closing.push(line), listener: session.store.listener, signal });
  } catch (error) {
    await session.cancel();
    throw error;
  }
  await session.finish();
  for (const line of closing) environment.stdout.write(line + '\n');
  return status;
}
