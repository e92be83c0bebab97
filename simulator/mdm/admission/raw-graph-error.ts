import { newRequestId } from '../request-id.js';
import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/** The Graph error body for answers written outside the Hono app (admission, Node's client errors). */
export function graphErrorJson(code: string, message: string): { body: string; requestId: string } {
  const requestId = newRequestId();
  const body = JSON.stringify({ error: { code, message, innerError: { date: new Date().toISOString(), 'request-id': requestId } } });
  return { body, requestId };
}

const REASONS: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  413: 'Payload Too Large',
  405: 'Method Not Allowed',
  414: 'URI Too Long',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  503: 'Service Unavailable',
};

/** Writes a Graph-shaped error through a ServerResponse (the request was parsed). */
export function writeGraphError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const { body, requestId } = graphErrorJson(code, message);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'request-id': requestId, ...headers });
  res.end(body);
}

/**
 * Writes a Graph-shaped error straight onto a socket and closes it: for requests Node refused
 * before the app saw them (header too large, malformed request line, timeouts). The socket is
 * ended, not destroyed, so the answer reaches the client before the close.
 */
export function writeRawGraphError(socket: Socket, status: number, code: string, message: string, extra: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) return;
  const { body, requestId } = graphErrorJson(code, message);
  const lines = [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `request-id: ${requestId}`,
    'Connection: close',
    ...Object.entries(extra).map(([k, v]) => `${k}: ${v}`),
  ];
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  // A client that never reads must not hold the socket.
  setTimeout(() => socket.destroy(), 5000).unref();
}
