import { EventEmitter } from 'node:events';
import type { AnyMachineSnapshot } from 'xstate';
import { SimClock } from '../clock.js';
import type { CommandAnswer, DeviceCommand, DeviceErrorReason, DeviceMachineEvent, EventRejection, UserEvent } from '../device-events.js';
import type { DeviceProfile } from '../device-profile.js';
import { advanceDevice, answerOf, enrolledSnapshot, groundTruth, isWiped, rejectionOf } from '../device-runtime.js';
import { secretDigest } from '../secret-hash.js';
import { isActionSupported } from '../support-matrix.js';
import type { ActionName, ActionState } from '../../contract/actions.js';
import { AuditedAction } from './audited-action.js';
import { errorCodeOf } from './device-error-codes.js';
import { commandFor } from './device-commands.js';
import { FleetStats, snapshotStateBits } from './fleet-stats.js';
import type { ActionRecord, ActionRequestOutcome, AppleCommandWire, AppleDeviceRequest, AppleReceivedView, ChangeEvent, DeviceRecord, EventOutcome, PendingCommand, ReferenceMdmOptions, SimEvent, SimTruth } from './reference-mdm-types.js';
import { toMachineEvent } from './sim-event-to-machine.js';
import { copied, StringIndex } from './string-index.js';

export type { ActionRecord, ActionRequestOutcome, AppleCommandWire, AppleDeviceRequest, AppleDeviceView, AppleReceivedView, ChangeEvent, DeviceRecord, EventOutcome, ReferenceMdmOptions, SimEvent, SimTruth } from './reference-mdm-types.js';
export { errorCodeOf } from './device-error-codes.js';

/** Intune keeps a device's action history for a limited time; the simulator keeps 30 simulated days. */
export const AUDIT_RETENTION_MS = 30 * 24 * 3600_000;
/** ...and at most this many audits (about 21 MB of heap). */
export const MAX_AUDITS = 100_000;

/** The default push latency of the device enrolled `seq`-th under `seed`: 2 to 10 simulated seconds. */
export function defaultPushLatencyMs(seq: number, seed: number): number {
  return 2000 + (secretDigest(String(seq), seed) % 8000);
}

export const CHECK_IN_INTERVAL_MS = 8 * 3600_000;
export const PASSCODE_VISIBLE_MS = 7 * 24 * 3600_000;

function newRecord(seq: number, profile: DeviceProfile, snapshot: AnyMachineSnapshot, now: number): DeviceRecord {
  return { seq, profile, snapshot, enrolledAt: now, checkedInAt: now, actions: null, pending: null, checkInDue: Infinity };
}
// V8 gives a number field that only ever held numbers a box of its own in every record (48 B and
// an allocation each at 1M devices); a field that once held something else shares the clock's.
newRecord(-1, null as unknown as DeviceProfile, null as unknown as AnyMachineSnapshot, '' as unknown as number).checkInDue = '' as unknown as number;

/**
 * The reference MDM: the fleet's inventory, the action lifecycle (pending until the
 * device checks in, then done or failed by the device's own answer), audits and
 * change events. Transport-free: the Hono app and the embedded target wrap it.
 */
export class ReferenceMdm {
  readonly clock: SimClock;
  readonly seed: number;
  /** The shard number new generated devices carry in their ids (`--shard K/N`), or undefined. */
  readonly shardTag: number | undefined;
  readonly changes = new EventEmitter();
  readonly stats = new FleetStats();
  /** Enrolled devices by seq, in the first `enrolled` slots (reserve() can make it longer). */
  private devices: DeviceRecord[] = [];
  private enrolled = 0;
  private byId = new StringIndex<DeviceRecord>();
  private audits: ActionRecord[] = [];
  private auditCounter = 0;
  private clears = 0;
  /** Bumped when old audits are dropped: audit positions (paging cursors, indexes) start over. */
  private auditTrims = 0;
  private readonly auditRetentionMs: number;
  private readonly maxAudits: number;
  private readonly pushLatency: (seq: number) => number;
  private readonly nextAuditNumber: () => number;
  private readonly deviceCount: (() => number) | undefined;
  /** Devices whose push check-in is due, by due time (one clock timer each). */
  private dueAt = new Map<number, DeviceRecord[]>();
  /** Apple devices' commands go over the Apple MDM protocol through this, when set. */
  readonly appleWire: AppleCommandWire | undefined;

