/**
 * A simulated iPhone, iPad or Mac enrolled in an Apple MDM server over HTTP(S): it checks in
 * (Authenticate, TokenUpdate, CheckOut), polls for commands (Idle) and answers each with
 * Acknowledged, Error (with an ErrorChain) or NotNow. What a command does to the device is the
 * device model's decision (simulator/device-machine.ts), the same one the reference MDM steps.
 * The agent keeps a log of what it received, with secrets only as shapes, so that a harness can
 * judge the server from the device side (AP-1..AP-10).
 */
import type { DeviceMachineEvent } from '../device-events.js';
import type { DeviceProfile } from '../device-profile.js';
import type { GroundTruth } from '../device-runtime.js';
import { errorChainOf, type AgentRefusal } from './error-chain.js';
import { OwnModel, type AgentModel } from './agent-model.js';
import { buildVersionOf, enrollmentIdOf, pushMagicOf, queryResponses } from './device-names.js';
import { secretDigest } from '../secret-hash.js';
import { keychainUnlockToken } from '../mdm/unlock-token.js';
import type { DeviceIdentity } from './identity.js';
import {
  CHECKIN_CONTENT_TYPE,
  COMMAND_CONTENT_TYPE,
  commandUuidOf,
  decodeCommand,
  encodePlist,
  plistType,
  type CheckinMessage,
  type Command,
  type CommandResult,
  type EnrollmentIdentity,
  type PlistDict,
} from './protocol.js';

export type AppleVariant = 'ios-device' | 'ios-user-enrollment' | 'macos';
export const APPLE_VARIANTS: readonly AppleVariant[] = ['ios-device', 'ios-user-enrollment', 'macos'];

export type { AgentModel } from './agent-model.js';

export type Fetch = (url: string, init: { method: string; headers: Record<string, string>; body: Uint8Array }) => Promise<Response>;

/** A synchronous transport to a server in the same process (the reference's own devices): the same bytes and headers as over HTTP. */
export type Exchange = (url: string, headers: Record<string, string>, body: Uint8Array) => { status: number; body: Uint8Array | string };

/** One message the device sends, before it is encoded and signed. */
interface Outgoing {
  url: string;
  contentType: string;
  message: PlistDict;
}

export interface AgentOptions {
  /** The server's check-in and command URL (ServerURL; CheckInURL when it differs). */
  serverUrl: string;
  checkInUrl?: string;
  topic: string;
  identity: DeviceIdentity;
  /** How the device proves its identity: Mdm-Signature, or the certificate in this header. */
  /**
   * How the device proves its identity: Mdm-Signature, the certificate in this header, or
   * `channel`: the transport already vouches for it, as mutual TLS does (an in-process exchange
   * that hands the server the certificate with each message), so no header is added.
   */
  identityMode: 'signature' | { header: string } | 'channel';
  fetch?: Fetch;
  /** The device's model; by default the agent keeps its own. */
  model?: AgentModel;
  /** Keep only the last N commands received (a long-lived fleet device); all by default. */
  logLimit?: number;
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


const bytes = (text: string) => new TextEncoder().encode(text);
const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

export class AppleDeviceAgent {
  readonly variant: AppleVariant;
  readonly enrollment: EnrollmentIdentity;
  readonly log: ReceivedCommand[] = [];
  private readonly model: AgentModel;
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
  /** Commands received so far (the log may keep only the last few). */
  received = 0;

  constructor(
    readonly profile: DeviceProfile,
    readonly options: AgentOptions,
  ) {
    const variant = profile.facts.variant;
    if (variant !== 'ios-device' && variant !== 'ios-user-enrollment' && variant !== 'macos') throw new Error(`${variant} is not an Apple MDM variant`);
    this.variant = variant;
    this.model = options.model ?? new OwnModel(variant, profile);
    this.fetch = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.enrollment =
      variant === 'ios-user-enrollment'
        ? { EnrollmentID: enrollmentIdOf(profile.id) }
        : { UDID: profile.id.toUpperCase() };
    this.keychain = bytes(keychainUnlockToken(profile));
  }

  /** It sent CheckOut (until it enrolls again). */
  get hasCheckedOut(): boolean {
    return this.checkedOut;
  }

  /** The id a server's admin API addresses this enrollment by (NanoMDM: the UDID or EnrollmentID). */
  get enrollmentId(): string {
    return 'UDID' in this.enrollment ? this.enrollment.UDID : this.enrollment.EnrollmentID;
  }

  /** Authenticate, then TokenUpdate: what a device does right after installing the enrollment profile. */
  async enroll(): Promise<void> {
    await this.drive(this.enrollSteps());
    this.checkedOut = false;
  }

