/**
 * Wrong Apple MDM servers: a real server (NanoMDM) behind a small proxy that is wrong in ONE
 * plausible way on ONE AP row. The apple-mdm area must fail a check on that row against each
 * (harness/apple/wrong-servers.e2e.test.ts). AP-6 needs no proxy: NanoMDM 0.9 itself hands a
 * checked-out enrollment its queued commands, and the area catches it.
 */
import { decodeCommand, decodePlistDict, encodePlist, type PlistDict } from '../../simulator/apple/protocol.js';
import { EMPTY, startMutantProxy, type AnswerRewrite, type MutantProxy } from './mutant-proxy.js';

export interface WrongServer {
  row: string;
  id: string;
  bug: string;
  /** Rewrites the server's answer to a device request (null: as is). `request` is the device's decoded plist. */
  answer(request: PlistDict, answer: Uint8Array, state: ProxyState): Uint8Array | null;
  /** The status to answer instead of the server's (null: as is). */
  status?(request: PlistDict, status: number): number | null;
}

/** What a proxy remembers across requests, per enrollment. */
export interface ProxyState {
  lastCommand: Map<string, Uint8Array>;
  firstToken: Map<string, Uint8Array>;
}

const idOf = (p: PlistDict) => String(p.UDID ?? p.EnrollmentID ?? '');

/** Rewrites a ClearPasscode in an answer; other answers pass. */
function editClearPasscode(answer: Uint8Array, edit: (command: PlistDict) => void): Uint8Array | null {
  const command = decodeCommand(answer);
  if (command === null || typeof command === 'string' || command.RequestType !== 'ClearPasscode') return null;
  const dict = decodePlistDict(answer) as PlistDict;
  edit(dict.Command as PlistDict);
  return encodePlist(dict);
}

export const WRONG_APPLE_SERVERS: readonly WrongServer[] = [
  {
    row: 'AP-1',
    id: 'ap-1/mangled-unlock-token',
    bug: 'sends ClearPasscode with the escrowed UnlockToken re-encoded (its last byte dropped)',
    answer: (_request, answer) => editClearPasscode(answer, (c) => {
      const token = c.UnlockToken;
      if (token instanceof Uint8Array) c.UnlockToken = token.slice(0, -1);
    }),
  },
  {
    row: 'AP-5',
    id: 'ap-5/redelivers-acknowledged',
    bug: 'delivers the last command once more after the device answered it (Acknowledged or Error) and the queue is empty',
    answer: (request, answer, state) => {
      const id = idOf(request);
      const command = decodeCommand(answer);
      if (command !== null && typeof command !== 'string') {
        state.lastCommand.set(id, answer);
        return null;
      }
      const last = state.lastCommand.get(id);
      if ((request.Status === 'Acknowledged' || request.Status === 'Error') && last) {
        state.lastCommand.delete(id);
        return last;
      }
      return null;
    },
  },
  {
    row: 'AP-7',
    id: 'ap-7/hides-identity-refusals',
    bug: "answers 200 to a check-in the server refused for its identity (a front that swallows the server's errors)",
    answer: () => null,
    status: (request, status) => (request.MessageType && status >= 400 && status < 500 ? 200 : null),
  },
  {
    row: 'AP-8',
    id: 'ap-8/first-token-forever',
    bug: 'keeps sending the UnlockToken of the first TokenUpdate after the device escrowed a new one',
    answer: (request, answer, state) => {
      if (request.MessageType === 'TokenUpdate' && request.UnlockToken instanceof Uint8Array && !state.firstToken.has(idOf(request))) state.firstToken.set(idOf(request), request.UnlockToken);
      const first = state.firstToken.get(idOf(request));
      return first ? editClearPasscode(answer, (c) => (c.UnlockToken = first)) : null;
    },
  },
  {
    row: 'AP-10',
    id: 'ap-10/key-outside-schema',
    bug: "adds a key of its own (RequireConfirmation) to ClearPasscode, outside Apple's schema",
    answer: (_request, answer) => editClearPasscode(answer, (c) => (c.RequireConfirmation = true)),
  },
];

/** A wrong server as a rewrite for the proxy (mutant-proxy.ts), which --apple-mutant shares. */
export function wrongServerRewrite(wrong: WrongServer): AnswerRewrite {
  const state: ProxyState = { lastCommand: new Map(), firstToken: new Map() };
  return (exchange, answer) => {
    const plist = exchange.message ?? {};
    const status = wrong.status?.(plist, answer.status) ?? answer.status;
    if (status !== 200) return { status, body: answer.body };
    if (answer.status !== 200) return EMPTY;
    return { status, body: wrong.answer(plist, answer.body, state) ?? answer.body };
  };
}

/** A proxy on 127.0.0.1 in front of `upstream` (the server's origin), wrong as `wrong` says. */
export function startWrongServer(upstream: string, wrong: WrongServer): Promise<MutantProxy> {
  return startMutantProxy(upstream, [wrongServerRewrite(wrong)]);
}
