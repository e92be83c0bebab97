import type { ActionName } from '../contract/actions.js';
import { parseOsVersion } from './os-version.js';
import type { VariantKey } from '../contract/variants.js';

/**
 * Which remote actions each variant supports: the reference MDM answers "not supported"
 * from this table and never sends such a command to the device.
 *
 *   variant                    | device reset | work-profile reset | passcode removal | remote lock | wipe
 *   ---------------------------+--------------+--------------------+------------------+-------------+-----
 *   android-da-legacy  (<=6.x) | yes  DL-1    | -                  | -                | yes         | yes
 *   android-da-modern  (7.0+)  | no   DL-6    | -                  | -                | yes         | yes
 *   ae-work-profile-personal   | no   DL-5    | 8.0+ WP-1, else no WP-3/WP-4 | -      | yes         | yes
 *   ae-work-profile-corporate  | no   DL-5    | yes  WP-2          | -                | yes         | yes
 *   ae-fully-managed           | yes  DL-2    | -                  | -                | yes         | yes
 *   ae-dedicated               | yes  DL-2    | -                  | -                | yes         | yes
 *   aosp-user-associated       | yes  DL-9    | -                  | -                | yes RL-1    | yes
 *   aosp-userless              | yes  DL-10   | -                  | -                | yes RL-1    | yes
 *   ios-device                 | -            | -                  | yes  DL-3, IR-1  | yes         | yes
 *   ios-user-enrollment        | no   DL-4    | -                  | no   IR-4        | yes RL-3    | yes
 *   macos                      | no   DL-7    | -                  | -                | yes (PIN)   | yes
 *   windows                    | no   DL-8    | -                  | -                | no  RL-3    | yes
 *
 * AOSP remote lock is supported by the platform; without a passcode policy the device
 * itself refuses it (RL-2), so it ends `failed`, not `notSupported`.
 */
export type ResetKind = 'device' | 'workProfile' | 'removal';

export interface SupportRow {
  deviceReset: boolean;
  workProfileReset: boolean | 'os8+';
  passcodeRemoval: boolean;
  remoteLock: boolean;
  wipe: boolean;
}

export const SUPPORT: Readonly<Record<VariantKey, SupportRow>> = {
  'android-da-legacy':         { deviceReset: true,  workProfileReset: false,  passcodeRemoval: false, remoteLock: true,  wipe: true },
  'android-da-modern':         { deviceReset: false, workProfileReset: false,  passcodeRemoval: false, remoteLock: true,  wipe: true },
  'ae-work-profile-personal':  { deviceReset: false, workProfileReset: 'os8+', passcodeRemoval: false, remoteLock: true,  wipe: true },
  'ae-work-profile-corporate': { deviceReset: false, workProfileReset: true,   passcodeRemoval: false, remoteLock: true,  wipe: true },
  'ae-fully-managed':          { deviceReset: true,  workProfileReset: false,  passcodeRemoval: false, remoteLock: true,  wipe: true },
  'ae-dedicated':              { deviceReset: true,  workProfileReset: false,  passcodeRemoval: false, remoteLock: true,  wipe: true },
  'aosp-user-associated':      { deviceReset: true,  workProfileReset: false,  passcodeRemoval: false, remoteLock: true,  wipe: true },
  'aosp-userless':             { deviceReset: true,  workProfileReset: false,  passcodeRemoval: false, remoteLock: true,  wipe: true },
  'ios-device':                { deviceReset: false, workProfileReset: false,  passcodeRemoval: true,  remoteLock: true,  wipe: true },
  'ios-user-enrollment':       { deviceReset: false, workProfileReset: false,  passcodeRemoval: false, remoteLock: true,  wipe: true },
  macos:                       { deviceReset: false, workProfileReset: false,  passcodeRemoval: false, remoteLock: true,  wipe: true },
  windows:                     { deviceReset: false, workProfileReset: false,  passcodeRemoval: false, remoteLock: false, wipe: true },
};

/** What Graph's resetPasscode means on this device, or null when it is not supported. */
export function resetKind(variant: VariantKey, osVersion: string): ResetKind | null {
  const row = SUPPORT[variant];
  if (row.deviceReset) return 'device';
  if (row.passcodeRemoval) return 'removal';
  if (row.workProfileReset === true) return 'workProfile';
  if (row.workProfileReset === 'os8+') return osMajor(osVersion) >= 8 ? 'workProfile' : null;
  return null;
}

/** Major version of an OS version string, parsed once per distinct string (support checks run per request). */
const majors = new Map<string, number>();
function osMajor(osVersion: string): number {
  let major = majors.get(osVersion);
  if (major === undefined) {
    major = parseOsVersion(osVersion)?.major ?? 0;
    if (majors.size < 10_000) majors.set(osVersion, major);
  }
  return major;
}


export function isActionSupported(action: ActionName, variant: VariantKey, osVersion: string): boolean {
  if (action === 'resetPasscode') return resetKind(variant, osVersion) !== null;
  if (action === 'remoteLock') return SUPPORT[variant].remoteLock;
  return SUPPORT[variant].wipe;
}
