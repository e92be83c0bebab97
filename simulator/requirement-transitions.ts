import type { VariantKey } from '../contract/variants.js';

/**
 * The device-machine transitions each catalogue row depends on, where a conforming MDM can
 * reach them (commands it must not send, such as a reset to Android 7+ device admin, are left
 * out). The conformance suite's model coverage must include every one of them.
 * Ids are transitionId()s, `source|event[guard]→target`: they name a transition by what it
 * is, so reordering a guarded list keeps them, and requirement-transitions.test.ts fails
 * when one names no transition of its variant's machine.
 */
export const REQUIREMENT_TRANSITIONS: Readonly<Record<string, ReadonlyArray<readonly [VariantKey, string]>>> = {
  'DL-1': [['android-da-legacy', 'android-da-legacy.enrolled|RESET_PASSCODE']],
  'DL-2': [
    ['ae-fully-managed', 'ae-fully-managed.enrolled|RESET_PASSCODE'],
    ['ae-dedicated', 'ae-dedicated.enrolled|RESET_PASSCODE'],
  ],
  'DL-3': [['ios-device', 'ios-device.enrolled|CLEAR_PASSCODE[hasCompliancePolicy]']],
  'DL-9': [['aosp-user-associated', 'aosp-user-associated.enrolled|RESET_PASSCODE']],
  'DL-10': [['aosp-userless', 'aosp-userless.enrolled|RESET_PASSCODE']],
  'WP-1': [['ae-work-profile-personal', 'ae-work-profile-personal.enrolled|RESET_PASSCODE']],
  'WP-2': [['ae-work-profile-corporate', 'ae-work-profile-corporate.enrolled|RESET_PASSCODE']],
  'WP-5': [
    ['ae-work-profile-personal', 'challenge|profile.temporary→temporary'],
    ['ae-work-profile-corporate', 'challenge|profile.temporary→temporary'],
  ],
  'TP-2': [
    ['ae-fully-managed', 'ae-fully-managed.enrolled|ENTER_PASSCODE[or(and(typesOwnPasscode,devicePasscodeIsUsers),entersTemporaryPasscode,entersOwnSetPasscode)]'],
    ['ae-fully-managed', 'ae-fully-managed.enrolled|ENTER_PASSCODE'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled|ENTER_WORK_CHALLENGE[or(and(typesOwnPasscode,workChallengeIsUsers),entersTemporaryWorkChallenge,entersOwnSetWorkChallenge)]'],
  ],
  'AN-1': [
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.resetToken.none|facts.apply[and(hasResetTokenApi,workPasswordRequiredAndSet)]→pending'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.activationNotification.hidden|facts.apply[and(hasResetTokenApi,workPasswordRequiredAndSet)]→shown'],
  ],
  'AN-2': [['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.activationNotification.shown|token.activate→hidden']],
  'AN-3': [
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled|RESET_PASSCODE[not(resetTokenActive)]'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.resetToken.pending|token.activate→active'],
  ],
  'AN-4': [
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.resetToken.pending|token.lose→none'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled|CHECK_IN[and(hasResetTokenApi,resetTokenLost,workPasswordRequiredAndSet)]'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.resetToken.none|token.provision→pending'],
  ],
  'IR-2': [['ios-device', 'ios-device.enrolled|CLEAR_PASSCODE[hasCompliancePolicy]']],
  'IR-3': [['ios-device', 'ios-device.enrolled|CLEAR_PASSCODE[unlockTokenWrong]']],
  'IR-5': [['ios-device', 'ios-device.enrolled|WIPE→wiped']],
  'RL-1': [
    ['aosp-user-associated', 'aosp-user-associated.enrolled|LOCK'],
    ['aosp-userless', 'aosp-userless.enrolled|LOCK'],
  ],
  'RL-2': [['aosp-userless', 'aosp-userless.enrolled|LOCK[not(hasPasscodePolicy)]']],
  'RL-4': [['ae-fully-managed', 'lockScreen|screen.lockOrOff→screenOff']],
  'RL-5': [
    ['macos', 'macos.enrolled|LOCK'],
    ['macos', 'macos.enrolled|LOCK[lockPinOutstanding]'],
    ['macos', 'macos.enrolled|ENTER_PASSCODE[and(lockPinOutstanding,entersLockPin)]'],
  ],
};
