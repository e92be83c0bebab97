/**
 * The scenario language. A scenario is metadata (test262-style: id, title, requirement
 * IDs, tags) plus a script that drives both faces of a target through a ScenarioContext
 * and states its expected outcomes literally.
 */
import type { ActionName } from '../contract/actions.js';
import type { RoleName } from '../contract/roles.js';
import type { VariantKey } from '../contract/variants.js';
import type { ActionResult, Audit, EnrollSpec, SimEvent, Truth } from '../contract/wire.js';
import type { Level } from '../contract/result-model.js';
import type { AppleFacet } from './apple-dsl.js';

export interface Device {
  id: string;
  variant: VariantKey;
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
  /** A raw GET under the Graph root (e.g. `/managedDevices?$top=2`) or of an `@odata.nextLink`; `version` names the Graph version exactly. */
  get(path: string, version?: GraphVersionName): Promise<{ status: number; body: unknown }>;
  /** A raw POST under the Graph root of one version (e.g. `/managedDevices/{id}/wipe` on v1.0). */
  post(path: string, body: unknown, version: GraphVersionName): Promise<{ status: number; body: unknown }>;
}

export type GraphVersionName = 'v1.0' | 'beta';

/** What a failed check is about beyond words: the devices that missed (a fleet check). */
export interface CheckDetail {
  /** Ids of the devices that missed, first ones first (the report keeps the first 50). */
  devices?: readonly string[];
  /** How many devices missed, when `devices` is a sample. */
  devicesTotal?: number;
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
  /** A free-form check: `ok`, with the expectation and observation described in words (and, for fleets, the devices). */
  checkThat(requirement: string, what: string, ok: boolean, expected: string, observed: string, detail?: CheckDetail): boolean;
  /** Progress for long fleet scenarios (shown by the terminal UI). */
  progress(done: number, total: number): void;
  /** Ends the scenario as `skip` (the target lacks something the scenario needs). */
  skip(reason: string): never;
  /** Apple devices on an Apple MDM server's own protocol (`run --apple-mdm`); absent otherwise. */
  readonly apple?: AppleFacet;
}

export interface Scenario {
  id: string;
  title: string;
  area: string;
  requirements: string[];
  tags: string[];
  variant?: VariantKey;
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
