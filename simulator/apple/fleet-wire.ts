/**
 * The reference MDM's Apple devices, on the Apple MDM protocol: a command for an iPhone, iPad or
 * Mac of the fleet is not applied to its model directly. The device enrolls (Authenticate,
 * TokenUpdate with its UnlockToken, signed by its own certificate) the first time the reference
 * has a command for it; then the command is queued on the reference's Apple server as a command
 * plist (ClearPasscode with the token the device escrowed, DeviceLock with the Mac's PIN,
 * EraseDevice), the device polls, applies it to its model and answers, and the answer the server
 * reads off the wire (Acknowledged, or the ErrorChain's code) is what the Graph action shows.
 *
 * The exchange is in-process and synchronous (the reference steps devices inside a clock move),
 * but the bytes, headers and checks are those `PUT /mdm` serves over HTTP. Secrets stay inside.
 */
import type { CommandAnswer, DeviceCommand, DeviceMachineEvent } from '../device-events.js';
import { groundTruth } from '../device-runtime.js';
import { secretDigest } from '../secret-hash.js';
import type { AppleCommandWire, AppleDeviceRequest, AppleDeviceView, AppleReceivedView, DeviceRecord } from '../mdm/reference-mdm-types.js';
import { AgentError, AppleDeviceAgent, APPLE_VARIANTS, type Exchange, type ReceivedCommand } from './agent.js';
import { refusalReasonOf } from './error-chain.js';
import { RunCa } from './identity.js';
import { commandPlist, type PlistDict } from './protocol.js';
import { AppleMdmServer, type CommandOutcome } from './reference-server.js';

/** The reference's push topic (an APNs topic is a certificate's UID; any string here). */
export const REFERENCE_TOPIC = 'com.apple.mgmt.External.lockstep-reference';
const SERVER_URL = 'https://lockstep.reference/mdm';
/** What a fleet device remembers of the commands it received: enough to inspect, bounded for long runs. */
const LOG_LIMIT = 32;

/** Commands by RequestType and the final answer the server read (any sender, any device): what `npm start` prints. */
export type WireCounts = Record<string, Record<string, number>>;

export class AppleFleetWire implements AppleCommandWire {
  /** Devices enrolled over the protocol; keyed by record, so a cleared fleet's devices are forgotten with it. */
  private readonly agents = new WeakMap<DeviceRecord, AppleDeviceAgent>();
  private readonly outcomes = new Map<string, CommandOutcome>();
  private awaiting: string | null = null;
  /** Graph commands a device answered NotNow: still queued on the server under this UUID. */
  private readonly deferred = new WeakMap<DeviceCommand, string>();
  private commandNumber = 0;
  enrolled = 0;
  readonly counts: WireCounts = {};

  private constructor(
    readonly server: AppleMdmServer,
    private readonly ca: RunCa,
    private readonly seed: number,
  ) {
    server.onResult((outcome) => {
      // Only the answers a delivery waits for are kept (raw admin commands are counted, not kept).
      if (this.awaiting === outcome.commandUuid) this.outcomes.set(outcome.commandUuid, outcome);
      const byAnswer = (this.counts[outcome.requestType] ??= {});
      byAnswer[outcome.status] = (byAnswer[outcome.status] ?? 0) + 1;
    });
  }

  /** A wire with a device CA of its own (or `ca`, e.g. one kept on disk), trusted by a new Apple server. */
  static async create(seed: number, ca?: RunCa): Promise<AppleFleetWire> {
    const authority = await (ca ?? (await RunCa.create('lockstep reference device CA'))).ready();
    return new AppleFleetWire(new AppleMdmServer({ caPem: authority.pem, identityMode: 'signature' }), authority, seed);
  }

  /** The protocol side of a device that has enrolled over the wire (what it received, its lock PIN's digest). */
  agentOf(record: DeviceRecord): AppleDeviceAgent | undefined {
    return this.agents.get(record);
  }

  handles(variant: string): boolean {
    return (APPLE_VARIANTS as readonly string[]).includes(variant);
  }

  view(record: DeviceRecord): AppleDeviceView | null {
    const agent = this.agents.get(record);
    if (!agent) return null;
    const truth = agent.truth();
    return { enrollmentId: agent.enrollmentId, checkedOut: truth.checkedOut, lockPinDigest: truth.lockPinDigest, receivedTotal: agent.received, received: agent.log.map(shown) };
  }

  act(record: DeviceRecord, request: AppleDeviceRequest, apply: (event: DeviceMachineEvent) => CommandAnswer): AppleReceivedView[] {
    const agent = this.agents.get(record) ?? this.enroll(record, apply);
    const exchange = this.exchangeAs(agent.options.identity.der);
    switch (request.action) {
      case 'enroll':
        // Enrolling again after a CheckOut is a new Authenticate (new enrollment, empty queue).
        if (agent.hasCheckedOut) agent.enrollNow(exchange);
        return [];
      case 'poll': {
        const before = agent.received;
        agent.pollNow(exchange);
        return latest(agent.log, agent.received - before).map(shown);
      }
      case 'tokenUpdate':
        agent.tokenUpdateNow(exchange, request);
        return [];
      case 'checkOut':
        agent.checkOutNow(exchange);
        return [];
      case 'notNow':
        agent.deferNext(request.count);
        return [];
    }
  }

