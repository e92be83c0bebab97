/**
 * A simulated iPhone, iPad or Mac enrolled in an Apple MDM server over HTTP(S): it checks in
 * (Authenticate, TokenUpdate, CheckOut), polls for commands (Idle) and answers each with
 * Acknowledged, Error (with an ErrorChain) or NotNow. What a command does to the device is the
 * device model's decision (simulator/device-machine.ts), the same one the reference MDM steps.
 * The agent keeps a log of what it received, with secrets only as shapes, so that a harness can
 * judge the server from the device side (AP-1..AP-10).
 */
import type { AnyMachineSnapshot } from 'xstate';
import type { DeviceErrorReason, DeviceMachineEvent } from '../device-events.js';
import type { DeviceProfile } from '../device-profile.js';
import { answerOf, enrolledSnapshot, groundTruth, stepDevice, type GroundTruth } from '../device-runtime.js';
import { secretDigest } from '../secret-hash.js';
import { keychainUnlockToken } from '../mdm/unlock-token.js';
import type { DeviceIdentity } from './identity.js';
import {
  CHECKIN_CONTENT_TYPE,
  COMMAND_CONTENT_TYPE,
  decodeCommand,
  encodePlist,
  plistType,
  type CheckinMessage,
  type Command,
  type CommandResult,
  type EnrollmentIdentity,
  type ErrorChainEntry,
  type PlistDict,
} from './protocol.js';

export type AppleVariant = 'ios-device' | 'ios-user-enrollment' | 'macos';
export const APPLE_VARIANTS: readonly AppleVariant[] = ['ios-device', 'ios-user-enrollment', 'macos'];

export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: Uint8Array }) => Promise<Response>;

export interface AgentOptions {
  /** The server's check-in and command URL (ServerURL; CheckInURL when it differs). */
  serverUrl: string;
  checkInUrl?: string;
  topic: string;
  identity: DeviceIdentity;
  /** How the device proves its identity: Mdm-Signature, or the certificate in this header. */
  identityMode: 'signature' | { header: string };
  fetch?: Fetch;
}

/** One command as the device saw it. Never a PIN or token value: their shape, and whether the token was the escrowed one. */
export interface ReceivedCommand {
  commandUuid: string;
  requestType: string;
  /** Payload keys and their plist types. */
  keys: Record<string, string>;
  status: CommandResult['Status'];
  /** ClearPasscode: the UnlockToken equals, byte for byte, the one this device last escrowed (null: none sent). */
  tokenIsEscrowed?: boolean | null;
  /** DeviceLock / EraseDevice: the length of the PIN sent (null: none). */
  pinLength?: number | null;
  /** Received after this device checked out (AP-6). */
  afterCheckOut: boolean;
  errorReason?: string;
}

export interface AgentTruth extends GroundTruth {
  checkedOut: boolean;
  /** A digest of the PIN the device locked or erased with (macOS), for comparing with an admin view; null: none. */
  lockPinDigest: number | null;
}

const ERROR_DOMAIN = 'MCMDMErrorDomain';
/** Apple-style error codes of the device's refusals (stable for reports). */
const ERROR_CODES: Partial<Record<DeviceErrorReason | 'UNKNOWN_COMMAND' | 'PIN_REQUIRED', number>> = {
  BAD_UNLOCK_TOKEN: 12066,
  UNLOCK_TOKEN_MISSING: 12067,
  MANAGEMENT_MODE: 12070,
  UNSUPPORTED: 12021,
  INVALID_VALUE: 12024,
  LOCK_PIN_OUTSTANDING: 12081,
  UNKNOWN_COMMAND: 12021,
  PIN_REQUIRED: 12024,
};

function errorChain(reason: string, text: string): ErrorChainEntry[] {
  return [{ ErrorCode: ERROR_CODES[reason as DeviceErrorReason] ?? 12000, ErrorDomain: ERROR_DOMAIN, LocalizedDescription: text, USEnglishDescription: text }];
}