  /** `enroll` over a synchronous in-process exchange. */
  enrollNow(exchange: Exchange): void {
    this.driveNow(this.enrollSteps(), exchange);
    this.checkedOut = false;
  }

  /**
   * TokenUpdate. Where the device has an unlock token it escrows it: its keychain token, or (facts
   * `unlockToken: 'bad'`) one the keychain no longer holds, or none (`'missing'`). With
   * `rotateUnlockToken` the keychain token changes first and the new one is escrowed (AP-8); with
   * `withoutUnlockToken` the message carries none, which must not cancel the escrowed one.
   */
  tokenUpdate(options: { rotateUnlockToken?: boolean; withoutUnlockToken?: boolean } = {}): Promise<void> {
    return this.drive(this.tokenUpdateSteps(options));
  }

  async checkOut(): Promise<void> {
    await this.drive(this.checkinSteps({ MessageType: 'CheckOut', Topic: this.options.topic, ...this.enrollment }));
    this.checkedOut = true;
  }

  /** `tokenUpdate` over a synchronous in-process exchange. */
  tokenUpdateNow(exchange: Exchange, options: { rotateUnlockToken?: boolean; withoutUnlockToken?: boolean } = {}): void {
    this.driveNow(this.tokenUpdateSteps(options), exchange);
  }

  /** `checkOut` over a synchronous in-process exchange. */
  checkOutNow(exchange: Exchange): void {
    this.driveNow(this.checkinSteps({ MessageType: 'CheckOut', Topic: this.options.topic, ...this.enrollment }), exchange);
    this.checkedOut = true;
  }

  /** Answer the next `count` commands with NotNow. */
  deferNext(count: number): void {
    this.notNow = count;
  }

  /** A user event on the device (set or enter a passcode...), as the model takes it. */
  userEvent(event: DeviceMachineEvent): void {
    this.model.apply(event);
  }

  /**
   * Polls as after a push: Idle, then one command after another until the server answers with an
   * empty body. Returns the commands handled in this poll. At most `limit` commands per poll.
   */
  poll(limit = 50): Promise<ReceivedCommand[]> {
    return this.drive(this.pollSteps(limit));
  }

  /** `poll` over a synchronous in-process exchange. */
  pollNow(exchange: Exchange, limit = 50): ReceivedCommand[] {
    return this.driveNow(this.pollSteps(limit), exchange);
  }

  truth(): AgentTruth {
    const truth = this.model.truth();
    return { ...truth, enrolled: truth.enrolled && !this.checkedOut, checkedOut: this.checkedOut, lockPinDigest: this.lockPin === null ? null : secretDigest(this.lockPin) };
  }

