/**
 * Wrong Apple MDM servers for the apple-mdm area: an HTTP proxy in front of a real server (NanoMDM
 * in the tests) that changes what goes over the wire, the way a buggy vendor layer would. Each
 * mutant names the AP rows that must catch it; mutants.e2e.test.ts shows they do.
 *
 * The device's check-ins and results are read, never changed (they carry its Mdm-Signature); a
 * mutant rewrites the server's answers, replays or drops commands, or turns a refusal into 200.
 * `checkoutGuard` is the opposite: the fix NanoMDM lacks for AP-6, so that a clean baseline exists.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePlistDict, encodePlist, type PlistDict } from '../../simulator/apple/protocol.js';

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

export interface AppleMutant {
  id: string;
  /** What the wrong server does, in a line. */
  title: string;
  /** The AP rows whose scenarios must fail against it. */
  caughtBy: readonly string[];
  /** A fresh rewrite (each keeps its own per-device memory). */
  make(): AnswerRewrite;
}

const EMPTY: ServerAnswer = { status: 200, body: new Uint8Array() };

/** The command in an answer, or null when there is none. */
function commandOf(answer: ServerAnswer): PlistDict | null {
  if (answer.status !== 200 || answer.body.length === 0) return null;
  const dict = decodePlistDict(answer.body);
  return typeof dict === 'string' ? null : dict;
}

function commandDict(command: PlistDict): PlistDict {
  return command.Command as PlistDict;
}

/** Rewrites the payload of every command of one RequestType. */
function rewritePayload(requestType: string, change: (payload: PlistDict) => void): AnswerRewrite {
  return (_exchange, answer) => {
    const command = commandOf(answer);
    if (!command || commandDict(command).RequestType !== requestType) return answer;
    const payload = { ...commandDict(command) };
    change(payload);
    return { status: 200, body: encodePlist({ ...command, Command: payload }) };
  };
}

/** The fix for AP-6: after a CheckOut, the enrollment gets no command. Mutants are built on top of it. */
export function checkoutGuard(): AnswerRewrite {
  const gone = new Set<string>();
  return (exchange, answer) => {
    if (exchange.kind === 'checkin' && exchange.message?.MessageType === 'CheckOut' && answer.status === 200) gone.add(exchange.enrollmentId);
    if (exchange.kind === 'checkin' && exchange.message?.MessageType === 'Authenticate') gone.delete(exchange.enrollmentId);
    return exchange.kind === 'command' && gone.has(exchange.enrollmentId) && commandOf(answer) ? EMPTY : answer;
  };
}

export const APPLE_MUTANTS: readonly AppleMutant[] = [
  {
    id: 'apple-unlock-token-modified',
    title: 'ClearPasscode carries an UnlockToken that is not the one the device escrowed (a byte changed, as a stale or mis-decoded token)',
    caughtBy: ['AP-1', 'AP-8'],
    make: () =>
      rewritePayload('ClearPasscode', (payload) => {
        if (!(payload.UnlockToken instanceof Uint8Array)) return;
        const token = Uint8Array.from(payload.UnlockToken);
        token[token.length - 1] = token[token.length - 1]! ^ 0xff;
        payload.UnlockToken = token;
      }),
  },
  {
    id: 'apple-unlock-token-dropped',
    title: 'ClearPasscode is sent without its UnlockToken',
    caughtBy: ['AP-1', 'AP-8'],
    make: () => rewritePayload('ClearPasscode', (payload) => delete payload.UnlockToken),
  },
  {
    id: 'apple-lock-pin-as-integer',
    title: "DeviceLock's PIN is sent as a plist integer, not a string",
    caughtBy: ['AP-10'],
    make: () =>
      rewritePayload('DeviceLock', (payload) => {
        if (typeof payload.PIN === 'string') payload.PIN = Number(payload.PIN);
      }),
  },
  {
    id: 'apple-acknowledged-redelivered',
    title: 'A command the device Acknowledged is sent again at its next poll',
    caughtBy: ['AP-5'],
    make: () => {
      const sent = new Map<string, PlistDict>();
      const acknowledged = new Map<string, PlistDict>();
      const replayed = new Set<string>();
      return (exchange, answer) => {
        if (exchange.kind !== 'command' || !exchange.message) return answer;
        const { Status, CommandUUID } = exchange.message;
        if (Status === 'Acknowledged' && typeof CommandUUID === 'string' && sent.has(CommandUUID)) acknowledged.set(exchange.enrollmentId, sent.get(CommandUUID)!);
        const command = commandOf(answer);
        if (command) sent.set(String(command.CommandUUID), command);
        const stale = acknowledged.get(exchange.enrollmentId);
        if (Status === 'Idle' && !command && stale && !replayed.has(String(stale.CommandUUID))) {
          replayed.add(String(stale.CommandUUID));
          return { status: 200, body: encodePlist(stale) };
        }
        return answer;
      };
    },
  },
  {
    id: 'apple-notnow-dropped',
    title: 'A command the device answered NotNow is never delivered again',
    caughtBy: ['AP-5'],
    make: () => {
      const deferred = new Set<string>();
      return (exchange, answer) => {
        if (exchange.kind !== 'command' || !exchange.message) return answer;
        if (exchange.message.Status === 'NotNow') deferred.add(String(exchange.message.CommandUUID));
        const command = commandOf(answer);
        return command && deferred.has(String(command.CommandUUID)) ? EMPTY : answer;
      };
    },
  },
  {
    id: 'apple-untrusted-checkin-accepted',
    title: "A check-in signed by a certificate the server does not trust is answered 200 (a gateway that hides the server's refusal)",
    caughtBy: ['AP-7'],
    make: () => (exchange, answer) => (exchange.kind === 'checkin' && answer.status >= 400 && answer.status < 500 ? EMPTY : answer),
  },
];

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