  constructor(options: ReferenceMdmOptions = {}) {
    this.clock = options.clock ?? new SimClock();
    this.seed = options.seed ?? 1;
    this.shardTag = options.shardTag;
    this.pushLatency = options.pushLatencyMs ?? ((seq) => defaultPushLatencyMs(seq, this.seed));
    this.nextAuditNumber = options.auditNumber ?? (() => this.auditCounter++);
    this.deviceCount = options.deviceCount;
    this.auditRetentionMs = options.auditRetentionMs ?? AUDIT_RETENTION_MS;
    this.maxAudits = options.maxAudits ?? MAX_AUDITS;
    this.appleWire = options.appleWire;
    this.changes.setMaxListeners(0);
  }

  get size(): number {
    return this.deviceCount ? this.deviceCount() : this.enrolled;
  }

  get auditCount(): number {
    return this.audits.length;
  }

  /** Changes on every clear(): lets indexes and paging cursors built on seq numbers notice that seqs were reused. */
  get epoch(): number {
    return this.clears;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): DeviceRecord | undefined {
    return this.byId.get(id);
  }

  /** Devices in enrollment order (seq); callers must not mutate it. */
  all(): readonly DeviceRecord[] {
    if (this.devices.length !== this.enrolled) this.devices.length = this.enrolled; // drops unused reserved room
    return this.devices;
  }

  /** Devices in enrollment order whose inventory and ground truth pass `keep` (e.g. every offline iOS device). */
  *where(keep: (profile: DeviceProfile, truth: SimTruth) => boolean): Generator<DeviceRecord> {
    for (let seq = 0; seq < this.enrolled; seq++) {
      const record = this.devices[seq]!;
      if (keep(record.profile, this.truthOf(record))) yield record;
    }
  }

  /** Changes on clear() and whenever old audits are dropped (audit positions start over). */
  get auditEpoch(): number {
    return this.clears + this.auditTrims;
  }

  /**
   * Retention: drops audits past the window or beyond the count. Run in batches (an eighth of the
   * count at a time) so that audit paging cursors, which a trim invalidates, rarely go stale.
   */
  private trimAudits(): void {
    const audits = this.audits;
    const batch = Math.max(1, this.maxAudits >> 3);
    let drop = Math.max(0, audits.length - this.maxAudits);
    const oldest = this.clock.now() - this.auditRetentionMs;
    while (drop < audits.length && audits[drop]!.startedAt < oldest) drop++;
    if (drop < batch) return;
    this.audits = audits.slice(drop);
    this.auditTrims++;
  }

  /** Audits in the order taken; the Graph list shows them newest first. */
  allAudits(): readonly ActionRecord[] {
    return this.audits;
  }

  deviceAt(seq: number): DeviceRecord | undefined {
    return seq < this.enrolled ? this.devices[seq] : undefined;
  }

  /**
   * Makes room for this many devices in all before a large fleet is enrolled in slices: growing
   * the inventory's arrays copies every element, and at half a million devices one copy held up
   * the event loop for 0.1 s or more (measured). Yields between its large allocations.
   */
  *reserving(total: number): Generator<void> {
    yield* this.byId.reserving(total);
    if (total <= this.devices.length) return;
    yield;
    this.devices = copied(this.devices, this.enrolled, total);
  }

  enroll(profile: DeviceProfile): DeviceRecord {
    const now = this.clock.now();
    const snapshot = enrolledSnapshot(profile.facts);
    const record = newRecord(this.enrolled, profile, snapshot, now);
    if (!this.byId.addNew(profile.id, record)) throw new Error(`device ${profile.id} is already enrolled`);
    this.devices[this.enrolled++] = record;
    this.stats.addBits(profile.facts.variant, snapshotStateBits(snapshot));
    this.emitDevice(record);
    return record;
  }

