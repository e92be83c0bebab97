import { deviceStates, type StatsView } from '../../simulator/mdm/fleet-stats.js';
import type { ChangeEvent } from '../../simulator/mdm/reference-mdm.js';
import { FramePump } from './use-frame.js';

/** Connection of the dashboard to its fleet (always "connected" for the embedded demo). */
export type WatchConnection =
  | { state: 'connecting' }
  | { state: 'connected' }
  | { state: 'disconnected'; retryAt: number; reason: string };

export interface FeedItem {
  seq: number;
  kind: 'device' | 'action';
  id: string;
  variant: string | null;
  /** Simulated time of the change (ISO). */
  at: string;
  /** What changed, in words: "locked · offline" or "resetPasscode pending". Never a passcode (events carry none). */
  text: string;
  /** For colouring: an action's state, or the device's lock screen. */
  tone: string;
}

/** Seconds of throughput history kept for the sparkline. */
export const THROUGHPUT_SECONDS = 60;
const FEED_KEEP = 64;
const FEED_KEEP_PER_VARIANT = 24;
const KNOWN_DEVICES_CAP = 1_000_000;

/**
 * The watch dashboard's state, fed by any source (the SSE stream of a `lockstep serve`,
 * or the embedded demo's EventEmitter): each event costs a few counter updates and a ring
 * write, and bumps `version`; the UI reads it on its own ~8 Hz timer.
 */
export class WatchStore {
  version = 0;
  readonly pump = new FramePump();
  stats: StatsView | null = null;
  /** Wall-clock ms when `stats` was fetched. */
  statsAt = 0;
  statsError: string | null = null;
  connection: WatchConnection = { state: 'connecting' };
  /** Simulated time of the latest event or hello. */
  simNow: string | null = null;
  totalEvents = 0;
  /** Events the server dropped because we fell behind. */
  dropped = 0;
  private seq = 0;
  private readonly feed: FeedItem[] = [];
  private readonly feedByVariant = new Map<string, FeedItem[]>();
  private readonly variantOf = new Map<string, string>();
  private readonly buckets = new Float64Array(THROUGHPUT_SECONDS);
  private readonly bucketSecond = new Float64Array(THROUGHPUT_SECONDS).fill(-1);

  /** Finds a device's variant for action events of devices not seen yet (the embedded demo can; HTTP cannot). */
  private resolveVariant: ((id: string) => string | undefined) | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  setVariantResolver(resolve: (id: string) => string | undefined): void {
    this.resolveVariant = resolve;
  }

  ingest(event: ChangeEvent): void {
    this.totalEvents++;
    this.count(1);
    this.simNow = event.at;
    let variant: string | null;
    let item: FeedItem;
    if (event.kind === 'device') {
      variant = event.truth.variant;
      if (!this.variantOf.has(event.id)) {
        if (this.variantOf.size >= KNOWN_DEVICES_CAP) this.variantOf.clear();
        this.variantOf.set(event.id, variant);
        this.backfill(event.id, variant);
      }
      // ASCII only: the UI measures every visible line each frame, and non-ASCII is the slow path.
      const states = deviceStates(event.truth).join(', ');
      const pending = event.truth.pendingCommands > 0 ? `, ${event.truth.pendingCommands} pending` : '';
      item = { seq: ++this.seq, kind: 'device', id: event.id, variant, at: event.at, text: `${states}${pending}`, tone: event.truth.enrolled ? event.truth.lockScreen : 'wiped' };
    } else {
      variant = this.variantOf.get(event.id) ?? this.resolveVariant?.(event.id) ?? null;
      const reason = event.errorReason ? ` (${event.errorReason})` : '';
      item = { seq: ++this.seq, kind: 'action', id: event.id, variant, at: event.at, text: `${event.actionName} ${event.actionState}${reason}`, tone: event.actionState };
    }
    push(this.feed, item, FEED_KEEP);
    if (variant) push(this.ring(variant), item, FEED_KEEP_PER_VARIANT);
    this.version++;
    this.pump.poke();
  }

  hello(info: { now?: string; devices?: number }): void {
    if (typeof info.now === 'string') this.simNow = info.now;
    this.version++;
  }

  addDropped(n: number): void {
    this.dropped += n;
    this.count(n);
    this.version++;
  }

  setStats(stats: StatsView): void {
    this.stats = stats;
    this.statsAt = this.now();
    this.statsError = null;
    this.version++;
  }

  setStatsError(message: string): void {
    this.statsError = message;
    this.version++;
  }

  setConnection(connection: WatchConnection): void {
    this.connection = connection;
    this.version++;
  }

  /** The newest `n` events, newest first, optionally of one variant. */
  recent(n: number, variant: string | null = null): FeedItem[] {
    const source = variant ? (this.feedByVariant.get(variant) ?? []) : this.feed;
    const out: FeedItem[] = [];
    for (let i = source.length - 1; i >= 0 && out.length < n; i--) out.push(source[i]!);
    return out;
  }

  /** Events per second over the last THROUGHPUT_SECONDS seconds, oldest first; the last entry is the current (partial) second. */
  rates(): number[] {
    const current = Math.floor(this.now() / 1000);
    const out: number[] = [];
    for (let s = current - THROUGHPUT_SECONDS + 1; s <= current; s++) {
      const i = s % THROUGHPUT_SECONDS;
      out.push(this.bucketSecond[i] === s ? this.buckets[i]! : 0);
    }
    return out;
  }

  /** Events in the last complete second. */
  rate(): number {
    const rates = this.rates();
    return rates[rates.length - 2] ?? 0;
  }

  private count(n: number): void {
    const second = Math.floor(this.now() / 1000);
    const i = second % THROUGHPUT_SECONDS;
    if (this.bucketSecond[i] !== second) {
      this.bucketSecond[i] = second;
      this.buckets[i] = 0;
    }
    this.buckets[i]! += n;
  }

  private ring(variant: string): FeedItem[] {
    let list = this.feedByVariant.get(variant);
    if (!list) this.feedByVariant.set(variant, (list = []));
    return list;
  }

  /** An action event can arrive before the device's first device event: give recent ones their variant. */
  private backfill(id: string, variant: string): void {
    for (let i = this.feed.length - 1, seen = 0; i >= 0 && seen < 8; i--, seen++) {
      const item = this.feed[i]!;
      if (item.id === id && item.variant === null) {
        item.variant = variant;
        const ring = this.ring(variant);
        ring.push(item);
        ring.sort((a, b) => a.seq - b.seq);
      }
    }
  }
}

function push<T>(list: T[], item: T, keep: number): void {
  list.push(item);
  // Trim in batches so the ring stays cheap under a burst.
  if (list.length > keep * 2) list.splice(0, list.length - keep);
}
