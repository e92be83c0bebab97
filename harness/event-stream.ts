/**
 * A small Server-Sent Events client on fetch: a line parser that follows the WHATWG event
 * stream rules (event/data/id/retry fields, comments, multi-line data, CR/LF/CRLF line ends,
 * chunks split anywhere) and a connection loop that reconnects with capped exponential
 * backoff and reports connected/disconnected status. Used by `lockstep watch` for
 * GET /sim/events; it has no lockstep-specific knowledge.
 */

export interface SseEvent {
  /** The `event:` field, or "message" when the event had none. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen on the stream (the spec's "last event ID"), or "" when none. */
  id: string;
}

export interface SseParserHandlers {
  onEvent(event: SseEvent): void;
  /** A comment line (": heartbeat"), without the leading colon and one optional space. */
  onComment?(text: string): void;
  /** A valid `retry:` field, in milliseconds. */
  onRetry?(ms: number): void;
}

/** Incremental parser: push decoded text in chunks of any size; events are dispatched on blank lines. */
export class SseParser {
  private buffer = '';
  /** The previous chunk ended in CR: a LF starting the next chunk belongs to that line end. */
  private skipLf = false;
  private eventType = '';
  private data: string[] = [];
  private lastId = '';
  private firstLine = true;

  constructor(private readonly handlers: SseParserHandlers) {}

  push(chunk: string): void {
    let text = chunk;
    if (text === '') return;
    if (this.skipLf) {
      this.skipLf = false;
      if (text.startsWith('\n')) text = text.slice(1);
    }
    this.buffer += text;
    let start = 0;
    const buffer = this.buffer;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(buffer.slice(start, i));
      if (c === 13) {
        if (i + 1 < buffer.length) {
          if (buffer.charCodeAt(i + 1) === 10) i++;
        } else {
          this.skipLf = true;
        }
      }
      start = i + 1;
    }
    this.buffer = start === 0 ? buffer : buffer.slice(start);
  }

  /** The stream ended: an event without its closing blank line is dropped, as the spec says. */
  end(): void {
    this.buffer = '';
    this.skipLf = false;
    this.eventType = '';
    this.data = [];
    this.firstLine = true;
  }

  /** The last event id seen (for a Last-Event-ID header on reconnect). */
  get lastEventId(): string {
    return this.lastId;
  }

  private line(raw: string): void {
    let line = raw;
    if (this.firstLine) {
      this.firstLine = false;
      if (line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    }
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      this.handlers.onComment?.(line.slice(line.charCodeAt(1) === 32 ? 2 : 1));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
      // Unknown fields are ignored.
    }
  }

  private dispatch(): void {
    const type = this.eventType;
    const data = this.data;
    this.eventType = '';
    this.data = [];
    if (data.length === 0) return;
    this.handlers.onEvent({ event: type === '' ? 'message' : type, data: data.join('\n'), id: this.lastId });
  }
}

export type StreamStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'connected' }
  | { state: 'disconnected'; attempt: number; retryInMs: number; retryAt: number; reason: string }
  | { state: 'closed' };

export interface BackoffOptions {
  /** First retry delay (500 ms). */
  initialMs?: number;
  /** Largest retry delay (15 s). */
  maxMs?: number;
  /** Growth per failed attempt (2). */
  factor?: number;
}

/** Delay before retry number `attempt` (1 = first retry): initial × factor^(attempt−1), capped. */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 500;
  const max = options.maxMs ?? 15_000;
  const factor = options.factor ?? 2;
  const delay = initial * factor ** Math.max(0, attempt - 1);
  return Math.min(max, Number.isFinite(delay) ? delay : max);
}