  deliver(record: DeviceRecord, command: DeviceCommand, apply: (event: DeviceMachineEvent) => CommandAnswer): CommandAnswer | 'later' {
    let agent = this.agents.get(record);
    // It checked out: the server has nothing to send it to, and a device does not enroll again by
    // itself. The action stays pending, as for a device that is gone.
    if (agent?.hasCheckedOut) return 'later';
    try {
      if (!agent) agent = this.enroll(record, apply);
      return this.send(agent, record, command);
    } catch (error) {
      // Someone else enrolled this UDID over HTTP in the meantime (a new Authenticate starts over): enroll again, once.
      if (!(error instanceof AgentError)) throw error;
      this.deferred.delete(command);
      return this.send(this.enroll(record, apply), record, command);
    }
  }

  withdraw(record: DeviceRecord, command: DeviceCommand): void {
    const uuid = this.deferred.get(command);
    const agent = this.agents.get(record);
    this.deferred.delete(command);
    if (uuid !== undefined && agent) this.server.withdraw(agent.enrollmentId, uuid);
  }

  private enroll(record: DeviceRecord, apply: (event: DeviceMachineEvent) => CommandAnswer): AppleDeviceAgent {
    const variant = record.profile.facts.variant;
    const identity = this.ca.issueNow(record.profile.id);
    const agent = new AppleDeviceAgent(record.profile, {
      serverUrl: SERVER_URL,
      topic: REFERENCE_TOPIC,
      identity,
      identityMode: 'channel',
      model: { apply, truth: () => groundTruth(variant, record.snapshot, true) },
      logLimit: LOG_LIMIT,
    });
    agent.enrollNow(this.exchangeAs(identity.der));
    this.agents.set(record, agent);
    this.enrolled++;
    return agent;
  }

  private send(agent: AppleDeviceAgent, record: DeviceRecord, command: DeviceCommand): CommandAnswer | 'later' {
    // A command the device put off is still queued: the next Idle is offered it again, not a copy.
    let uuid = this.deferred.get(command);
    this.deferred.delete(command);
    if (uuid === undefined || !this.server.isQueued(agent.enrollmentId, uuid)) {
      uuid = this.nextUuid();
      const { requestType, payload } = this.appleCommand(agent, record, command);
      const queued = this.server.enqueue(agent.enrollmentId, commandPlist(uuid, requestType, payload));
      if (typeof queued === 'string') throw new AgentError(queued);
    }
    this.server.push(agent.enrollmentId);
    this.awaiting = uuid;
    try {
      agent.pollNow(this.exchangeAs(agent.options.identity.der));
    } finally {
      this.awaiting = null;
    }
    const outcome = this.outcomes.get(uuid);
    this.outcomes.delete(uuid);
    if (outcome?.status === 'Acknowledged') return { ok: true };
    if (outcome) return { ok: false, reason: refusalReasonOf(outcome.errorChain) };
    // NotNow: not an answer; the Graph action stays pending until the device takes it at a later poll.
    if (this.server.isQueued(agent.enrollmentId, uuid)) {
      this.deferred.set(command, uuid);
      return 'later';
    }
    return { ok: false, reason: 'UNSUPPORTED' };
  }

  private appleCommand(agent: AppleDeviceAgent, record: DeviceRecord, command: DeviceCommand): { requestType: string; payload: PlistDict } {
    switch (command.type) {
      case 'CLEAR_PASSCODE': {
        // The token the device escrowed at TokenUpdate, whatever the reference thinks it holds.
        const token = this.server.escrowedUnlockToken(agent.enrollmentId);
        return { requestType: 'ClearPasscode', payload: token ? { UnlockToken: token } : {} };
      }
      case 'LOCK':
        return { requestType: 'DeviceLock', payload: command.pin !== undefined ? { PIN: command.pin } : {} };
      case 'WIPE':
        // A Mac erases only with a six-digit Find My PIN (AP-4); nobody reads it back.
        return { requestType: 'EraseDevice', payload: agent.variant === 'macos' ? { PIN: this.erasePin(record.profile.id) } : {} };
      case 'RESET_PASSCODE':
        // Apple has no command that sets a passcode; the support matrix never sends one to an Apple device.
        throw new Error('an Apple device has no command to set a temporary passcode');
    }
  }

  /** The in-process channel: like mutual TLS, it hands the server the device's certificate with each message. */
  private exchangeAs(certificate: Uint8Array): Exchange {
    return (_url, headers, body) => {
      const answer = this.server.handle(headers['content-type'], (name) => headers[name], body, certificate);
      return { status: answer.status, body: answer.body };
    };
  }

  private erasePin(deviceId: string): string {
    return String(secretDigest(`${deviceId}/erase`, this.seed) % 1_000_000).padStart(6, '0');
  }

  /** Seeded, RFC 4122-shaped: the same run sends the same command UUIDs. */
  private nextUuid(): string {
    const n = this.commandNumber++;
    const hex = (k: number) => secretDigest(`${n}/${k}`, this.seed ^ 0x7c3d).toString(16).padStart(14, '0');
    const h = hex(0) + hex(1) + hex(2);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-A${h.slice(17, 20)}-${h.slice(20, 32)}`.toUpperCase();
  }
}

/** What the simulation API shows of a received command: the log entry without the device's internal reason. */
function shown({ errorReason: _reason, ...received }: ReceivedCommand): AppleReceivedView {
  return received;
}

/** The last `count` entries of a log (none for 0). */
export function latest<T>(log: readonly T[], count: number): T[] {
  return count <= 0 ? [] : log.slice(-Math.min(count, log.length));
}
