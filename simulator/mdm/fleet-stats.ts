import type { AnyMachineSnapshot } from 'xstate';
import type { GroundTruth } from '../device-runtime.js';
import type { VariantKey } from '../../contract/variants.js';
import type { ActionState } from '../../contract/actions.js';

/** Device states the dashboard counts; a device can be in several (offline and locked). */
export const DEVICE_STATE_KEYS = ['locked', 'unlocked', 'screenOff', 'temporaryPasscode', 'resetTokenPending', 'offline', 'wiped'] as const;
export type DeviceStateKey = (typeof DEVICE_STATE_KEYS)[number];

/** One bit per DeviceStateKey, in DEVICE_STATE_KEYS order. */
export const STATE_BITS: Readonly<Record<DeviceStateKey, number>> = Object.freeze(
  Object.fromEntries(DEVICE_STATE_KEYS.map((k, i) => [k, 1 << i])) as Record<DeviceStateKey, number>,
);

/** The dashboard states of a device as bits: the same set as deviceStates(groundTruth(...)), without building the truth. */
export function snapshotStateBits(snapshot: AnyMachineSnapshot): number {
  const value = snapshot.value as { enrolled?: EnrolledStates } | string;
  if (typeof value === 'string' || !value.enrolled) return STATE_BITS.wiped;
  const v = value.enrolled;
  let bits = STATE_BITS[v.lockScreen];
  const wp = v.workProfile;
  if (v.devicePasscode === 'temporary' || wp?.challenge === 'temporary') bits |= STATE_BITS.temporaryPasscode;
  if (wp?.resetToken === 'pending') bits |= STATE_BITS.resetTokenPending;
  if (v.connectivity !== 'online') bits |= STATE_BITS.offline;
  return bits;
}

interface EnrolledStates {
  connectivity: string;
  lockScreen: 'locked' | 'unlocked' | 'screenOff';
  devicePasscode: string;
  workProfile?: { challenge: string; resetToken: string };
}

function bitsOf(truth: GroundTruth): number {
  let bits = 0;
  for (const s of deviceStates(truth)) bits |= STATE_BITS[s];
  return bits;
}

export function deviceStates(truth: GroundTruth): DeviceStateKey[] {
  if (!truth.enrolled) return ['wiped'];
  const states: DeviceStateKey[] = [truth.lockScreen];
  if (truth.devicePasscode === 'temporary' || truth.workProfile?.challenge === 'temporary') states.push('temporaryPasscode');
  if (truth.workProfile?.resetToken === 'pending') states.push('resetTokenPending');
  if (!truth.online) states.push('offline');
  return states;
}

export interface StatsView {
  devices: number;
  byVariant: Record<string, { total: number } & Record<DeviceStateKey, number>>;
  byState: Record<DeviceStateKey, number>;
  actions: Record<ActionState, number>;
}

const zeroStates = (): Record<DeviceStateKey, number> =>
  Object.fromEntries(DEVICE_STATE_KEYS.map((k) => [k, 0])) as Record<DeviceStateKey, number>;
const zeroActions = (): Record<ActionState, number> => ({ none: 0, pending: 0, canceled: 0, active: 0, done: 0, failed: 0, notSupported: 0 });

/** Counts kept up to date on every change, so reading them never walks the fleet. */
export class FleetStats {
  private devices = 0;
  private byVariant = new Map<VariantKey, { total: number } & Record<DeviceStateKey, number>>();
  private actions = zeroActions();

  add(variant: VariantKey, truth: GroundTruth): void {
    this.addBits(variant, bitsOf(truth));
  }

  move(variant: VariantKey, before: GroundTruth, after: GroundTruth): void {
    this.moveBits(variant, bitsOf(before), bitsOf(after));
  }

  /** A new device in the states `bits` (snapshotStateBits). */
  addBits(variant: VariantKey, bits: number): void {
    this.devices++;
    const row = this.row(variant);
    row.total++;
    for (let i = 0; i < DEVICE_STATE_KEYS.length; i++) if (bits & (1 << i)) row[DEVICE_STATE_KEYS[i]!]++;
  }

  /** A device moved from the states `before` to `after` (snapshotStateBits); nothing to do when they are equal. */
  moveBits(variant: VariantKey, before: number, after: number): void {
    if (before === after) return;
    const row = this.row(variant);
    for (let i = 0; i < DEVICE_STATE_KEYS.length; i++) {
      const bit = 1 << i;
      if ((before & bit) !== (after & bit)) row[DEVICE_STATE_KEYS[i]!] += after & bit ? 1 : -1;
    }
  }

  countAction(from: ActionState | null, to: ActionState): void {
    if (from) this.actions[from]--;
    this.actions[to]++;
  }

  clear(): void {
    this.devices = 0;
    this.byVariant.clear();
    this.actions = zeroActions();
  }

  view(): StatsView {
    const byState = zeroStates();
    const byVariant: StatsView['byVariant'] = {};
    for (const [variant, row] of [...this.byVariant].sort(([a], [b]) => a.localeCompare(b))) {
      byVariant[variant] = { ...row };
      for (const k of DEVICE_STATE_KEYS) byState[k] += row[k];
    }
    return { devices: this.devices, byVariant, byState, actions: { ...this.actions } };
  }

  private row(variant: VariantKey) {
    let row = this.byVariant.get(variant);
    if (!row) {
      row = { total: 0, ...zeroStates() };
      this.byVariant.set(variant, row);
    }
    return row;
  }
}