/** Thrown by a headers() callback or seen as a response status: the stream cannot be opened. */
export class StreamHttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface EventStreamOptions {
  url: string;
  /** Request headers for each connection attempt (e.g. a fresh bearer token). */
  headers?: () => Promise<Record<string, string>> | Record<string, string>;
  onEvent: (event: SseEvent) => void;
  onStatus?: (status: StreamStatus) => void;
  /** Called with the response status when the server answers other than 200 (e.g. to drop a stale token on 401). */
  onHttpError?: (status: number) => void;
  backoff?: BackoffOptions;
  /** Treat the connection as dead after this long without a byte (heartbeats count): 45 s. 0 disables. */
  idleTimeoutMs?: number;
  fetch?: typeof fetch;
}

export interface EventStreamHandle {
  readonly status: StreamStatus;
  close(): void;
}

/**
 * Opens the stream and keeps it open: on a refused connection, a non-200 answer, an
 * ended or stalled stream, it reports `disconnected` with the delay and tries again,
 * the delay doubling up to the cap; a connection that delivered data resets the delay.
 */
export function openEventStream(options: EventStreamOptions): EventStreamHandle {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const idleMs = options.idleTimeoutMs ?? 45_000;
  let status: StreamStatus = { state: 'connecting', attempt: 0 };
  let closed = false;
  let controller: AbortController | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let wakeRetry: (() => void) | null = null;
  let failures = 0;

  const setStatus = (next: StreamStatus) => {
    status = next;
    options.onStatus?.(next);
  };

  const connectOnce = async (): Promise<{ gotData: boolean; reason: string }> => {
    controller = new AbortController();
    const abort = controller;
    let gotData = false;
    let idleTimer: NodeJS.Timeout | null = null;
    const armIdle = () => {
      if (idleMs <= 0) return;
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => abort.abort(new Error(`no data for ${Math.round(idleMs / 1000)} s`)), idleMs);
    };
    try {
      const headers = { accept: 'text/event-stream', 'cache-control': 'no-cache', ...(await options.headers?.()) };
      if (closed) return { gotData, reason: 'closed' };
      armIdle();
      const response = await doFetch(options.url, { headers, signal: abort.signal });
      if (response.status !== 200 || !response.body) {
        await response.body?.cancel().catch(() => undefined);
        options.onHttpError?.(response.status);
        return { gotData, reason: `HTTP ${response.status}` };
      }
      setStatus({ state: 'connected' });
      const parser = new SseParser({
        onEvent: (event) => {
          if (!closed) options.onEvent(event);
        },
      });
      const decoder = new TextDecoder();
      const reader = response.body.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          gotData = true;
          armIdle();
          parser.push(decoder.decode(value, { stream: true }));
          if (closed) break;
        }
        parser.push(decoder.decode());
      } finally {
        parser.end();
        reader.cancel().catch(() => undefined);
      }
      return { gotData, reason: 'the server closed the stream' };
    } catch (error) {
      if (error instanceof StreamHttpError) options.onHttpError?.(error.status);
      const signalReason = abort.signal.aborted ? abort.signal.reason : null;
      return { gotData, reason: describe(signalReason ?? error) };
    } finally {
      if (idleTimer) clearTimeout(idleTimer);
      controller = null;
    }
  };

  const loop = async () => {
    while (!closed) {
      setStatus({ state: 'connecting', attempt: failures });
      const { gotData, reason } = await connectOnce();
      if (closed) break;
      failures = gotData ? 1 : failures + 1;
      const delay = backoffDelay(failures, options.backoff);
      setStatus({ state: 'disconnected', attempt: failures, retryInMs: delay, retryAt: Date.now() + delay, reason });
      await new Promise<void>((resolve) => {
        wakeRetry = resolve;
        retryTimer = setTimeout(resolve, delay);
      });
      wakeRetry = null;
      retryTimer = null;
    }
  };
  void loop();

  return {
    get status() {
      return status;
    },
    close() {
      if (closed) return;
      closed = true;
      controller?.abort(new Error('closed'));
      if (retryTimer) clearTimeout(retryTimer);
      wakeRetry?.();
      setStatus({ state: 'closed' });
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? error.message;
  }
  return String(error);
}
