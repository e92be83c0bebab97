import { useEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';

/** Anything that counts its own changes: the UI re-renders when `version` moved. */
export interface Versioned {
  readonly version: number;
}

/** Re-render interval of the terminal UIs: 8 frames a second at most. */
export const FRAME_MS = 125;

/**
 * Re-renders the calling component on a timer, at most once per `intervalMs`, and only when
 * the store changed (or `always`, for spinners). Events never render by themselves: they
 * only bump the store's version, so a burst of 100 000 events costs one frame.
 * Returns the frame count (spinner phase).
 */
export function useFrame(store: Versioned, intervalMs = FRAME_MS, always = false): number {
  const [frame, setFrame] = useState(0);
  const seen = useRef(store.version);
  useEffect(() => {
    const timer = setInterval(() => {
      if (!always && store.version === seen.current) return;
      seen.current = store.version;
      setFrame((f) => f + 1);
    }, intervalMs);
    return () => clearInterval(timer);
  }, [store, intervalMs, always]);
  return frame;
}

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** The terminal's size, updated on resize; `override` (tests) wins. */
export function useTerminalSize(override?: Partial<TerminalSize>): TerminalSize {
  const { stdout } = useStdout();
  const read = (): TerminalSize => ({
    columns: override?.columns ?? (stdout.columns || 80),
    rows: override?.rows ?? (stdout.rows || 24),
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, override?.columns, override?.rows]);
  return override ? { ...size, ...override } : size;
}
