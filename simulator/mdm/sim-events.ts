import type { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { GraphError, type AppEnv } from './graph-error.js';
import { queryParams, rejectUnknownOptions } from './odata-query.js';
import type { ChangeEvent, ReferenceMdm } from './reference-mdm.js';

export interface EventStreamOptions {
  /** Real milliseconds between heartbeat comments (15 s). */
  heartbeatMs?: number;
  /** Events a slow client may have waiting before the oldest are dropped (10 000). */
  queueLimit?: number;
  /** Events written per chunk (500). */
  batchSize?: number;
  /** Subscribers at once (64); more get 429 with Retry-After. Each may hold `queueLimit` events. */
  maxSubscribers?: number;
}

/**
 * `GET /sim/events`: Server-Sent Events. A `hello` event with the clock, then one `device` or
 * `action` event per ChangeEvent (data = the event's JSON), a `: heartbeat` comment every
 * 15 s, and `dropped` ({"dropped": n}) when a slow client fell more than `queueLimit` behind.
 */
export function registerEventStream(app: Hono<AppEnv>, mdm: ReferenceMdm, options: EventStreamOptions = {}): void {
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const queueLimit = options.queueLimit ?? 10_000;
  const batchSize = options.batchSize ?? 500;
  const maxSubscribers = options.maxSubscribers ?? 64;
  let subscribers = 0;

  app.get('/sim/events', (c) => {
    rejectUnknownOptions(queryParams(c.req.url), []);
    c.header('X-Accel-Buffering', 'no');
    // HEAD gets the headers only: a stream nobody reads would hold a subscription forever.
    if (c.req.method === 'HEAD') return c.body(null, 200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    if (subscribers >= maxSubscribers) {
      throw new GraphError(429, 'TooManyRequests', `Too many event-stream subscribers (at most ${maxSubscribers}); retry later`, { 'Retry-After': '5' });
    }
    subscribers++;
    let counted = true;
    const release = () => {
      if (counted) subscribers--;
      counted = false;
    };
    return streamSSE(c, async (stream) => {
      let queue: ChangeEvent[] = [];
      let head = 0;
      let dropped = 0;
      let done = false;
      let wake: (() => void) | null = null;

      const listener = (event: ChangeEvent) => {
        if (queue.length - head >= queueLimit) {
          head++;
          dropped++;
          if (head >= queueLimit) {
            queue = queue.slice(head);
            head = 0;
          }
        }
        queue.push(event);
        const w = wake;
        wake = null;
        w?.();
      };
      const stop = () => {
        release();
        done = true;
        mdm.changes.off('change', listener);
        const w = wake;
        wake = null;
        w?.();
      };
      mdm.changes.on('change', listener);
      stream.onAbort(stop);
      try {
        const mode = mdm.clock.isRealTime ? 'real' : 'manual';
        await stream.writeSSE({ event: 'hello', data: JSON.stringify({ now: mdm.clock.nowIso(), mode, devices: mdm.size }) });
        while (!done && !stream.aborted) {
          if (head === queue.length) {
            const timedOut = await new Promise<boolean>((resolve) => {
              const timer = setTimeout(() => {
                wake = null;
                resolve(true);
              }, heartbeatMs);
              wake = () => {
                clearTimeout(timer);
                resolve(false);
              };
            });
            if (done || stream.aborted) break;
            if (timedOut) await stream.write(': heartbeat\n\n');
            continue;
          }
          let chunk = '';
          if (dropped > 0) {
            chunk += `event: dropped\ndata: {"dropped":${dropped}}\n\n`;
            dropped = 0;
          }
          const end = Math.min(queue.length, head + batchSize);
          for (let i = head; i < end; i++) {
            const event = queue[i]!;
            chunk += `event: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`;
          }
          if (end === queue.length) {
            queue = [];
            head = 0;
          } else {
            head = end;
          }
          await stream.write(chunk);
        }
      } finally {
        stop();
      }
    });
  });
}
