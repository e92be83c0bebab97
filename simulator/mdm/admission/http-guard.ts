import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import { writeGraphError, writeRawGraphError } from './raw-graph-error.js';

/**
 * Admission control in front of the Hono adapter: connection and in-flight caps (429 with
 * Retry-After, Graph's error shape), header/body/request timeouts, Node's own client errors
 * answered in Graph's shape, request targets checked before the adapter builds a URL from them,
 * no Host reflection (the URL the app sees carries the configured authority), and a graceful
 * drain (in-flight requests finish, new ones get 503, then the server closes).
 */
export interface AdmissionOptions {
  /** Requests being handled at once, beyond which new ones get 429 (default 256). */
  maxInFlight?: number;
  /** Open connections, beyond which new ones get 503 and are closed (default 1024). */
  maxConnections?: number;
  /** Time to receive the request headers (default 10 s). */
  headersTimeoutMs?: number;
  /** Time to receive the whole request, headers and body (default 30 s). */
  requestTimeoutMs?: number;
  /** Idle time of a kept-alive connection (default 65 s: longer than clients keep theirs, so a reused socket is not closed under a request). */
  keepAliveTimeoutMs?: number;
  /** Largest request header block in bytes (default 16 KiB, Node's). */
  maxHeaderSize?: number;
  /** Retry-After seconds in 429 and 503 answers (default 1). */
  retryAfterSeconds?: number;
  /** Longest a drain waits for in-flight requests before closing what is left (default 10 s). */
  drainTimeoutMs?: number;
}

export const ADMISSION_DEFAULTS = {
  maxInFlight: 256,
  maxConnections: 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 65_000,
  maxHeaderSize: 16 * 1024,
  retryAfterSeconds: 1,
  drainTimeoutMs: 10_000,
} as const;

type Listener = (incoming: IncomingMessage, outgoing: ServerResponse) => void;

/** A request target the adapter can turn into a URL: origin-form, no backslash, no control characters. */
const ORIGIN_FORM = /^\/[^\\\s\u0000-\u001f\u007f]*$/;
/** Long-lived streams have their own subscriber cap and do not hold an in-flight slot. */
const isStream = (url: string) => url === '/sim/events' || url.startsWith('/sim/events?');

export class AdmissionGuard {
  readonly options: Required<AdmissionOptions>;
  private inFlight = 0;
  private connections = 0;
  private draining = false;
  private idleWaiters: (() => void)[] = [];
  /** The authority the app's URLs carry (`host:port`), set once listening. */
  authority = 'localhost';
  /**
   * Keep the Host the caller sent: only for `--shard` servers, which sit behind a front or
   * HAProxy that forwards the client's Host, so that their links name the balancer.
   */
  keepHost = false;
  /**
   * The origin the app's URLs carry (`--public-url`), whatever the request said; null: this
   * server's own scheme and authority.
   */
  publicOrigin: string | null = null;
  /** Take the origin from X-Forwarded-Proto / X-Forwarded-Host (`--trust-forwarded`, behind a proxy). */
  trustForwarded = false;

  constructor(options: AdmissionOptions = {}) {
    this.options = { ...ADMISSION_DEFAULTS, ...options };
  }

  get requestsInFlight(): number {
    return this.inFlight;
  }

  get openConnections(): number {
    return this.connections;
  }

