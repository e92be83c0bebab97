import type { AnyMachineSnapshot } from 'xstate';
import type { SimClock } from '../clock.js';
import type { CommandAnswer, DeviceCommand, DeviceErrorReason, DeviceMachineEvent, EventRejection } from '../device-events.js';
import type { DeviceProfile } from '../device-profile.js';
import type { GroundTruth } from '../device-runtime.js';
import type { ActionName, ActionState } from '../../contract/actions.js';
import type { AppleMdmServer } from '../apple/reference-server.js';

/** One remote action taken on a device; the latest per action name is its deviceActionResult. */
export interface ActionRecord {
  auditId: string;
  deviceSeq: number;
  actionName: ActionName;
  actionState: ActionState;
  initiatedBy: string;
  startedAt: number;
  updatedAt: number;
  /** Temporary passcode (reset on Android); shown for seven days, then forgotten. */
  passcode: string | null;
  /** macOS lock PIN. */
  unlockPin: string | null;
  errorCode: number;
  errorReason: DeviceErrorReason | null;
}

export interface PendingCommand {
  action: ActionRecord;
  command: DeviceCommand;
}

export interface DeviceRecord {
  seq: number;
  profile: DeviceProfile;
  snapshot: AnyMachineSnapshot;
  enrolledAt: number;
  /** Last explicit check-in; interval check-ins are derived from enrolledAt. */
  checkedInAt: number;
  actions: ActionRecord[] | null;
  pending: PendingCommand[] | null;
  checkInDue: number;
}

export type SimEvent =
  | { type: 'checkIn' }
  | { type: 'enterPasscode'; passcode?: string; scope?: 'device' | 'workProfile' }
  | { type: 'setPasscode'; passcode: string; scope?: 'device' | 'workProfile' }
  | { type: 'reboot' }
  | { type: 'wake' }
  | { type: 'goOffline' }
  | { type: 'goOnline' };

export type ActionRequestOutcome =
  | { kind: 'accepted'; action: ActionRecord }
  | { kind: 'notSupported'; action: ActionRecord }
  | { kind: 'alreadyPending'; action: ActionRecord }
  | { kind: 'notFound' };

export type EventOutcome =
  | { kind: 'ok'; truth: SimTruth }
  | { kind: 'rejected'; reason: EventRejection; truth: SimTruth }
  | { kind: 'notFound' };

export interface SimTruth extends GroundTruth {
  pendingCommands: number;
}

export type ChangeEvent =
  | { kind: 'device'; id: string; at: string; truth: SimTruth }
  | { kind: 'action'; id: string; at: string; actionName: ActionName; actionState: ActionState; errorReason: DeviceErrorReason | null };

export interface ReferenceMdmOptions {
  clock?: SimClock;
  /** Seeds temporary passcodes, PINs and push latency. */
  seed?: number;
  /** Simulated milliseconds between a push and the device's check-in (2 to 10 s by default, per device). */
  pushLatencyMs?: (seq: number) => number;
  /**
   * The number of the next audit (its GUID derives from it and the seed): 0, 1, 2... by default.
   * A shard of a larger fleet numbers its audits so that they never collide with another shard's.
   */
  auditNumber?: () => number;
  /** This server is shard K of a sharded fleet: devices it generates carry K in their ids. */
  shardTag?: number;
  /**
   * Where the devices really live when they are not in this instance: a stand-in reports
   * their count through this.
   */
  deviceCount?: () => number;
  /** Audit retention: audits older than this many simulated ms are dropped (AUDIT_RETENTION_MS, 30 days). */
  auditRetentionMs?: number;
  /** Audit retention: at most this many audits are kept, newest first (MAX_AUDITS, 100 000). */
  maxAudits?: number;
  /** Apple devices take their commands over the Apple MDM protocol through this (simulator/apple/fleet-wire.ts); without it, in-process. */
  appleWire?: AppleCommandWire;
}

/**
 * How a command reaches an Apple device of the fleet over the Apple MDM protocol: the device
 * enrolls (once), the command is queued, the device polls, applies it to its model (`apply`:
 * the record's own snapshot) and answers; the server reads the answer off the wire.
 */
export interface AppleCommandWire {
  /** The Apple MDM server the devices enroll in, which `PUT /mdm` also serves to devices outside. */
  readonly server: AppleMdmServer;
  /** Devices enrolled over the protocol so far. */
  readonly enrolled: number;
  /** Commands sent, by RequestType and the device's answer (Acknowledged, Error...). */
  readonly counts: Readonly<Record<string, Readonly<Record<string, number>>>>;
  handles(variant: string): boolean;
  /** The device side of one device on the wire (what it received, shapes only), or null before it enrolled. */
  view(record: DeviceRecord): AppleDeviceView | null;
  /** A device-side step the simulation asks for (enroll now, poll, TokenUpdate, CheckOut, answer NotNow); the commands handled. */
  act(record: DeviceRecord, request: AppleDeviceRequest, apply: (event: DeviceMachineEvent) => CommandAnswer): AppleReceivedView[];
  /**
   * The device's answer to a command, or 'later': not answered yet (the device said NotNow, so the
   * command stays queued for its next poll; or it checked out, so nothing reaches it).
   */
  deliver(record: DeviceRecord, command: DeviceCommand, apply: (event: DeviceMachineEvent) => CommandAnswer): CommandAnswer | 'later';
  /** A command delivered earlier and answered NotNow was canceled: take it off the device's queue. */
  withdraw(record: DeviceRecord, command: DeviceCommand): void;
}

/** A command as an Apple device of the fleet received it: never a token or PIN, only their shape. */
export interface AppleReceivedView {
  commandUuid: string;
  requestType: string;
  keys: Record<string, string>;
  status: 'Acknowledged' | 'Error' | 'CommandFormatError' | 'NotNow' | 'Idle';
  tokenIsEscrowed?: boolean | null;
  pinLength?: number | null;
  afterCheckOut: boolean;
}

export interface AppleDeviceView {
  /** The id the Apple admin API addresses (UDID, or EnrollmentID for User Enrollment). */
  enrollmentId: string;
  checkedOut: boolean;
  /** Digest of the PIN the Mac locked with (compare with the Graph action's PIN through the same digest); null: none. */
  lockPinDigest: number | null;
  /** Commands received since enrollment; `received` keeps the last few of them, oldest first. */
  receivedTotal: number;
  received: AppleReceivedView[];
}

export type AppleDeviceRequest =
  | { action: 'enroll' }
  | { action: 'poll' }
  | { action: 'tokenUpdate'; rotateUnlockToken?: boolean; withoutUnlockToken?: boolean }
  | { action: 'checkOut' }
  | { action: 'notNow'; count: number };
