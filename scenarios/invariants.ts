/**
 * Rules that hold at every observation, whatever happened before: the suite's scenario
 * context checks them on every ground-truth and admin-view read, and the fuzz model on every
 * step. Each names the catalogue row that says so. Written from the catalogue, never from
 * the simulator.
 */
import type { RoleName } from '../contract/roles.js';
import type { ActionResult, Truth } from '../contract/wire.js';
import type { VariantKey } from '../contract/variants.js';

export interface Violation {
  requirement: string;
  what: string;
  expected: string;
  observed: string;
}

const WORK_PROFILE: readonly VariantKey[] = ['ae-work-profile-personal', 'ae-work-profile-corporate'];
const APPLE_MOBILE: readonly VariantKey[] = ['ios-device', 'ios-user-enrollment'];
const STATES = ['none', 'pending', 'canceled', 'active', 'done', 'failed', 'notSupported'];
/** Roles that may see temporary passcodes and PINs (TP-5 and the contract). */
const SECRET_ROLES: readonly string[] = ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator'];

/** What must hold of a device's ground truth at any moment. */
export function truthInvariants(variant: VariantKey, truth: Truth): Violation[] {
  const out: Violation[] = [];
  if (!truth.enrolled) return out;
  // RL-4: without a passcode there is nothing to lock with (macOS locks with its PIN instead).
  if (variant !== 'macos' && truth.devicePasscode === 'none' && truth.lockScreen === 'locked') {
    out.push({ requirement: 'RL-4', what: 'lock screen of a device with no passcode', expected: 'unlocked or screenOff', observed: 'locked' });
  }
  // DL-5: a work-profile device's own passcode is never replaced by a reset.
  if (WORK_PROFILE.includes(variant) && truth.devicePasscode === 'temporary') {
    out.push({ requirement: 'DL-5', what: 'device passcode of a work-profile device', expected: 'none or user', observed: 'temporary' });
  }
  // IR-1: iOS/iPadOS passcodes are removed, never replaced by a temporary one.
  if (APPLE_MOBILE.includes(variant) && truth.devicePasscode === 'temporary') {
    out.push({ requirement: 'IR-1', what: 'device passcode of an iOS/iPadOS device', expected: 'none or user', observed: 'temporary' });
  }
  // IR-2: the prompt to set a passcode stands only while the device has none.
  if (truth.passcodePrompt && truth.devicePasscode !== 'none') {
    out.push({ requirement: 'IR-2', what: 'passcode prompt while the device has a passcode', expected: 'no prompt', observed: 'prompt shown' });
  }
  const wp = truth.workProfile;
  if (variant === 'ae-work-profile-personal' && wp) {
    if (wp.resetToken === 'pending' && !wp.activationNotification) {
      out.push({ requirement: 'AN-1', what: 'activation notification while the reset token waits for activation', expected: 'shown', observed: 'not shown' });
    }
    if (wp.resetToken === 'active' && wp.activationNotification) {
      out.push({ requirement: 'AN-2', what: 'activation notification once the reset token is active', expected: 'dismissed', observed: 'shown' });
    }
  }
  return out;
}

/** What must hold of the admin's view of a device's action results, read as `role`. */
export function resultInvariants(variant: VariantKey, role: RoleName | null, results: readonly ActionResult[]): Violation[] {
  const out: Violation[] = [];
  const names = results.map((r) => r.actionName);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) out.push({ requirement: 'ST-1', what: 'deviceActionResults entries per action', expected: 'one per action name', observed: `${twice} twice` });
  for (const r of results) {
    if (!STATES.includes(r.actionState)) out.push({ requirement: 'ST-2', what: `actionState of ${r.actionName}`, expected: `one of ${STATES.join(', ')}`, observed: String(r.actionState) });
    const passcode = typeof r.passcode === 'string' && r.passcode !== '';
    const pin = typeof r.unlockPin === 'string' && r.unlockPin !== '';
    if ((passcode || pin) && !SECRET_ROLES.includes(role ?? '')) {
      out.push({ requirement: 'TP-5', what: `secret of ${r.actionName} shown to ${role ?? 'no role'}`, expected: 'null or absent', observed: 'present' });
    }
    if (passcode && r.actionName === 'resetPasscode' && APPLE_MOBILE.includes(variant)) {
      out.push({ requirement: 'IR-1', what: 'temporary passcode of an iOS/iPadOS removal', expected: 'null or absent', observed: 'present' });
    }
    if (pin && !/^\d{6}$/.test(r.unlockPin!)) {
      out.push({ requirement: 'RL-5', what: 'form of the unlock PIN', expected: '6 digits', observed: `${r.unlockPin!.length} characters` });
    }
  }
  return out;
}