  /** An HTTP (or, given a certificate, HTTPS) server whose requests go through the guard to `listener` (the adapter's). */
  createServer(listener: Listener, tls?: { cert: string; key: string }): Server {
    const o = this.options;
    const create = tls ? (opts: object, handler: Listener) => createHttpsServer({ ...opts, cert: tls.cert, key: tls.key }, handler) : createServer;
    const server = create(
      {
        headersTimeout: o.headersTimeoutMs,
        requestTimeout: o.requestTimeoutMs,
        keepAliveTimeout: o.keepAliveTimeoutMs,
        maxHeaderSize: o.maxHeaderSize,
        // Node checks the header and request timeouts this often (30 s by default).
        connectionsCheckingInterval: Math.max(250, Math.min(1000, o.headersTimeoutMs / 4)),
      },
      (incoming, outgoing) => this.handle(incoming, outgoing, listener),
    );
    server.on('connection', (socket: Socket) => {
      this.connections++;
      socket.once('close', () => this.connections--);
      if (!tls && this.connections > o.maxConnections) this.tooManyConnections(socket);
    });
    // Over TLS the answer must go through the TLS session: bytes on the raw socket are a handshake error.
    if (tls) server.on('secureConnection', (socket: Socket) => this.connections > o.maxConnections && this.tooManyConnections(socket));
    server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => this.clientError(error, socket));
    // Node hands CONNECT to its own event and drops the socket when nobody listens.
    server.on('connect', (_request: IncomingMessage, socket: Socket) => writeRawGraphError(socket, 405, 'MethodNotAllowed', 'CONNECT is not allowed: this is not a proxy'));
    return server;
  }

  private retryAfter(): Record<string, string> {
    return { 'Retry-After': String(this.options.retryAfterSeconds) };
  }

  private tooManyConnections(socket: Socket): void {
    writeRawGraphError(socket, 503, 'ServiceUnavailable', `Too many open connections (at most ${this.options.maxConnections}); retry later`, this.retryAfter());
  }

  private handle(incoming: IncomingMessage, outgoing: ServerResponse, listener: Listener): void {
    const o = this.options;
    if (this.draining) {
      outgoing.shouldKeepAlive = false;
      writeGraphError(outgoing, 503, 'ServiceUnavailable', 'The server is shutting down; retry on another instance or later', this.retryAfter());
      return;
    }
    const url = incoming.url ?? '';
    if (!ORIGIN_FORM.test(url)) {
      writeGraphError(outgoing, 400, 'BadRequest', 'The request target must be a path starting with / (no absolute URL, *, backslash or control characters)');
      return;
    }
    const stream = isStream(url);
    if (!stream && this.inFlight >= o.maxInFlight) {
      writeGraphError(outgoing, 429, 'TooManyRequests', `Too many requests in flight (at most ${o.maxInFlight}); retry after ${o.retryAfterSeconds} s`, this.retryAfter());
      return;
    }
    // No Host reflection: URLs in answers carry the configured authority, never the caller's.
    if (!this.keepHost || !incoming.headers.host) incoming.headers.host = this.authority;
    // An absolute request target is taken as the request's URL by the adapter: the app's links
    // (@odata.nextLink, @odata.context, discovery URLs) then name the public origin.
    const origin = this.publicOrigin ?? (this.trustForwarded ? forwardedOrigin(incoming) : null);
    if (origin !== null) incoming.url = origin + url;
    if (!stream) {
      this.inFlight++;
      // A response emits 'close' when it has finished and when its connection went away first.
      let counted = true;
      outgoing.on('close', () => {
        if (!counted) return;
        counted = false;
        this.inFlight--;
        if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    }
    if (this.draining) outgoing.shouldKeepAlive = false;
    listener(incoming, outgoing);
  }

  private clientError(error: NodeJS.ErrnoException, socket: Socket): void {
    // ECONNRESET and the like: nobody is left to answer.
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    switch (error.code) {
      case 'HPE_HEADER_OVERFLOW':
        return writeRawGraphError(socket, 431, 'RequestHeaderFieldsTooLarge', `The request headers are larger than ${this.options.maxHeaderSize} bytes`);
      case 'ERR_HTTP_REQUEST_TIMEOUT':
        return writeRawGraphError(socket, 408, 'RequestTimeout', 'The request was not received in time');
      case 'HPE_URI_TOO_LONG':
        return writeRawGraphError(socket, 414, 'UriTooLong', 'The request target is too long');
      default:
        return writeRawGraphError(socket, 400, 'BadRequest', 'The request is not valid HTTP/1.1');
    }
  }

  /**
   * Stops taking requests: new ones get 503 (Connection: close), idle connections close, and the
   * server closes once the requests in flight are answered (or after drainTimeoutMs).
   */
  async drain(server: Server): Promise<void> {
    this.draining = true;
    // Still listening: a request that arrives now gets 503 (Connection: close) instead of a refused connection.
    server.closeIdleConnections();
    if (this.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.drainTimeoutMs);
        timer.unref();
        this.idleWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Event streams never end on their own; kept-alive sockets between requests neither.
    server.closeAllConnections();
    await closed;
  }
}

const FORWARDED_HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** The origin a proxy says the client used (first value of each header), or null when it says nothing usable. */
function forwardedOrigin(incoming: IncomingMessage): string | null {
  const first = (name: string): string | undefined => {
    const value = incoming.headers[name];
    const text = Array.isArray(value) ? value[0] : value;
    return text?.split(',')[0]?.trim().toLowerCase();
  };
  const proto = first('x-forwarded-proto');
  const host = first('x-forwarded-host');
  if (proto === undefined && host === undefined) return null;
  const scheme = proto === 'http' || proto === 'https' ? proto : (incoming.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
  const authority = host !== undefined && FORWARDED_HOST.test(host) ? host : incoming.headers.host;
  return `${scheme}://${authority}`;
}
