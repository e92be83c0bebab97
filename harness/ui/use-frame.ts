import { useEffect, useRef, useState } from 'react';
import { useStdout } from 'ink';

/** Re-render interval of the terminal UIs: 8 frames a second at most. */
export const FRAME_MS = 125;

/** Share of the event loop the terminal UIs may take for drawing (they share the thread with the run). */
export const UI_BUDGET = 0.05;
/** Slowest frame rate the budget may push the UIs down to. */
export const MAX_FRAME_MS = 500;

/**
 * Decides when a frame is due and draws it synchronously (Ink's `rerender`). Two things poke it:
 * a timer, and the store on every event. The events matter because a run that keeps the event
 * loop busy with promise chains (in-process HTTP through msw) can starve timers for seconds;
 * React's own scheduling is starved just the same, so the frame is drawn in the poke itself.
 * It measures what frames cost and spaces them so drawing stays within UI_BUDGET of the
 * thread: at most one frame per `baseMs` (8 a second), fewer when frames are expensive.
 */
export class FramePump {
  private last = -Infinity;
  private fire: (() => void) | null = null;
  private baseMs = FRAME_MS;
  /** Smoothed milliseconds a frame takes. */
  private cost = 0;
  frames = 0;

  /** Milliseconds between frames now (baseMs, or more when frames are expensive). */
  get intervalMs(): number {
    return Math.min(MAX_FRAME_MS, Math.max(this.baseMs, this.cost / UI_BUDGET));
  }

  get attached(): boolean {
    return this.fire !== null;
  }

  /** Draws a frame if one is due. */
  poke(now = performance.now()): void {
    if (!this.fire || now - this.last < this.intervalMs) return;
    this.draw(now);
  }

  /** Draws a frame now, whatever the budget says: a key press must answer at once. */
  force(now = performance.now()): void {
    if (this.fire) this.draw(now);
  }

  private draw(now: number): void {
    if (!this.fire) return;
    this.last = now;
    const fire = this.fire;
    const started = performance.now();
    fire();
    const took = performance.now() - started;
    this.cost = this.frames === 0 ? took : this.cost * 0.8 + took * 0.2;
    this.frames++;
  }

  /**
   * What draws a frame synchronously (Ink's `rerender`): a React state update would only be
   * scheduled, and the scheduler runs on the same, possibly starved, event loop.
   */
  attach(fire: (() => void) | null, baseMs = FRAME_MS): void {
    this.fire = fire;
    this.baseMs = baseMs;
  }
}

/** Anything that counts its own changes: the UI re-renders when `version` moved. */
export interface Versioned {
  readonly version: number;
  readonly pump?: FramePump;
}

/**
 * Re-renders the calling component on a timer, at most once per `intervalMs`, and only when
 * the store changed (or `always`, for spinners), unless the store's FramePump is attached
 * (the mounted UIs), which then draws every frame. Either way events only bump the store's
 * version, so a burst of 100 000 events costs one frame.
 * Returns the frame count (spinner phase).
 */
export function useFrame(store: Versioned, intervalMs = FRAME_MS, always = false): number {
  const [frame, setFrame] = useState(0);
  const seen = useRef(store.version);
  useEffect(() => {
    // A mounted UI attaches the store's pump, which draws the frames itself.
    if (intervalMs <= 0 || store.pump?.attached) return;
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
