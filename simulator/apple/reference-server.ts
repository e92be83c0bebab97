/**
 * The reference MDM's side of the Apple wire: the check-in and command endpoint a simulated (or
 * real) device talks to, and a NanoMDM-style admin surface (enqueue a command plist, push). It
 * keeps per enrollment what a real server keeps: the push token, the escrowed UnlockToken, the
 * certificate the device enrolled with, and a command queue. A request that does not prove the
 * enrolled identity gets a 4xx and changes nothing. Results are handed to `onResult`, so the
 * Graph side can settle the action that queued the command. Secrets stay inside this object.
 */
import { createHash } from 'node:crypto';
import { IdentityChecker, type IdentityMode } from './identity-check.js';
import { CHECKIN_CONTENT_TYPE, decodePlistDict, type ErrorChainEntry, type PlistDict } from './protocol.js';

export interface AppleEnrollment {
  /** The UDID, or the EnrollmentID of a User Enrollment. */
  readonly id: string;
  readonly userEnrollment: boolean;
  topic: string;
  /** SHA-256 of the identity certificate the device authenticated with. */
  certificate: string;
  pushToken: Uint8Array | null;
  pushMagic: string | null;
  unlockToken: Uint8Array | null;
  tokenUpdates: number;
  checkedOut: boolean;
  queue: QueuedCommand[];
  /** Commands answered NotNow since the last Idle: not offered again until then. */
  deferred: Set<string>;
  pushes: number;
}

export interface QueuedCommand {
  uuid: string;
  requestType: string;
  plist: Uint8Array;
}

export interface CommandOutcome {
  enrollmentId: string;
  commandUuid: string;
  requestType: string;
  status: 'Acknowledged' | 'Error' | 'CommandFormatError';
  errorChain: ErrorChainEntry[];
  /** The device's answer keys (DeviceInformation's QueryResponses, SecurityInfo...). */
  answer: PlistDict;
}

export interface WireAnswer {
  status: number;
  /** A command plist, or empty: nothing queued; for a 4xx, a one-line reason. */
  body: Uint8Array | string;
}

export interface AppleMdmServerOptions {
  caPem: string;
  identityMode?: IdentityMode;
  onResult?: (outcome: CommandOutcome) => void;
}

const EMPTY = new Uint8Array(0);
const fingerprint = (raw: Uint8Array) => createHash('sha256').update(raw).digest('hex');
const FINAL = new Set(['Acknowledged', 'Error', 'CommandFormatError']);

export class AppleMdmServer {
  readonly enrollments = new Map<string, AppleEnrollment>();
  private readonly identity: IdentityChecker;
  private readonly listeners: Array<(outcome: CommandOutcome) => void> = [];
  constructor(options: AppleMdmServerOptions) {
    this.identity = new IdentityChecker(options.caPem, options.identityMode ?? 'signature');
    if (options.onResult) this.listeners.push(options.onResult);
  }

  /** Be told of each final command result (Acknowledged, Error, CommandFormatError). */
  onResult(listener: (outcome: CommandOutcome) => void): void {
    this.listeners.push(listener);
  }

  /**
   * One PUT to /mdm: a check-in (by content type or MessageType) or a command result. With
   * `channelCertificate` the transport has already authenticated the device (mutual TLS, or the
   * reference's in-process channel to its own devices), so neither header is looked at.
   */
  handle(contentType: string | undefined, header: (name: string) => string | undefined, body: Uint8Array, channelCertificate?: Uint8Array): WireAnswer {
    let raw = channelCertificate;
    if (!raw) {
      const certificate = this.identity.check(header, body);
      if (typeof certificate === 'string') return { status: 401, body: certificate };
      raw = certificate.raw;
    }
    const message = decodePlistDict(body);
    if (typeof message === 'string') return { status: 400, body: message };
    const id = typeof message.EnrollmentID === 'string' ? message.EnrollmentID : typeof message.UDID === 'string' ? message.UDID : null;
    if (!id) return { status: 400, body: 'the message names no UDID or EnrollmentID' };
    const print = fingerprint(raw);
    const isCheckin = typeof message.MessageType === 'string' || contentType?.startsWith(CHECKIN_CONTENT_TYPE) === true;
    if (isCheckin) return this.checkin(id, print, message);
    const enrollment = this.enrollments.get(id);
    if (!enrollment || enrollment.checkedOut) return { status: 404, body: 'not enrolled' };
    if (enrollment.certificate !== print) return { status: 403, body: 'the certificate is not the one this device enrolled with' };
    return this.result(enrollment, message);
  }