const bytes = (text: string) => new TextEncoder().encode(text);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export class AppleDeviceAgent {
  readonly variant: AppleVariant;
  readonly enrollment: EnrollmentIdentity;
  readonly log: ReceivedCommand[] = [];
  private snapshot: AnyMachineSnapshot;
  private readonly fetch: Fetch;
  private checkedOut = false;
  private lockPin: string | null = null;
  private escrowed: Uint8Array | null = null;
  /** The token in the device's keychain; a TokenUpdate may rotate it. */
  private keychain: Uint8Array;
  private tokenGeneration = 0;
  /** Answer the next N commands NotNow (a busy or locked device, for AP-5). */
  private notNow = 0;
  /** Check-ins and command results sent, for throughput figures. */
  requests = 0;

  constructor(
    readonly profile: DeviceProfile,
    private readonly options: AgentOptions,
  ) {
    const variant = profile.facts.variant;
    if (variant !== 'ios-device' && variant !== 'ios-user-enrollment' && variant !== 'macos') throw new Error(`${variant} is not an Apple MDM variant`);
    this.variant = variant;
    this.snapshot = enrolledSnapshot(profile.facts);
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.enrollment =
      variant === 'ios-user-enrollment'
        ? { EnrollmentID: enrollmentIdOf(profile.id) }
        : { UDID: profile.id.toUpperCase() };
    this.keychain = bytes(keychainUnlockToken(profile));
  }

  /** The id a server's admin API addresses this enrollment by (NanoMDM: the UDID or EnrollmentID). */
  get enrollmentId(): string {
    return 'UDID' in this.enrollment ? this.enrollment.UDID : this.enrollment.EnrollmentID;
  }

  /** Authenticate, then TokenUpdate: what a device does right after installing the enrollment profile. */
  async enroll(): Promise<void> {
    const p = this.profile;
    await this.checkin({
      MessageType: 'Authenticate',
      Topic: this.options.topic,
      ...(this.variant === 'ios-user-enrollment' ? {} : { SerialNumber: p.serialNumber }),
      Model: p.model,
      ModelName: p.model,
      ProductName: p.model,
      OSVersion: p.osVersion,
      BuildVersion: buildVersionOf(p.osVersion),
      DeviceName: p.deviceName,
      ...this.enrollment,
    });
    await this.tokenUpdate();
  }

  /**
   * TokenUpdate. Where the device has an unlock token it escrows it: its keychain token, or (facts
   * `unlockToken: 'bad'`) one the keychain no longer holds, or none (`'missing'`). With
   * `rotateUnlockToken` the keychain token changes first and the new one is escrowed (AP-8); with
   * `withoutUnlockToken` the message carries none, which must not cancel the escrowed one.
   */
  async tokenUpdate(options: { rotateUnlockToken?: boolean; withoutUnlockToken?: boolean } = {}): Promise<void> {
    if (options.rotateUnlockToken) this.keychain = bytes(`${keychainUnlockToken(this.profile)}.${++this.tokenGeneration}`);
    let unlockToken: Uint8Array | undefined;
    if (this.variant === 'ios-device' && !options.withoutUnlockToken) {
      const quality = options.rotateUnlockToken ? 'good' : this.profile.facts.unlockToken;
      if (quality === 'good') unlockToken = this.keychain;
      else if (quality === 'bad') unlockToken = bytes(`stale-${secretDigest(this.profile.id, 0xbad).toString(36)}`);
    }
    if (unlockToken) this.escrowed = unlockToken;
    await this.checkin({
      MessageType: 'TokenUpdate',
      Topic: this.options.topic,
      Token: bytes(`apns-${secretDigest(this.profile.id, 0xa9).toString(16).padStart(14, '0')}-${this.profile.id.slice(0, 8)}`),
      PushMagic: pushMagicOf(this.profile.id),
      ...(unlockToken ? { UnlockToken: unlockToken } : {}),
      ...this.enrollment,
    });
  }

  async checkOut(): Promise<void> {
    await this.checkin({ MessageType: 'CheckOut', Topic: this.options.topic, ...this.enrollment });
    this.checkedOut = true;
  }

  /** Answer the next `count` commands with NotNow. */
  deferNext(count: number): void {
    this.notNow = count;
  }

  /** A user event on the device (set or enter a passcode...), as the model takes it. */
  userEvent(event: DeviceMachineEvent): void {
    this.snapshot = stepDevice(this.variant, this.snapshot, event).snapshot;
  }

  /**
   * Polls as after a push: Idle, then one command after another until the server answers with an
   * empty body. Returns the commands handled in this poll. At most `limit` commands per poll.
   */
  async poll(limit = 50): Promise<ReceivedCommand[]> {
    const handled: ReceivedCommand[] = [];
    let answer = await this.send(this.options.serverUrl, COMMAND_CONTENT_TYPE, { Status: 'Idle', ...this.enrollment });
    for (let i = 0; i < limit; i++) {
      const command = decodeCommand(answer);
      if (command === null) break;
      if (typeof command === 'string') throw new AgentError(`the server's answer to a command poll is malformed: ${command}`);
      const { result, received } = this.handle(command);
      this.log.push(received);
      handled.push(received);
      answer = await this.send(this.options.serverUrl, COMMAND_CONTENT_TYPE, result);
    }
    return handled;
  }

  truth(): AgentTruth {
    const truth = groundTruth(this.variant, this.snapshot, true);
    return { ...truth, enrolled: truth.enrolled && !this.checkedOut, checkedOut: this.checkedOut, lockPinDigest: this.lockPin === null ? null : secretDigest(this.lockPin) };
  }

  private handle(command: Command): { result: CommandResult; received: ReceivedCommand } {
    const keys: Record<string, string> = {};
    for (const [key, value] of Object.entries(command.payload)) keys[key] = plistType(value);
    const received: ReceivedCommand = { commandUuid: command.CommandUUID, requestType: command.RequestType, keys, status: 'Acknowledged', afterCheckOut: this.checkedOut };
    const base = { CommandUUID: command.CommandUUID, ...this.enrollment };
    const fail = (reason: string, text: string): { result: CommandResult; received: ReceivedCommand } => {
      received.status = 'Error';
      received.errorReason = reason;
      return { result: { ...base, Status: 'Error', ErrorChain: errorChain(reason, text) }, received };
    };
    if (this.notNow > 0) {
      this.notNow--;
      received.status = 'NotNow';
      return { result: { ...base, Status: 'NotNow' }, received };
    }
    const p = command.payload;
    switch (command.RequestType) {
      case 'ClearPasscode': {
        const token = p.UnlockToken instanceof Uint8Array ? p.UnlockToken : null;
        received.tokenIsEscrowed = token === null ? null : this.escrowed !== null && sameBytes(token, this.escrowed);
        // The model compares the token sent with the keychain's: equal bytes are the same token.
        const sent = token === null ? null : sameBytes(token, this.keychain) ? keychainUnlockToken(this.profile) : `other-${token.length}`;
        return this.step({ type: 'CLEAR_PASSCODE', unlockToken: sent, keychainUnlockToken: keychainUnlockToken(this.profile) }, base, received, fail);
      }
      case 'DeviceLock': {
        const pin = typeof p.PIN === 'string' ? p.PIN : null;
        received.pinLength = pin === null ? null : pin.length;
        if (this.variant === 'macos' && (pin === null || !/^\d{6}$/.test(pin))) return fail('PIN_REQUIRED', 'A Mac locks only with a six-digit PIN');
        const outcome = this.step(pin !== null && this.variant === 'macos' ? { type: 'LOCK', pin } : { type: 'LOCK' }, base, received, fail);
        if (outcome.received.status === 'Acknowledged' && this.variant === 'macos') this.lockPin = pin;
        return outcome;
      }
      case 'EraseDevice': {
        const pin = typeof p.PIN === 'string' ? p.PIN : null;
        received.pinLength = pin === null ? null : pin.length;
        if (this.variant === 'macos' && (pin === null || !/^\d{6}$/.test(pin))) return fail('PIN_REQUIRED', 'This Mac needs a six-digit Find My PIN to erase');
        return this.step({ type: 'WIPE' }, base, received, fail);
      }
      case 'DeviceInformation':
        return { result: { ...base, Status: 'Acknowledged', QueryResponses: this.queryResponses(p.Queries) }, received };
      case 'SecurityInfo': {
        const truth = this.truth();
        const info: PlistDict = { PasscodePresent: truth.devicePasscode !== 'none', PasscodeCompliant: true, PasscodeCompliantWithProfiles: true, HardwareEncryptionCaps: 3 };
        return { result: { ...base, Status: 'Acknowledged', SecurityInfo: info }, received };
      }
      default:
        return fail('UNKNOWN_COMMAND', `The device does not handle ${command.RequestType.slice(0, 60)}`);
    }
  }

  private step(
    event: DeviceMachineEvent,
    base: Pick<CommandResult, 'CommandUUID'> & EnrollmentIdentity,
    received: ReceivedCommand,
    fail: (reason: string, text: string) => { result: CommandResult; received: ReceivedCommand },
  ): { result: CommandResult; received: ReceivedCommand } {
    const { snapshot, emitted } = stepDevice(this.variant, this.snapshot, event);
    this.snapshot = snapshot;
    const answer = answerOf(emitted);
    if (!answer.ok) return fail(answer.reason, `The device refused the command (${answer.reason})`);
    return { result: { ...base, Status: 'Acknowledged' }, received };
  }

  private queryResponses(queries: unknown): PlistDict {
    const p = this.profile;
    const all: PlistDict = {
      DeviceName: p.deviceName,
      OSVersion: p.osVersion,
      BuildVersion: buildVersionOf(p.osVersion),
      Model: p.model,
      ModelName: p.model,
      ProductName: p.model,
      IsSupervised: p.isSupervised,
      ...(this.variant === 'ios-user-enrollment' ? {} : { SerialNumber: p.serialNumber, UDID: p.id.toUpperCase() }),
    };
    if (!Array.isArray(queries)) return all;
    const out: PlistDict = {};
    for (const q of queries) if (typeof q === 'string' && q in all) out[q] = all[q]!;
    return out;
  }

  private async checkin(message: CheckinMessage): Promise<void> {
    await this.send(this.options.checkInUrl ?? this.options.serverUrl, CHECKIN_CONTENT_TYPE, message as unknown as PlistDict);
  }

  private async send(url: string, contentType: string, message: PlistDict): Promise<Uint8Array> {
    const body = encodePlist(message);
    const headers: Record<string, string> = { 'content-type': contentType, 'user-agent': 'MDM/1.0 lockstep' };
    const mode = this.options.identityMode;
    if (mode === 'signature') headers['mdm-signature'] = await this.options.identity.signature(body);
    else headers[mode.header.toLowerCase()] = this.options.identity.headerValue;
    this.requests++;
    let response: Response;
    try {
      response = await this.fetch(url, { method: 'PUT', headers, body });
    } catch (error) {
      throw new AgentError(`cannot reach ${url}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`);
    }
    const answer = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) throw new AgentError(`${String(message.MessageType ?? message.Status)} to ${url}: HTTP ${response.status}`, response.status);
    return answer;
  }
}

/** A request the server refused or could not take; `status` is the HTTP status when there was one. */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}

function enrollmentIdOf(id: string): string {
  return `${secretDigest(id, 0xe1).toString(16).padStart(14, '0')}${secretDigest(id, 0xe2).toString(16).padStart(14, '0')}`.toUpperCase().slice(0, 24);
}

function pushMagicOf(id: string): string {
  const h = secretDigest(id, 0x9a91c).toString(16).padStart(14, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(1, 4)}-8${h.slice(4, 7)}-${id.slice(-12)}`.toUpperCase();
}

/** A plausible build number for an OS version (18.1 -> 22B83). */
function buildVersionOf(osVersion: string): string {
  const major = Number(osVersion.split('.')[0]) || 17;
  const minor = Number(osVersion.split('.')[1] ?? 0);
  return `${major + 4}${String.fromCharCode(65 + Math.min(minor, 25))}${80 + minor}`;
}

