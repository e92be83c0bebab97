import { useInput } from 'ink';
import { useRef, useState } from 'react';
import type { RunStore, ScenarioRow } from './run-store.js';
import type { RunViewState } from './run-view.js';

export interface RunKeyHandlers {
  /** `q` while running: stop starting scenarios. */
  onQuit: () => void;
  /** `q` again while stopping: leave without waiting. */
  onForceQuit?: (() => void) | undefined;
  /** `q` after the run ended: close the view. */
  onClose?: (() => void) | undefined;
}

/**
 * Wires the terminal's keys to the view state. A key redraws at once through the store's pump
 * (synchronously, not through React's scheduler, which shares the busy event loop with the run).
 * `rows` and `detailPage` are read through a ref because Ink may call the handler of an earlier render.
 */
export function useRunKeys(
  view: RunViewState,
  store: RunStore,
  current: { rows: readonly ScenarioRow[]; detailPage: number; finished: boolean },
  handlers: RunKeyHandlers,
  active: boolean,
): void {
  const [, setVersion] = useState(0);
  const ref = useRef(current);
  ref.current = current;
  useInput(
    (input, key) => {
      const { rows, detailPage, finished } = ref.current;
      const command = view.handleKey(input, key, { rows, finished, stopping: store.stopping, detailPage });
      if (command === 'stop') {
        store.markStopping();
        handlers.onQuit();
      } else if (command === 'force-quit') handlers.onForceQuit?.();
      else if (command === 'quit') handlers.onClose?.();
      // Outside Ink's batched input handler, but before anything else the loop has queued.
      if (store.pump.attached) queueMicrotask(() => store.pump.force());
      else setVersion(view.version);
    },
    { isActive: active },
  );
}
