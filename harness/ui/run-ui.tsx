import { render } from 'ink';
import { RunApp, type RunInfo } from './run-app.js';
import { RunStore, type PlannedScenario } from './run-store.js';

export interface RunUiOptions {
  planned: readonly PlannedScenario[];
  info: RunInfo;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** `q` pressed twice: leave without waiting for running scenarios. */
  onForceQuit?: () => void;
}

export interface RunUiSession {
  store: RunStore;
  /** Aborted when the user quits; hand it to runCommand as io.signal. */
  signal: AbortSignal;
  /** The run ended: draw the final frame (matrix and counts) and unmount. */
  finish(): Promise<void>;
  /** The run failed before it produced a result: clear the UI and unmount. */
  cancel(): Promise<void>;
}

/** Mounts the run UI; RunEvents go to `session.store.listener`. */
export function startRunUi(options: RunUiOptions): RunUiSession {
  const store = new RunStore(options.planned);
  const controller = new AbortController();
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const keys = Boolean(stdin.isTTY);
  const app = (final: boolean) => (
    <RunApp
      store={store}
      info={options.info}
      final={final}
      keys={keys}
      onQuit={() => controller.abort(new Error('stopped from the terminal UI'))}
      {...(options.onForceQuit ? { onForceQuit: options.onForceQuit } : {})}
    />
  );
  const instance = render(app(false), {
    stdout,
    stdin,
    ...(options.stderr ? { stderr: options.stderr } : {}),
    exitOnCtrlC: false,
    patchConsole: true,
    maxFps: 10,
  });
  let ended = false;
  return {
    store,
    signal: controller.signal,
    async finish() {
      if (ended) return;
      ended = true;
      store.markFinished();
      instance.rerender(app(true));
      instance.unmount();
      await instance.waitUntilExit();
    },
    async cancel() {
      if (ended) return;
      ended = true;
      instance.clear();
      instance.unmount();
      await instance.waitUntilExit();
    },
  };
}