  clear(): void {
    this.clears++;
    this.devices = [];
    this.enrolled = 0;
    this.byId.clear();
    this.audits = [];
    this.stats.clear();
  }

  truthOf(record: DeviceRecord): SimTruth {
    const truth = groundTruth(record.profile.facts.variant, record.snapshot, false) as SimTruth;
    truth.pendingCommands = record.pending?.length ?? 0;
    return truth;
  }

  /** `truthOf(record).enrolled`, without building the truth. */
  isEnrolled(record: DeviceRecord): boolean {
    const value = record.snapshot.value as { enrolled?: unknown } | string;
    return typeof value !== 'string' && !!value.enrolled;
  }

  isOnline(record: DeviceRecord): boolean {
    const value = record.snapshot.value as { enrolled?: { connectivity?: string } } | string;
    return typeof value !== 'string' && value.enrolled?.connectivity === 'online';
  }

  /** lastSyncDateTime: the later of the last explicit check-in and the last interval check-in of an online device. */
  lastSyncAt(record: DeviceRecord): number {
    if (isWiped(record.snapshot) || !this.isOnline(record)) return record.checkedInAt;
    const intervals = Math.floor((this.clock.now() - record.enrolledAt) / CHECK_IN_INTERVAL_MS);
    return Math.max(record.checkedInAt, record.enrolledAt + intervals * CHECK_IN_INTERVAL_MS);
  }

  /** The latest action of each name, as Graph's deviceActionResults shows it. */
  latestActions(record: DeviceRecord): ActionRecord[] {
    if (!record.actions) return [];
    for (const action of record.actions) this.expireSecrets(action);
    return record.actions;
  }

  requestAction(id: string, actionName: ActionName, initiatedBy: string): ActionRequestOutcome {
    const record = this.byId.get(id);
    if (!record) return { kind: 'notFound' };
    const existing = record.actions?.find((a) => a.actionName === actionName);
    if (existing && existing.actionState === 'pending') return { kind: 'alreadyPending', action: existing };

    const { variant, osVersion } = record.profile.facts;
    const wiped = isWiped(record.snapshot);
    if (wiped || !isActionSupported(actionName, variant, osVersion)) {
      // ST-3: never sent to the device; recorded so the Device actions list shows it.
      return { kind: 'notSupported', action: this.recordAction(record, actionName, initiatedBy, 'notSupported') };
    }
    const action = this.recordAction(record, actionName, initiatedBy, 'pending');
    const entry: PendingCommand = { action, command: commandFor(record.profile, action, this.seed) };
    // Exact-size arrays: retained per device, and `[]` then push reserves 16 slots.
    if (record.pending) record.pending.push(entry);
    else record.pending = [entry];
    if (actionName === 'wipe') this.cancelPendingExceptWipe(record);
    if (this.isOnline(record)) this.scheduleCheckIn(record, this.clock.now() + this.pushLatency(record.seq));
    this.emitDevice(record);
    return { kind: 'accepted', action };
  }

  /** A user or device event from the simulation API. */
  deviceEvent(id: string, event: SimEvent): EventOutcome {
    const record = this.byId.get(id);
    if (!record) return { kind: 'notFound' };
    if (isWiped(record.snapshot)) return { kind: 'rejected', reason: 'NOT_ENROLLED', truth: this.truthOf(record) };
    if (event.type === 'checkIn') {
      // An offline device cannot reach the MDM; it checks in when it comes back (goOnline).
      if (!this.isOnline(record)) return { kind: 'rejected', reason: 'DEVICE_OFFLINE', truth: this.truthOf(record) };
      this.checkIn(record);
      return { kind: 'ok', truth: this.truthOf(record) };
    }
    const wasOnline = this.isOnline(record);
    const rejection = this.step(record, toMachineEvent(event));
    if (event.type === 'goOnline' && !wasOnline) this.checkIn(record);
    if (event.type === 'goOffline') record.checkInDue = Infinity;
    if (event.type === 'reboot' && this.isOnline(record) && this.needsProvisioning(record)) this.scheduleCheckIn(record, this.nextIntervalCheckIn(record));
    const truth = this.truthOf(record);
    return rejection ? { kind: 'rejected', reason: rejection, truth } : { kind: 'ok', truth };
  }

