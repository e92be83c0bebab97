/**
 * Back-off on failed client authentication at the token endpoint: after `freeFailures` wrong
 * secrets for one client id, that id must wait before trying again, twice as long after each
 * further failure (up to `maxDelayMs`). A success clears its record. Guessing a secret drops
 * from thousands of tries a second to a handful a minute; the right secret always gets through
 * once the wait is over. Keys are client ids as sent (unknown ids too, so probing for ids costs
 * the same); the table is bounded.
 */
export interface AuthBackoffOptions {
  freeFailures?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Entries kept at most (oldest dropped first). */
  maxEntries?: number;
  /** Wall-clock milliseconds (tests pass their own). */
  now?: () => number;
}

interface Entry {
  failures: number;
  blockedUntil: number;
}

export class AuthBackoff {
  private readonly entries = new Map<string, Entry>();
  private readonly freeFailures: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: AuthBackoffOptions = {}) {
    this.freeFailures = options.freeFailures ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** Seconds the client must still wait (0: it may try now). */
  retryAfterSeconds(clientId: string): number {
    const entry = this.entries.get(clientId);
    if (!entry) return 0;
    const wait = entry.blockedUntil - this.now();
    return wait > 0 ? Math.ceil(wait / 1000) : 0;
  }

  failed(clientId: string): void {
    let entry = this.entries.get(clientId);
    if (!entry) {
      if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
      entry = { failures: 0, blockedUntil: 0 };
      this.entries.set(clientId, entry);
    }
    entry.failures++;
    const over = entry.failures - this.freeFailures;
    if (over > 0) entry.blockedUntil = this.now() + Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(over - 1, 30));
  }

  succeeded(clientId: string): void {
    this.entries.delete(clientId);
  }
}
