import { render } from 'ink';
import { RunApp, type RunInfo } from './run-app.js';
import { RunStore, type PlannedScenario } from './run-store.js';
import { RunViewState } from './run-view.js';

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
  /**
   * The run ended: the view stays open with its keys (filters, details) until the user presses q,
   * then unmounts. Without a keyboard, or after the user stopped the run, it unmounts at once.
   */
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
  const view = new RunViewState();
  let pulse = 0;
  let closed: (() => void) | null = null;
  const app = (final: boolean) => (
    <RunApp
      pulse={pulse}
      store={store}
      info={options.info}
      final={final}
      keys={keys}
      view={view}
      onQuit={() => controller.abort(new Error('stopped from the terminal UI'))}
      onClose={() => closed?.()}
      {...(options.onForceQuit ? { onForceQuit: options.onForceQuit } : {})}
    />
  );
  // Every frame goes through the pump: drawn synchronously, measured, and spaced to stay within
  // the UI's share of the thread. A timer pokes it, and so does every RunEvent, which keeps the
  // UI live while the run starves timers. Attached before the first render, so no component
  // starts a timer of its own.
  let instance: ReturnType<typeof render> | null = null;
  store.pump.attach(() => {
    pulse++;
    instance?.rerender(app(false));
  });
  instance = render(app(false), {
    stdout,
    stdin,
    ...(options.stderr ? { stderr: options.stderr } : {}),
    exitOnCtrlC: false,
    // Stray console output goes above the UI, but only when the UI owns the process's terminal.
    patchConsole: stdout === process.stdout,
    // The pump paces frames; Ink's own throttle would defer a key's frame to a timer, and timers
    // are what a busy run starves.
    maxFps: 1000,
  });
  const ink = instance;
  const ticker = setInterval(() => store.pump.poke(), 25);
  let ended = false;
  const stop = () => {
    clearInterval(ticker);
    store.pump.attach(null);
  };
  return {
    store,
    signal: controller.signal,
    async finish() {
      if (ended) return;
      ended = true;
      store.markFinished();
      if (keys && !store.stopping) {
        // The view stays: the pump keeps drawing on keys; q closes it.
        const done = new Promise<void>((resolve) => (closed = resolve));
        store.pump.attach(() => {
          pulse++;
          ink.rerender(app(true));
        });
        ink.rerender(app(true));
        await done;
      }
      stop();
      ink.rerender(app(true));
      ink.unmount();
      await ink.waitUntilExit();
    },
    async cancel() {
      if (ended) return;
      ended = true;
      stop();
      ink.clear();
      ink.unmount();
      await ink.waitUntilExit();
    },
  };
}
