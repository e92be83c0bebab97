/**
 * `lockstep run --apple-mutant NAME`: an HTTP proxy in front of a real Apple MDM server (NanoMDM in
 * the tests) that changes what goes over the wire, the way a buggy vendor layer would, with the
 * wrong servers of wrong-servers.ts and a few more here. Each names the AP rows that must catch
 * it; mutants.e2e.test.ts shows they do, through the CLI's options.
 *
 * The device's check-ins and results are read, never changed (they carry its Mdm-Signature); a
 * mutant rewrites the server's answers, replays or drops commands, or turns a refusal into 200.
 * `checkoutGuard` is the opposite: the fix NanoMDM lacks for AP-6, so that a clean baseline exists.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodePlistDict, encodePlist, type PlistDict } from '../../simulator/apple/protocol.js';
import { WRONG_APPLE_SERVERS, type ProxyState, type WrongServer } from './wrong-servers.js';

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

/** Wrong servers beside those of wrong-servers.ts (one per row there; these are more of the same rows). */
export const APPLE_MUTANTS: readonly AppleMutant[] = [
  {
    id: 'ap-1/unlock-token-dropped',
    title: 'sends ClearPasscode without its UnlockToken',
    caughtBy: ['AP-1', 'AP-8'],
    make: () => rewritePayload('ClearPasscode', (payload) => delete payload.UnlockToken),
  },
  {
    id: 'ap-5/notnow-never-redelivered',
    title: 'never delivers again a command the device answered NotNow',
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
    id: 'ap-10/lock-pin-as-integer',
    title: "sends DeviceLock's PIN as a plist integer, not a string",
    caughtBy: ['AP-10'],
    make: () =>
      rewritePayload('DeviceLock', (payload) => {
        if (typeof payload.PIN === 'string') payload.PIN = Number(payload.PIN);
      }),
  },
];

/** A wrong server of wrong-servers.ts as a rewrite, so both catalogues go through one proxy. */
function fromWrongServer(wrong: WrongServer): AnswerRewrite {
  const state: ProxyState = { lastCommand: new Map(), firstToken: new Map() };
  return (exchange, answer) => {
    const plist = exchange.message ?? {};
    const status = wrong.status?.(plist, answer.status) ?? answer.status;
    if (status !== 200) return { status, body: answer.body };
    if (answer.status !== 200) return EMPTY;
    return { status, body: wrong.answer(plist, answer.body, state) ?? answer.body };
  };
}

/** Every name `lockstep run --apple-mutant` takes: the fix for AP-6, then both catalogues. */
export const APPLE_MUTANT_NAMES: readonly string[] = ['checkout-guard', ...WRONG_APPLE_SERVERS.map((w) => w.id), ...APPLE_MUTANTS.map((m) => m.id)];

/** A fresh rewrite for a name of APPLE_MUTANT_NAMES, or undefined. */
export function appleMutantRewrite(name: string): AnswerRewrite | undefined {
  if (name === 'checkout-guard') return checkoutGuard();
  const wrong = WRONG_APPLE_SERVERS.find((w) => w.id === name);
  if (wrong) return fromWrongServer(wrong);
  return APPLE_MUTANTS.find((m) => m.id === name)?.make();
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
