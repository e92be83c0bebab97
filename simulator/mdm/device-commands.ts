/**
 * The command the reference sends a device for an action, and the secrets it makes for it: a
 * macOS lock's six-digit PIN, an Android reset's temporary passcode (recorded on the action, so
 * the admin sees them), both drawn from the seed, the device and the audit id.
 */
import type { DeviceCommand } from '../device-events.js';
import type { DeviceProfile } from '../device-profile.js';
import { secretDigest } from '../secret-hash.js';
import { resetKind } from '../support-matrix.js';
import type { ActionRecord } from './reference-mdm-types.js';
import { keychainUnlockToken, storedUnlockToken } from './unlock-token.js';

/** Passcode lengths that fit each platform's rules. */
function temporaryPasscodeLength(profile: DeviceProfile): number {
  return profile.facts.variant === 'android-da-legacy' || profile.facts.variant.startsWith('aosp') ? 6 : 8;
}

function secretDigits(seed: number, deviceId: string, salt: string, length: number): string {
  let digits = '';
  for (let i = 0; digits.length < length; i++) digits += String(secretDigest(`${deviceId}/${salt}/${i}`, seed)).slice(-8);
  return digits.slice(0, length);
}

export function commandFor(profile: DeviceProfile, action: ActionRecord, seed: number): DeviceCommand {
  switch (action.actionName) {
    case 'wipe':
      return { type: 'WIPE' };
    case 'remoteLock':
      if (profile.facts.variant === 'macos') {
        action.unlockPin = secretDigits(seed, profile.id, action.auditId, 6);
        return { type: 'LOCK', pin: action.unlockPin };
      }
      return { type: 'LOCK' };
    case 'resetPasscode':
      if (resetKind(profile.facts.variant, profile.facts.osVersion) === 'removal') {
        const keychain = keychainUnlockToken(profile);
        return { type: 'CLEAR_PASSCODE', unlockToken: storedUnlockToken(profile, keychain), keychainUnlockToken: keychain };
      }
      action.passcode = secretDigits(seed, profile.id, action.auditId, temporaryPasscodeLength(profile));
      return { type: 'RESET_PASSCODE', passcode: action.passcode };
  }
}