  /**
   * A device-side step on the Apple protocol, asked for through the simulation API: enroll now,
   * poll (a check-in: the device's pending Graph commands, then whatever else is queued for it),
   * TokenUpdate, CheckOut, or answer the next commands NotNow. The commands handled, or why not.
   */
  appleStep(id: string, request: AppleDeviceRequest): AppleReceivedView[] | 'notFound' | 'notApple' | EventRejection {
    const record = this.byId.get(id);
    if (!record) return 'notFound';
    const wire = this.appleWire;
    if (!wire?.handles(record.profile.facts.variant)) return 'notApple';
    if (isWiped(record.snapshot)) return 'NOT_ENROLLED';
    const before = wire.view(record)?.receivedTotal ?? 0;
    if (request.action === 'poll') {
      if (!this.isOnline(record)) return 'DEVICE_OFFLINE';
      this.checkIn(record);
    }
    if (!isWiped(record.snapshot)) {
      try {
        wire.act(record, request, (event) => this.apply(record, event));
      } catch {
        // The server turned the device away (it checked out, or another device took its UDID): it is not enrolled there.
        return 'NOT_ENROLLED';
      }
    }
    this.emitDevice(record);
    const view = wire.view(record);
    const count = view ? view.receivedTotal - before : 0;
    return view && count > 0 ? view.received.slice(-Math.min(count, view.received.length)) : [];
  }

  /** AN-4: a work profile whose never-activated reset token was lost gets a new one at its next check-in. */
  private needsProvisioning(record: DeviceRecord): boolean {
    const { facts } = record.profile;
    return facts.variant === 'ae-work-profile-personal' && facts.workProfilePasswordSet && this.truthOf(record).workProfile?.resetToken === 'none';
  }

  /** The next regular (interval) check-in of the device after now. */
  private nextIntervalCheckIn(record: DeviceRecord): number {
    const intervals = Math.floor((this.clock.now() - record.enrolledAt) / CHECK_IN_INTERVAL_MS) + 1;
    return record.enrolledAt + intervals * CHECK_IN_INTERVAL_MS;
  }

  /** The device checks in: it takes every pending command in order and answers each. */
  checkIn(record: DeviceRecord): void {
    if (isWiped(record.snapshot)) return;
    record.checkInDue = Infinity;
    record.checkedInAt = this.clock.now();
    this.step(record, { type: 'CHECK_IN' });
    const pending = record.pending;
    record.pending = null;
    const later: PendingCommand[] = [];
    for (const entry of pending ?? []) {
      const { action, command } = entry;
      if (action.actionState !== 'pending') continue;
      if (isWiped(record.snapshot)) {
        this.settle(record, action, 'canceled', null);
        continue;
      }
      const answer = this.deliver(record, command);
      if (answer === 'later') later.push(entry);
      else if (answer.ok) this.settle(record, action, 'done', null);
      else this.settle(record, action, 'failed', answer.reason);
    }
    if (later.length > 0) {
      // Not answered yet (an Apple device said NotNow, or checked out): pending, tried at the next check-in.
      record.pending = [...later, ...(record.pending ?? [])];
      this.scheduleCheckIn(record, this.nextIntervalCheckIn(record));
    }
    this.emitDevice(record);
  }

  private deliver(record: DeviceRecord, command: DeviceCommand): CommandAnswer | 'later' {
    const wire = this.appleWire;
    if (wire?.handles(record.profile.facts.variant)) return wire.deliver(record, command, (event) => this.apply(record, event));
    return this.apply(record, command);
  }

  /** A command (or what an Apple device makes of one) applied to the device's model: its answer. */
  private apply(record: DeviceRecord, event: DeviceMachineEvent): CommandAnswer {
    const variant = record.profile.facts.variant;
    const before = record.snapshot;
    const { snapshot, emitted } = advanceDevice(variant, before, event);
    const answer = answerOf(emitted);
    if (snapshot !== before) {
      record.snapshot = snapshot;
      this.stats.moveBits(variant, snapshotStateBits(before), snapshotStateBits(snapshot));
    }
    return answer;
  }

