/**
 * The proxy behind `--apple-mutant` and the wrong Apple MDM servers: HTTP on 127.0.0.1 in front of a
 * real server's origin, passing every request through and each device exchange's answer through a
 * chain of rewrites. The device's own requests are never changed (they carry its Mdm-Signature).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePlistDict, type PlistDict } from '../../simulator/apple/protocol.js';

/** One request from a device as the proxy sees it. */
export interface DeviceExchange {
  /** UDID or EnrollmentID of the sender; '' when the body is not a plist. */
  enrollmentId: string;
  /** The check-in or command result the device sent (null: not a plist). */
  message: PlistDict | null;
  kind: 'checkin' | 'command';
}

export interface ServerAnswer {
  status: number;
  body: Uint8Array;
}

/** What a wrong server does differently: given the exchange and the real server's answer, its own answer. */
export type AnswerRewrite = (exchange: DeviceExchange, answer: ServerAnswer) => ServerAnswer;

export const EMPTY: ServerAnswer = { status: 200, body: new Uint8Array() };

/** The command in an answer, or null when there is none. */
export function commandOf(answer: ServerAnswer): PlistDict | null {
  if (answer.status !== 200 || answer.body.length === 0) return null;
  const dict = decodePlistDict(answer.body);
  return typeof dict === 'string' ? null : dict;
}

/** Requests the proxy forwards unchanged (the admin API, /version) and the device channel it watches. */
function exchangeOf(request: IncomingMessage, body: Uint8Array): DeviceExchange | null {
  if (request.method !== 'PUT') return null;
  const type = String(request.headers['content-type'] ?? '');
  const kind = type.includes('checkin') ? 'checkin' : type.includes('aspen-mdm') ? 'command' : null;
  if (!kind) return null;
  const dict = decodePlistDict(body);
  const message = typeof dict === 'string' ? null : dict;
  return { kind, message, enrollmentId: String(message?.UDID ?? message?.EnrollmentID ?? '') };
}

const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export interface MutantProxy {
  /** The proxy's origin: give devices `${url}/mdm` (or whatever path the server uses). */
  url: string;
  close(): Promise<void>;
}

/** An HTTP proxy on 127.0.0.1 to `upstream` (an origin) that passes device exchanges through `rewrites`, in order. */
export async function startMutantProxy(upstream: string, rewrites: readonly AnswerRewrite[]): Promise<MutantProxy> {
  const origin = new URL(upstream).origin;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const body = new Uint8Array(Buffer.concat(chunks));
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) if (!HOP_HEADERS.has(name) && value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
        const init: RequestInit = { method: request.method ?? 'GET', headers };
        if (body.length > 0 && request.method !== 'GET' && request.method !== 'HEAD') init.body = body;
        const upstreamAnswer = await fetch(origin + (request.url ?? '/'), init);
        let answer: ServerAnswer = { status: upstreamAnswer.status, body: new Uint8Array(await upstreamAnswer.arrayBuffer()) };
        const exchange = exchangeOf(request, body);
        if (exchange) for (const rewrite of rewrites) answer = rewrite(exchange, answer);
        const contentType = upstreamAnswer.headers.get('content-type');
        response.writeHead(answer.status, contentType && answer.body.length ? { 'content-type': contentType } : {});
        response.end(answer.body);
      })().catch(() => {
        if (!response.headersSent) response.writeHead(502);
        response.end();
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