  private *enrollSteps(): Generator<Outgoing, void, Uint8Array> {
    const p = this.profile;
    yield* this.checkinSteps({
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
    yield* this.tokenUpdateSteps({});
  }

  private *tokenUpdateSteps(options: { rotateUnlockToken?: boolean; withoutUnlockToken?: boolean }): Generator<Outgoing, void, Uint8Array> {
    if (options.rotateUnlockToken) this.keychain = bytes(`${keychainUnlockToken(this.profile)}.${++this.tokenGeneration}`);
    let unlockToken: Uint8Array | undefined;
    if (this.variant === 'ios-device' && !options.withoutUnlockToken) {
      const quality = options.rotateUnlockToken ? 'good' : this.profile.facts.unlockToken;
      if (quality === 'good') unlockToken = this.keychain;
      else if (quality === 'bad') unlockToken = bytes(`stale-${secretDigest(this.profile.id, 0xbad).toString(36)}`);
    }
    if (unlockToken) this.escrowed = unlockToken;
    yield* this.checkinSteps({
      MessageType: 'TokenUpdate',
      Topic: this.options.topic,
      Token: bytes(`apns-${secretDigest(this.profile.id, 0xa9).toString(16).padStart(14, '0')}-${this.profile.id.slice(0, 8)}`),
      PushMagic: pushMagicOf(this.profile.id),
      ...(unlockToken ? { UnlockToken: unlockToken } : {}),
      ...this.enrollment,
    });
  }

  private *checkinSteps(message: CheckinMessage): Generator<Outgoing, void, Uint8Array> {
    yield { url: this.options.checkInUrl ?? this.options.serverUrl, contentType: CHECKIN_CONTENT_TYPE, message: message as unknown as PlistDict };
  }

  private *pollSteps(limit: number): Generator<Outgoing, ReceivedCommand[], Uint8Array> {
    const handled: ReceivedCommand[] = [];
    const url = this.options.serverUrl;
    let answer = yield { url, contentType: COMMAND_CONTENT_TYPE, message: { Status: 'Idle', ...this.enrollment } };
    for (let i = 0; i < limit; i++) {
      const command = decodeCommand(answer);
      if (command === null) break;
      if (typeof command === 'string') {
        // As a real device: a command it cannot read is answered CommandFormatError when it names
        // its CommandUUID, and dropped (the poll ends) when it does not; nothing else changes.
        const uuid = commandUuidOf(answer);
        // The parser's detail could quote the body (a PIN, a token): only the reason's fixed part is kept.
        const reason = command.split(' (')[0]!;
        handled.push(this.remember({ commandUuid: uuid ?? '', requestType: '(unreadable)', keys: {}, status: 'CommandFormatError', afterCheckOut: this.checkedOut, errorReason: reason }));
        if (uuid === null) break;
        answer = yield { url, contentType: COMMAND_CONTENT_TYPE, message: { CommandUUID: uuid, Status: 'CommandFormatError', ...this.enrollment } };
        continue;
      }
      const { result, received } = this.handle(command);
      handled.push(this.remember(received));
      answer = yield { url, contentType: COMMAND_CONTENT_TYPE, message: result };
    }
    return handled;
  }


  /** A received command in the (bounded) log. */
  private remember(received: ReceivedCommand): ReceivedCommand {
    this.log.push(received);
    this.received++;
    if (this.log.length > (this.options.logLimit ?? Infinity)) this.log.shift();
    return received;
  }

  private handle(command: Command): { result: CommandResult; received: ReceivedCommand } {
    const keys: Record<string, string> = {};
    for (const [key, value] of Object.entries(command.payload)) keys[key] = plistType(value);
    const received: ReceivedCommand = { commandUuid: command.CommandUUID, requestType: command.RequestType, keys, status: 'Acknowledged', afterCheckOut: this.checkedOut };
    const base = { CommandUUID: command.CommandUUID, ...this.enrollment };
    const fail = (reason: AgentRefusal, text: string): { result: CommandResult; received: ReceivedCommand } => {
      received.status = 'Error';
      received.errorReason = reason;
      return { result: { ...base, Status: 'Error', ErrorChain: errorChainOf(reason, text) }, received };
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
        return { result: { ...base, Status: 'Acknowledged', QueryResponses: queryResponses(this.profile, p.Queries) }, received };
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
    fail: (reason: AgentRefusal, text: string) => { result: CommandResult; received: ReceivedCommand },
  ): { result: CommandResult; received: ReceivedCommand } {
    const answer = this.model.apply(event);
    if (!answer.ok) return fail(answer.reason, `The device refused the command (${answer.reason})`);
    return { result: { ...base, Status: 'Acknowledged' }, received };
  }

  /** The body and headers of a message, identity included. */
  private encode(out: Outgoing): { body: Uint8Array; headers: Record<string, string> } {
    const body = encodePlist(out.message);
    const headers: Record<string, string> = { 'content-type': out.contentType, 'user-agent': 'MDM/1.0 lockstep' };
    const mode = this.options.identityMode;
    if (mode === 'signature') headers['mdm-signature'] = this.options.identity.signatureNow(body);
    else if (mode !== 'channel') headers[mode.header.toLowerCase()] = this.options.identity.headerValue;
    this.requests++;
    return { body, headers };
  }

  private async drive<R>(steps: Generator<Outgoing, R, Uint8Array>): Promise<R> {
    let next = steps.next(EMPTY);
    while (!next.done) next = steps.next(await this.send(next.value));
    return next.value;
  }

  private driveNow<R>(steps: Generator<Outgoing, R, Uint8Array>, exchange: Exchange): R {
    let next = steps.next(EMPTY);
    while (!next.done) {
      const out = next.value;
      const { body, headers } = this.encode(out);
      const answer = exchange(out.url, headers, body);
      if (answer.status !== 200) throw new AgentError(`${describe(out.message)} to ${out.url}: HTTP ${answer.status}`, answer.status);
      next = steps.next(typeof answer.body === 'string' ? bytes(answer.body) : answer.body);
    }
    return next.value;
  }

  private async send(out: Outgoing): Promise<Uint8Array> {
    const { body, headers } = this.encode(out);
    let response: Response;
    try {
      response = await this.fetch(out.url, { method: 'PUT', headers, body });
    } catch (error) {
      throw new AgentError(`cannot reach ${out.url}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`, undefined, true);
    }
    const answer = new Uint8Array(await response.arrayBuffer());
    if (response.status !== 200) throw new AgentError(`${describe(out.message)} to ${out.url}: HTTP ${response.status}`, response.status);
    return answer;
  }
}

const EMPTY = new Uint8Array(0);
const describe = (message: PlistDict) => String(message.MessageType ?? message.Status);

/** A request the server refused or could not take; `status` is the HTTP status when there was one. */
export class AgentError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** No answer at all (refused, reset): the server is down, not wrong. */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'AgentError';
  }
}