  private step(record: DeviceRecord, event: Exclude<UserEvent, { type: 'ENROLLMENT_COMPLETE' }>): EventRejection | null {
    const variant = record.profile.facts.variant;
    const before = record.snapshot;
    const { snapshot, emitted } = advanceDevice(variant, before, event);
    const rejection = rejectionOf(emitted);
    if (snapshot !== before) {
      record.snapshot = snapshot;
      this.stats.moveBits(variant, snapshotStateBits(before), snapshotStateBits(snapshot));
      this.emitDevice(record);
    }
    return rejection;
  }

  /**
   * Check-ins due at the same instant share one clock timer and run in the order they were
   * scheduled, which is the order separate timers would fire in (due time, then scheduling order).
   */
  private scheduleCheckIn(record: DeviceRecord, at: number): void {
    if (record.checkInDue <= at) return;
    record.checkInDue = at;
    const due = this.dueAt.get(at);
    if (due) {
      due.push(record);
      return;
    }
    const group: DeviceRecord[] = [record];
    this.dueAt.set(at, group);
    this.clock.at(at, () => {
      this.dueAt.delete(at);
      for (let i = 0; i < group.length; i++) {
        const r = group[i]!;
        // A later explicit check-in or going offline makes this one stale, and so does clear().
        if (r.checkInDue === at && this.devices[r.seq] === r) this.checkIn(r);
      }
    });
  }

  private recordAction(record: DeviceRecord, actionName: ActionName, initiatedBy: string, state: ActionState): ActionRecord {
    const now = this.clock.now();
    const action: ActionRecord = new AuditedAction(this.seed, this.nextAuditNumber(), record.seq, actionName, state, initiatedBy, now);
    const actions = record.actions;
    const index = actions ? actions.findIndex((a) => a.actionName === actionName) : -1;
    if (!actions) record.actions = [action];
    else if (index >= 0) actions[index] = action;
    else actions.push(action);
    this.audits.push(action);
    if ((this.audits.length & 1023) === 0 || this.audits.length > this.maxAudits) this.trimAudits();
    this.stats.countAction(null, state);
    this.emitAction(record, action);
    return action;
  }

  private settle(record: DeviceRecord, action: ActionRecord, state: ActionState, reason: DeviceErrorReason | null): void {
    this.stats.countAction(action.actionState, state);
    action.actionState = state;
    action.updatedAt = this.clock.now();
    action.errorReason = reason;
    action.errorCode = reason ? errorCodeOf(reason) : 0;
    // A temporary passcode that never took effect is not shown.
    if (state !== 'done') {
      action.passcode = null;
      action.unlockPin = null;
    }
    this.emitAction(record, action);
  }

  private cancelPendingExceptWipe(record: DeviceRecord): void {
    for (const item of record.pending ?? []) {
      if (item.action.actionName !== 'wipe' && item.action.actionState === 'pending') {
        this.settle(record, item.action, 'canceled', null);
        this.appleWire?.withdraw(record, item.command);
      }
    }
    // Canceled commands are never delivered, so they are no longer pending on the device.
    record.pending = record.pending?.filter((item) => item.action.actionState === 'pending') ?? null;
  }

  /** TP-3: the temporary passcode is shown for seven days after the reset, then dropped. */
  private expireSecrets(action: ActionRecord): void {
    if (action.passcode !== null && this.clock.now() >= action.startedAt + PASSCODE_VISIBLE_MS) action.passcode = null;
  }

  private emitDevice(record: DeviceRecord): void {
    if (this.changes.listenerCount('change') === 0) return;
    const event: ChangeEvent = { kind: 'device', id: record.profile.id, at: this.clock.nowIso(), truth: this.truthOf(record) };
    this.changes.emit('change', event);
  }

  private emitAction(record: DeviceRecord, action: ActionRecord): void {
    if (this.changes.listenerCount('change') === 0) return;
    const event: ChangeEvent = {
      kind: 'action',
      id: record.profile.id,
      at: this.clock.nowIso(),
      actionName: action.actionName,
      actionState: action.actionState,
      errorReason: action.errorReason,
    };
    this.changes.emit('change', event);
  }
}
