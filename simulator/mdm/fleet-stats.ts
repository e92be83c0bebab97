import type { GroundTruth } from '../device-runtime.js';
import type { VariantKey } from '../variants.js';
import type { ActionState } from './reference-mdm.js';

/** Device states the dashboard counts; a device can be in several (offline and locked). */
export const DEVICE_STATE_KEYS = ['locked', 'unlocked', 'screenOff', 'temporaryPasscode', 'resetTokenPending', 'offline', 'wiped'] as const;
export type DeviceStateKey = (typeof DEVICE_STATE_KEYS)[number];

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
    this.devices++;
    const row = this.row(variant);
    row.total++;
    for (const s of deviceStates(truth)) row[s]++;
  }

  move(variant: VariantKey, before: GroundTruth, after: GroundTruth): void {
    const row = this.row(variant);
    for (const s of deviceStates(before)) row[s]--;
    for (const s of deviceStates(after)) row[s]++;
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
