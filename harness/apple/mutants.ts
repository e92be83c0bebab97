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
import { encodePlist, type PlistDict } from '../../simulator/apple/protocol.js';
import { commandOf, EMPTY, type AnswerRewrite } from './mutant-proxy.js';
import { WRONG_APPLE_SERVERS, wrongServerRewrite } from './wrong-servers.js';

export { startMutantProxy, type AnswerRewrite, type MutantProxy } from './mutant-proxy.js';

export interface AppleMutant {
  id: string;
  /** What the wrong server does, in a line. */
  title: string;
  /** The AP rows whose scenarios must fail against it. */
  caughtBy: readonly string[];
  /** A fresh rewrite (each keeps its own per-device memory). */
  make(): AnswerRewrite;
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
    id: 'ap-7/refusal-as-server-error',
    title: 'answers a check-in the server refused for its identity with 500 (a front that maps every upstream error to its own)',
    caughtBy: ['AP-7'],
    make: () => (exchange, answer) => (exchange.kind === 'checkin' && answer.status >= 400 && answer.status < 500 ? { status: 500, body: new TextEncoder().encode('upstream error') } : answer),
  },
  {
    id: 'ap-10/lock-request-type-misspelled',
    title: 'sends DeviceLock with its RequestType under `requestType`, a key Apple does not define (the device cannot read the command)',
    caughtBy: ['AP-10'],
    make: () => (_exchange, answer) => {
      const command = commandOf(answer);
      if (!command || commandDict(command).RequestType !== 'DeviceLock') return answer;
      const { RequestType, ...payload } = commandDict(command);
      return { status: 200, body: encodePlist({ ...command, Command: { requestType: RequestType!, ...payload } }) };
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

/** Every name `lockstep run --apple-mutant` takes: the fix for AP-6, then both catalogues. */
export const APPLE_MUTANT_NAMES: readonly string[] = ['checkout-guard', ...WRONG_APPLE_SERVERS.map((w) => w.id), ...APPLE_MUTANTS.map((m) => m.id)];

/** A fresh rewrite for a name of APPLE_MUTANT_NAMES, or undefined. */
export function appleMutantRewrite(name: string): AnswerRewrite | undefined {
  if (name === 'checkout-guard') return checkoutGuard();
  const wrong = WRONG_APPLE_SERVERS.find((w) => w.id === name);
  if (wrong) return wrongServerRewrite(wrong);
  return APPLE_MUTANTS.find((m) => m.id === name)?.make();
}

