/**
 * The first five deliberately wrong MDMs, kept under their original names for the tests that
 * use them. They now live in the mutant catalogue (harness/mutants/), with the rest: see
 * harness/mutants/index.ts to add one.
 *
 *   const target = await embeddedTarget({ seed: 1, wrapFetch: wrongTargets.locksAospWithoutPolicy });
 */
import { badUnlockTokenRemovalDone } from '../mutants/ios-removal.js';
import { mutantById } from '../mutants/index.js';
import type { WrapFetch } from '../mutants/mutant.js';
import { locksAospWithoutPolicy } from '../mutants/remote-lock.js';
import { readOnlyMayReset } from '../mutants/roles-status.js';
import { showsPasscodeAfterSevenDays } from '../mutants/temporary-passcode.js';

export type { AppFetch, WrapFetch } from '../mutants/mutant.js';
export { roleOf } from '../mutants/http.js';
export { badUnlockTokenRemovalDone, locksAospWithoutPolicy, readOnlyMayReset, showsPasscodeAfterSevenDays };

/** DL-6: resetPasscode on android-da-modern answers 204 and reads as `done`. */
export const reportsDoneForModernDeviceAdminReset: WrapFetch = mutantById('dl-6/accepts-modern-device-admin')!.wrap;

/** Every wrong target by name, for table-driven tests. */
export const WRONG_TARGETS = {
  reportsDoneForModernDeviceAdminReset,
  showsPasscodeAfterSevenDays,
  locksAospWithoutPolicy,
  readOnlyMayReset,
  badUnlockTokenRemovalDone,
} as const satisfies Record<string, WrapFetch>;

/** The requirement each wrong target breaks. */
export const WRONG_TARGET_BREAKS: Readonly<Record<keyof typeof WRONG_TARGETS, string>> = {
  reportsDoneForModernDeviceAdminReset: 'DL-6',
  showsPasscodeAfterSevenDays: 'TP-3',
  locksAospWithoutPolicy: 'RL-2',
  readOnlyMayReset: 'RB-3',
  badUnlockTokenRemovalDone: 'IR-3',
};
