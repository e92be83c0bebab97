/**
 * From a Graph device action to an Apple command and back: on an Apple device enrolled over the
 * wire, `resetPasscode` becomes ClearPasscode with the UnlockToken the device escrowed,
 * `remoteLock` a DeviceLock (a Mac gets a six-digit PIN, drawn from the seed), `wipe` an
 * EraseDevice (with a PIN on a Mac). The device's answer settles the action: Acknowledged is
 * `done`, Error or CommandFormatError is `failed` (never `done`). PINs and tokens stay inside; the
 * caller sees a PIN only as a digest.
 */
import type { ActionName, ActionState } from '../../contract/actions.js';
import { mulberry32 } from '../../contract/mulberry32.js';
import { secretDigest } from '../secret-hash.js';
import { commandPlist, type ErrorChainEntry, type PlistDict } from './protocol.js';
import type { AppleMdmServer, CommandOutcome } from './reference-server.js';

export interface BridgedAction {
  action: ActionName;
  enrollmentId: string;
  commandUuid: string;
  requestType: 'ClearPasscode' | 'DeviceLock' | 'EraseDevice';
  state: Extract<ActionState, 'pending' | 'done' | 'failed'>;
  /** The first ErrorChain entry's code and domain when the device refused. */
  error?: { code: number; domain: string };
  /** Digest of the PIN sent (Mac lock and erase), for comparing with the device's truth. */
  pinDigest: number | null;
}

export class AppleActionBridge {
  private readonly actions = new Map<string, BridgedAction>();
  private readonly random: () => number;
  constructor(
    private readonly server: AppleMdmServer,
    seed: number,
    private readonly onSettled?: (action: BridgedAction) => void,
  ) {
    this.random = mulberry32(seed ^ 0x5eed_a991);
    server.onResult((outcome) => this.settle(outcome));
  }

  /** Queue the action's command for the enrollment: the pending action, or why it cannot be sent. */
  start(enrollmentId: string, action: ActionName, platform: 'ios' | 'macos'): BridgedAction | string {
    const enrollment = this.server.enrollments.get(enrollmentId);
    if (!enrollment || enrollment.checkedOut) return 'the device is not enrolled over the Apple protocol';
    let requestType: BridgedAction['requestType'];
    const payload: PlistDict = {};
    let pin: string | null = null;
    if (action === 'resetPasscode') {
      const token = this.server.escrowedUnlockToken(enrollmentId);
      if (!token) return 'no UnlockToken is escrowed for this device';
      requestType = 'ClearPasscode';
      payload.UnlockToken = token;
    } else {
      requestType = action === 'remoteLock' ? 'DeviceLock' : 'EraseDevice';
      if (platform === 'macos') pin = payload.PIN = String(Math.floor(this.random() * 1_000_000)).padStart(6, '0');
    }
    const commandUuid = this.uuid();
    const queued = this.server.enqueue(enrollmentId, commandPlist(commandUuid, requestType, payload));
    if (typeof queued === 'string') return queued;
    this.server.push(enrollmentId);
    const bridged: BridgedAction = { action, enrollmentId, commandUuid, requestType, state: 'pending', pinDigest: pin === null ? null : secretDigest(pin) };
    this.actions.set(commandUuid, bridged);
    return bridged;
  }

  get(commandUuid: string): BridgedAction | undefined {
    return this.actions.get(commandUuid);
  }

  private settle(outcome: CommandOutcome): void {
    const action = this.actions.get(outcome.commandUuid);
    if (!action || action.state !== 'pending') return;
    action.state = outcome.status === 'Acknowledged' ? 'done' : 'failed';
    const first: ErrorChainEntry | undefined = outcome.errorChain[0];
    if (action.state === 'failed') action.error = { code: Number(first?.ErrorCode ?? 0), domain: String(first?.ErrorDomain ?? 'unknown') };
    this.onSettled?.(action);
  }

  /** A seeded, RFC 4122-shaped command UUID (same seed, same UUIDs). */
  private uuid(): string {
    const hex = Array.from({ length: 32 }, () => Math.floor(this.random() * 16).toString(16)).join('').toUpperCase();
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-A${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
