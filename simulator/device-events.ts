/** What a simulated device receives (commands from an MDM, user and device events) and answers. */

/** Reasons a device refuses a command, modelled on Android Management API and Apple MDM errors. */
export const DEVICE_ERROR_REASONS = [
  'API_LEVEL', // Android: the OS version does not allow this (device admin reset on 7.0+, work profile reset before 8.0)
  'MANAGEMENT_MODE', // Android/Apple: not allowed in this management mode (ClearPasscode on User Enrollment)
  'INVALID_VALUE', // the command's value is malformed (passcode format, missing or malformed PIN)
  'UNSUPPORTED', // the platform has no such command
  'RESET_TOKEN_NOT_ACTIVE', // resetPasswordWithToken with a token the user never activated
  'BAD_UNLOCK_TOKEN', // ClearPasscode with an unlock token the device does not recognise
  'UNLOCK_TOKEN_MISSING', // ClearPasscode without an UnlockToken (Apple CommandFormatError)
  'NO_PASSCODE_POLICY', // AOSP lock without a device passcode policy
  'LOCK_PIN_OUTSTANDING', // macOS: locked with a PIN that has not been used yet
] as const;
export type DeviceErrorReason = (typeof DEVICE_ERROR_REASONS)[number];

/** Apple-style status for the same answer, for reports and the device's view. */
export function appleStatusFor(reason: DeviceErrorReason): 'Error' | 'CommandFormatError' | 'NotNow' {
  if (reason === 'UNLOCK_TOKEN_MISSING' || reason === 'INVALID_VALUE' || reason === 'UNSUPPORTED') return 'CommandFormatError';
  if (reason === 'LOCK_PIN_OUTSTANDING') return 'NotNow';
  return 'Error';
}

/** Reasons a device cannot take a user or device event in its current state (HTTP 409). */
export type EventRejection =
  | 'NO_PASSCODE'
  | 'NO_WORK_PROFILE'
  | 'NO_WORK_CHALLENGE'
  | 'SCREEN_LOCKED'
  | 'PROFILE_LOCKED'
  | 'INVALID_PASSCODE'
  | 'NOT_ENROLLED'
  | 'DEVICE_OFFLINE';

export type DeviceCommand =
  | { type: 'RESET_PASSCODE'; passcode: string }
  | { type: 'CLEAR_PASSCODE'; unlockToken: string | null; keychainUnlockToken: string }
  | { type: 'LOCK'; pin?: string }
  | { type: 'WIPE' };

export type UserEvent =
  | { type: 'ENROLLMENT_COMPLETE' }
  | { type: 'CHECK_IN' }
  | { type: 'ENTER_PASSCODE'; passcode?: string }
  | { type: 'ENTER_WORK_CHALLENGE'; passcode?: string }
  | { type: 'SET_PASSCODE'; passcode: string }
  | { type: 'SET_WORK_CHALLENGE'; passcode: string }
  | { type: 'REBOOT' }
  | { type: 'WAKE' }
  | { type: 'GO_OFFLINE' }
  | { type: 'GO_ONLINE' };

/** Raised inside the machine so that each region owns its own state changes. */
export type InternalEvent =
  | { type: 'facts.apply' }
  | { type: 'screen.lockOrOff' }
  | { type: 'screen.lock' }
  | { type: 'screen.unlock' }
  | { type: 'screen.afterReboot' }
  | { type: 'passcode.temporary' }
  | { type: 'passcode.user' }
  | { type: 'passcode.none' }
  | { type: 'profile.temporary' }
  | { type: 'profile.user' }
  | { type: 'profile.lock' }
  | { type: 'profile.lockIfProtected' }
  | { type: 'profile.unlock' }
  | { type: 'token.activate' }
  | { type: 'token.lose' }
  | { type: 'token.provision' }
  | { type: 'prompt.show' }
  | { type: 'prompt.hide' }
  | { type: 'pin.set' }
  | { type: 'pin.clear' };

export type DeviceMachineEvent = DeviceCommand | UserEvent | InternalEvent;

/** Emitted by the machine: a command's answer, or why a user event could not happen. */
export type DeviceEmitted =
  | { type: 'answer'; ok: true }
  | { type: 'answer'; ok: false; reason: DeviceErrorReason }
  | { type: 'rejected'; reason: EventRejection }
  | { type: 'wrongPasscode' };

export type CommandAnswer = { ok: true } | { ok: false; reason: DeviceErrorReason };
