import type { IncomingMessage } from 'node:http';
import { oneChunkBody, type OneChunkBody } from './one-chunk-body.js';

/**
 * The request as the app sees it, without a WHATWG body stream where none is needed: a body
 * stream costs a full Request, an AbortSignal and a ReadableStream per request, several times
 * what a small route costs. No body (GET, HEAD, no or zero Content-Length): null, as a Request has. A body
 * whose declared length is within the limit: read at once into one buffer (the app still counts
 * its bytes). Anything else (chunked, oversized) keeps the adapter's streaming body.
 */
export function withBufferedBody(request: Request, incoming: { headers: IncomingMessage['headers']; resume(): unknown }, limit: number): Request {
  const method = request.method;
  if (method === 'GET' || method === 'HEAD') return buffered(request, null);
  const headers = incoming.headers;
  if (headers['transfer-encoding'] !== undefined) return request;
  const length = headers['content-length'];
  // HTTP/1.1: a request without Content-Length or Transfer-Encoding has no body. Reading its
  // (empty) stream to the end spares the adapter its per-request drain timers.
  if (length === undefined || length === '0') {
    incoming.resume();
    return buffered(request, null);
  }
  if (!/^\d{1,9}$/.test(length) || Number(length) > limit) return request;
  return buffered(request, Number(length) === 0 ? null : oneChunkBody(() => request.arrayBuffer()));
}

const buffered = (request: Request, body: OneChunkBody | null) => new BufferedRequest(request, body) as unknown as Request;

/** The adapter's request with another body; everything else is the adapter's. */
class BufferedRequest {
  constructor(
    private readonly inner: Request,
    readonly body: OneChunkBody | null,
  ) {}
  get url() {
    return this.inner.url;
  }
  get method() {
    return this.inner.method;
  }
  get headers() {
    return this.inner.headers;
  }
  get signal() {
    return this.inner.signal;
  }
  get bodyUsed() {
    return this.inner.bodyUsed;
  }
  arrayBuffer() {
    return this.inner.arrayBuffer();
  }
  text() {
    return this.inner.text();
  }
  json() {
    return this.inner.json();
  }
  blob() {
    return this.inner.blob();
  }
  formData() {
    return this.inner.formData();
  }
  clone() {
    return this.inner.clone();
  }
}
for (const key of ['cache', 'credentials', 'destination', 'duplex', 'integrity', 'keepalive', 'mode', 'redirect', 'referrer', 'referrerPolicy'] as const) {
  Object.defineProperty(BufferedRequest.prototype, key, {
    get(this: { inner: Record<string, unknown> }) {
      return this.inner[key];
    },
  });
}
