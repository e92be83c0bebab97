/**
 * Graph-style throttling (`lockstep serve --throttle N/Ws`): each client (app id) may make N
 * management requests per W seconds, as a token bucket that holds N and refills N every W
 * seconds. Over it, Graph answers 429 TooManyRequests with Retry-After (seconds). Intune
 * publishes 1000 requests per 20 seconds per app and tenant (`--throttle intune`, parsed in
 * harness/serve-throttle-arg.ts).
 * Wall-clock time: throttling is about real clients backing off, not simulated time.
 */
export interface ThrottleSpec {
  requests: number;
  windowSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class Throttle {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    readonly spec: ThrottleSpec,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = spec.requests / (spec.windowSeconds * 1000);
  }

  /** Takes one request for `client`: 0 when it may go ahead, else the whole seconds to wait. */
  take(client: string): number {
    const now = this.now();
    let bucket = this.buckets.get(client);
    if (!bucket) {
      // Bounded: a client idle for a whole window has a full bucket, the same as no entry.
      if (this.buckets.size >= 10_000) this.forgetIdle(now);
      bucket = { tokens: this.spec.requests, at: now };
      this.buckets.set(client, bucket);
    }
    bucket.tokens = Math.min(this.spec.requests, bucket.tokens + (now - bucket.at) * this.perMs);
    bucket.at = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  private forgetIdle(now: number): void {
    const windowMs = this.spec.windowSeconds * 1000;
    for (const [client, bucket] of this.buckets) if (now - bucket.at >= windowMs) this.buckets.delete(client);
  }
}
