/**
 * The scenario language. A scenario is metadata (test262-style: id, title, requirement
 * IDs, tags) plus a script that drives both faces of a target through a ScenarioContext
 * and states its expected outcomes literally.
 */
import type { RoleName } from '../harness/client.js';
import type { Level } from '../harness/result-model.js';

/** The contract's twelve `variant` values. */
export const VARIANTS = [
  'android-da-legacy',
  'android-da-modern',
  'ae-work-profile-personal',
  'ae-work-profile-corporate',
  'ae-fully-managed',
  'ae-dedicated',
  'aosp-user-associated',
  'aosp-userless',
  'ios-device',
  'ios-user-enrollment',
  'macos',
  'windows',
] as const;
export type Variant = (typeof VARIANTS)[number];

export const ACTIONS = ['resetPasscode', 'remoteLock', 'wipe'] as const;
export type ActionName = (typeof ACTIONS)[number];
export type ActionState = 'none' | 'pending' | 'canceled' | 'active' | 'done' | 'failed' | 'notSupported';

/** What POST /sim/devices takes: a variant and any facts the scenario pins. */
export interface EnrollSpec {
  variant: Variant;
  osVersion?: string;
  deviceName?: string;
  passcodePolicy?: boolean;
  workProfilePasswordSet?: boolean;
  unlockToken?: 'good' | 'bad' | 'missing';
  passcodeCompliancePolicy?: boolean;
  supervised?: boolean;
  online?: boolean;
  devicePasscodeSet?: boolean;
}

/** The device's ground truth from the simulation API. */
export interface Truth {
  variant: Variant;
  online: boolean;
  enrolled: boolean;
  lockScreen: 'locked' | 'unlocked' | 'screenOff';
  devicePasscode: 'none' | 'user' | 'temporary';
  workProfile?: { challenge: 'none' | 'user' | 'temporary'; locked: boolean; resetToken: 'none' | 'pending' | 'active'; activationNotification: boolean };
  passcodePrompt: boolean;
  pendingCommands: number;
}

export interface SimEvent {
  type: 'checkIn' | 'enterPasscode' | 'setPasscode' | 'reboot' | 'goOffline' | 'goOnline' | 'wake';
  passcode?: string;
  scope?: 'device' | 'workProfile';
}

export interface ActionResult {
  actionName: ActionName;
  actionState: ActionState;
  startDateTime?: string;
  lastUpdatedDateTime?: string;
  passcode?: string | null;
  unlockPin?: string | null;
  errorCode?: number;
}

export interface Audit {
  id: string;
  managedDeviceId: string;
  action: string;
  actionState: ActionState;
  initiatedByUserPrincipalName: string;
  requestDateTime: string;
  [field: string]: unknown;
}

export interface Device {
  id: string;
  variant: Variant;
}

/** What an admin of one role sees and does through the management API. */
export interface AdminView {
  /** HTTP status of the action request. */
  resetPasscode(device: Device): Promise<number>;
  remoteLock(device: Device): Promise<number>;
  wipe(device: Device, body?: Record<string, unknown>): Promise<number>;
  /** HTTP status of GET managedDevices/{id}. */
  read(device: Device): Promise<number>;
  /** The device's latest result for an action, or undefined when it has none. */
  actionResult(device: Device, action: ActionName): Promise<ActionResult | undefined>;
  /** The Device actions list (remoteActionAudits) entries for this device, newest first. */
  audits(device: Device): Promise<Audit[]>;
}

export interface ScenarioContext {
  readonly seed: number;
  enroll(spec: EnrollSpec): Promise<Device>;
  as(role: RoleName | null): AdminView;
  /** A user or device event; answers the HTTP status (200, or 409 when the device cannot take it). */
  event(device: Device, event: SimEvent): Promise<number>;
  /** The device checks in now (delivers its pending commands). */
  checkIn(device: Device): Promise<void>;
  truth(device: Device): Promise<Truth>;
  /** Move simulated time forward; only scenarios declared with `usesClock` may. */
  advance(isoDuration: string): Promise<void>;
  /** Records whether `observed` equals `expected` for a requirement. */
  check<T>(requirement: string, what: string, observed: T, expected: T): boolean;
  /** Records whether `observed` is one of `allowed`. */
  checkOneOf<T>(requirement: string, what: string, observed: T, allowed: readonly T[]): boolean;
  /** A free-form check: `ok`, with the expectation and observation described in words. */
  checkThat(requirement: string, what: string, ok: boolean, expected: string, observed: string): boolean;
  /** Progress for long fleet scenarios (shown by the terminal UI). */
  progress(done: number, total: number): void;
  /** Ends the scenario as `skip` (the target lacks something the scenario needs). */
  skip(reason: string): never;
}

export interface Scenario {
  id: string;
  title: string;
  area: string;
  requirements: string[];
  tags: string[];
  variant?: Variant;
  action?: ActionName | 'removal';
  /** The scenario moves simulated time, so it runs alone (the clock is shared). */
  usesClock?: boolean;
  /** Level reported for the scenario: the strongest of its requirements unless given. */
  level?: Level;
  run(t: ScenarioContext): Promise<void>;
}

export function scenario(definition: Scenario): Scenario {
  return definition;
}

/** "present" or "null": how a secret is compared and reported, never by value. */
export function shapeOf(value: unknown): 'present' | 'null' | 'absent' {
  if (value === undefined) return 'absent';
  return value === null || value === '' ? 'null' : 'present';
}