  private checkin(id: string, print: string, message: PlistDict): WireAnswer {
    const type = message.MessageType;
    const topic = typeof message.Topic === 'string' ? message.Topic : '';
    if (type === 'Authenticate') {
      // A new Authenticate starts the enrollment over (a re-enrollment): nothing is kept.
      this.enrollments.set(id, {
        id,
        userEnrollment: typeof message.EnrollmentID === 'string',
        topic,
        certificate: print,
        pushToken: null,
        pushMagic: null,
        unlockToken: null,
        tokenUpdates: 0,
        checkedOut: false,
        queue: [],
        deferred: new Set(),
        pushes: 0,
      });
      return { status: 200, body: EMPTY };
    }
    const enrollment = this.enrollments.get(id);
    if (!enrollment) return { status: 404, body: 'not enrolled: Authenticate first' };
    if (enrollment.certificate !== print) return { status: 403, body: 'the certificate is not the one this device enrolled with' };
    if (type === 'TokenUpdate') {
      if (!(message.Token instanceof Uint8Array) || typeof message.PushMagic !== 'string') return { status: 400, body: 'TokenUpdate needs Token (data) and PushMagic' };
      enrollment.pushToken = message.Token;
      enrollment.pushMagic = message.PushMagic;
      // A TokenUpdate without UnlockToken keeps the escrowed one.
      if (message.UnlockToken instanceof Uint8Array) enrollment.unlockToken = message.UnlockToken;
      enrollment.tokenUpdates++;
      enrollment.checkedOut = false;
      return { status: 200, body: EMPTY };
    }
    if (type === 'CheckOut') {
      enrollment.checkedOut = true;
      enrollment.queue = [];
      return { status: 200, body: EMPTY };
    }
    return { status: 400, body: `unknown check-in MessageType` };
  }

  private result(enrollment: AppleEnrollment, message: PlistDict): WireAnswer {
    const status = message.Status;
    if (status === 'Idle') enrollment.deferred.clear();
    else if (typeof message.CommandUUID === 'string') {
      const at = enrollment.queue.findIndex((c) => c.uuid === message.CommandUUID);
      if (at >= 0 && status === 'NotNow') enrollment.deferred.add(message.CommandUUID);
      else if (at >= 0 && typeof status === 'string' && FINAL.has(status)) {
        const [command] = enrollment.queue.splice(at, 1);
        const { Status: _s, CommandUUID: _c, UDID: _u, EnrollmentID: _e, ErrorChain, ...answer } = message;
        const outcome: CommandOutcome = {
          enrollmentId: enrollment.id,
          commandUuid: command!.uuid,
          requestType: command!.requestType,
          status: status as CommandOutcome['status'],
          errorChain: Array.isArray(ErrorChain) ? (ErrorChain as ErrorChainEntry[]) : [],
          answer,
        };
        for (const listener of this.listeners) listener(outcome);
      } else if (typeof status !== 'string') return { status: 400, body: 'the result has no Status' };
    } else return { status: 400, body: 'the result has no CommandUUID' };
    const next = enrollment.queue.find((c) => !enrollment.deferred.has(c.uuid));
    return { status: 200, body: next ? next.plist : EMPTY };
  }

  /** Queue a command plist (CommandUUID + Command.RequestType) for an enrollment: its UUID, or why not. */
  enqueue(id: string, plist: Uint8Array): { commandUuid: string; requestType: string } | string {
    const enrollment = this.enrollments.get(id);
    if (!enrollment || enrollment.checkedOut) return 'no such enrollment';
    const dict = decodePlistDict(plist);
    if (typeof dict === 'string') return dict;
    const command = dict.Command as PlistDict | undefined;
    if (typeof dict.CommandUUID !== 'string' || !command || typeof command.RequestType !== 'string') return 'the command plist needs CommandUUID and Command.RequestType';
    if (enrollment.queue.some((c) => c.uuid === dict.CommandUUID)) return 'a command with this CommandUUID is already queued';
    enrollment.queue.push({ uuid: dict.CommandUUID, requestType: command.RequestType, plist });
    enrollment.pushes++;
    return { commandUuid: dict.CommandUUID, requestType: command.RequestType };
  }

  /** Whether a command is still queued for an enrollment (a NotNow answer leaves it there). */
  isQueued(id: string, commandUuid: string): boolean {
    return this.enrollments.get(id)?.queue.some((c) => c.uuid === commandUuid) ?? false;
  }

  /** Take a queued command back before the device answers it (the admin canceled it). */
  withdraw(id: string, commandUuid: string): boolean {
    const enrollment = this.enrollments.get(id);
    const at = enrollment ? enrollment.queue.findIndex((c) => c.uuid === commandUuid) : -1;
    if (at < 0) return false;
    enrollment!.queue.splice(at, 1);
    enrollment!.deferred.delete(commandUuid);
    return true;
  }

  /** A push (there is no APNs here): counted, so a harness can see the server asked. */
  push(id: string): boolean {
    const enrollment = this.enrollments.get(id);
    if (!enrollment || enrollment.checkedOut || !enrollment.pushToken) return false;
    enrollment.pushes++;
    return true;
  }

  /** The escrowed UnlockToken, for building a ClearPasscode inside the reference only. */
  escrowedUnlockToken(id: string): Uint8Array | null {
    return this.enrollments.get(id)?.unlockToken ?? null;
  }
}
