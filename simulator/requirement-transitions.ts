import type { VariantKey } from '../contract/variants.js';

/**
 * The device-machine transitions each catalogue row depends on, where a conforming MDM can
 * reach them (commands it must not send, such as a reset to Android 7+ device admin, are left
 * out). The conformance suite's model coverage must include every one of them.
 */
export const REQUIREMENT_TRANSITIONS: Readonly<Record<string, ReadonlyArray<readonly [VariantKey, string]>>> = {
  'DL-1': [['android-da-legacy', 'android-da-legacy.enrolled|RESET_PASSCODE|#1']],
  'DL-2': [
    ['ae-fully-managed', 'ae-fully-managed.enrolled|RESET_PASSCODE|#1'],
    ['ae-dedicated', 'ae-dedicated.enrolled|RESET_PASSCODE|#1'],
  ],
  'DL-3': [['ios-device', 'ios-device.enrolled|CLEAR_PASSCODE|#2']],
  'DL-9': [['aosp-user-associated', 'aosp-user-associated.enrolled|RESET_PASSCODE|#1']],
  'DL-10': [['aosp-userless', 'aosp-userless.enrolled|RESET_PASSCODE|#1']],
  'WP-1': [['ae-work-profile-personal', 'ae-work-profile-personal.enrolled|RESET_PASSCODE|#3']],
  'WP-2': [['ae-work-profile-corporate', 'ae-work-profile-corporate.enrolled|RESET_PASSCODE|#1']],
  'WP-5': [
    ['ae-work-profile-personal', 'challenge|profile.temporary|#0'],
    ['ae-work-profile-corporate', 'challenge|profile.temporary|#0'],
  ],
  'TP-2': [
    ['ae-fully-managed', 'ae-fully-managed.enrolled|ENTER_PASSCODE|#1'],
    ['ae-fully-managed', 'ae-fully-managed.enrolled|ENTER_PASSCODE|#2'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled|ENTER_WORK_CHALLENGE|#1'],
  ],
  'AN-1': [
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.resetToken.none|facts.apply|#0'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.activationNotification.hidden|facts.apply|#0'],
  ],
  'AN-2': [['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.activationNotification.shown|token.activate|#0']],
  'AN-3': [
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled|RESET_PASSCODE|#2'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.resetToken.pending|token.activate|#0'],
  ],
  'AN-4': [
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.resetToken.pending|token.lose|#0'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled|CHECK_IN|#0'],
    ['ae-work-profile-personal', 'ae-work-profile-personal.enrolled.workProfile.resetToken.none|token.provision|#0'],
  ],
  'IR-2': [['ios-device', 'ios-device.enrolled|CLEAR_PASSCODE|#2']],
  'IR-3': [['ios-device', 'ios-device.enrolled|CLEAR_PASSCODE|#1']],
  'IR-5': [['ios-device', 'ios-device.enrolled|WIPE|#0']],
  'RL-1': [
    ['aosp-user-associated', 'aosp-user-associated.enrolled|LOCK|#1'],
    ['aosp-userless', 'aosp-userless.enrolled|LOCK|#1'],
  ],
  'RL-2': [['aosp-userless', 'aosp-userless.enrolled|LOCK|#0']],
  'RL-4': [['ae-fully-managed', 'lockScreen|screen.lockOrOff|#1']],
  'RL-5': [
    ['macos', 'macos.enrolled|LOCK|#2'],
    ['macos', 'macos.enrolled|LOCK|#1'],
    ['macos', 'macos.enrolled|ENTER_PASSCODE|#0'],
  ],
};
