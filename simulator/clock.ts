/**
 * Simulated time shared by the fleet. Timers fire in due order as time advances, each
 * seeing the clock at its own due time; time never moves backwards. In real-time mode
 * the clock follows the wall clock (for live serving) and can still be advanced by hand.
 */

export class ClockError extends Error {}

const DURATION = /^P(?!$)(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?=\d)(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Milliseconds in an ISO 8601 duration of weeks, days, hours, minutes and seconds ("P7DT1H", "PT15M"). */
export function parseIsoDuration(text: string): number {
  const match = DURATION.exec(text);
  if (!match) {
    throw new ClockError(`'${text}' is not an ISO 8601 duration like P7D, PT15M or P7DT1H (years and months are not accepted: their length varies)`);
  }
  const [, w, d, h, m, s] = match;
  const ms = ((Number(w ?? 0) * 7 + Number(d ?? 0)) * 24 * 3600 + Number(h ?? 0) * 3600 + Number(m ?? 0) * 60 + Number(s ?? 0)) * 1000;
  return Math.round(ms);
}

interface Timer {
  at: number;
  seq: number;
  fire: () => void;
  cancelled: boolean;
}

export type TimerHandle = Timer;

/** A default start that is the same on every run, so reports stay comparable. */
export const DEFAULT_EPOCH = Date.UTC(2026, 0, 5, 9, 0, 0);

export class SimClock {
  private current: number;
  private heap: Timer[] = [];
  private seq = 0;
  private realTimer: NodeJS.Timeout | null = null;
  private firing = false;

  constructor(start: number = DEFAULT_EPOCH) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  nowIso(): string {
    return new Date(this.current).toISOString();
  }

  /** Runs `fire` when simulated time reaches `at` (at once on the next advance if `at` is already past). */
  at(at: number, fire: () => void): TimerHandle {
    const timer: Timer = { at: Math.max(at, this.current), seq: this.seq++, fire, cancelled: false };
    this.push(timer);
    return timer;
  }

  after(ms: number, fire: () => void): TimerHandle {
    return this.at(this.current + ms, fire);
  }

  cancel(timer: TimerHandle): void {
    timer.cancelled = true;
  }

  /** How many timers are waiting (cancelled ones may still be counted until they surface). */
  get pendingTimers(): number {
    return this.heap.length;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new ClockError(`cannot advance by ${ms} ms: time only moves forward`);
    this.advanceTo(this.current + ms);
  }

  advanceBy(isoDuration: string): void {
    this.advance(parseIsoDuration(isoDuration));
  }

  advanceTo(target: number): void {
    if (target < this.current) throw new ClockError(`cannot move the clock back to ${new Date(target).toISOString()}: it is ${this.nowIso()}`);
    if (this.firing) {
      // A timer that advances the clock only moves it; the outer loop fires what falls due.
      this.current = target;
      return;
    }
    this.firing = true;
    try {
      for (;;) {
        const next = this.heap[0];
        if (!next || next.at > target) break;
        this.pop();
        if (next.cancelled) continue;
        this.current = Math.max(this.current, next.at);
        next.fire();
      }
      this.current = Math.max(this.current, target);
    } finally {
      this.firing = false;
    }
  }

  /** Follow the wall clock, ticking every `tickMs` real milliseconds. */
  startRealTime(tickMs = 100): void {
    if (this.realTimer) return;
    let last = Date.now();
    this.realTimer = setInterval(() => {
      const wall = Date.now();
      this.advance(Math.max(0, wall - last));
      last = wall;
    }, tickMs);
    this.realTimer.unref();
  }

  stopRealTime(): void {
    if (this.realTimer) clearInterval(this.realTimer);
    this.realTimer = null;
  }

  get isRealTime(): boolean {
    return this.realTimer !== null;
  }

  private push(timer: Timer): void {
    const heap = this.heap;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < heap.length && earlier(heap[l]!, heap[min]!)) min = l;
      if (r < heap.length && earlier(heap[r]!, heap[min]!)) min = r;
      if (min === i) break;
      [heap[i], heap[min]] = [heap[min]!, heap[i]!];
      i = min;
    }
  }
}

function earlier(a: Timer, b: Timer): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
