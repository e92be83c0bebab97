/** Device choosers for mutants: which devices the wrong MDM gets wrong. */
import type { DeviceFacts } from '../../simulator/device-facts.js';
import type { ActionName } from './http.js';
import { majorOf } from './http.js';
import type { DeviceRecord } from '../../simulator/mdm/reference-mdm.js';
import type { ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';

export const is =
  (...variants: string[]) =>
  (facts: DeviceFacts): boolean =>
    variants.includes(facts.variant);

export const WORK_PROFILE = is('ae-work-profile-personal', 'ae-work-profile-corporate');
export const DEVICE_OWNER = is('ae-fully-managed', 'ae-dedicated');
export const AOSP = is('aosp-user-associated', 'aosp-userless');

/** The major version, or NaN where a vendor's `Number(osVersion)` chokes on a patch part ("7.1.2"). */
export function naiveMajor(facts: DeviceFacts): number {
  return Math.floor(Number(facts.osVersion));
}

export function major(facts: DeviceFacts): number {
  return majorOf(facts) ?? NaN;
}

/** The action of that name settled in the check-in that just ran (updated at this simulated instant). */
export function justSettled(mdm: ReferenceMdm, record: DeviceRecord, action: ActionName, state = 'done'): boolean {
  const a = record.actions?.find((x) => x.actionName === action);
  return !!a && a.actionState === state && a.updatedAt === mdm.clock.now();
}
