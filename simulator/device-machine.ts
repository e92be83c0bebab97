import { and, not, or, type AnyStateMachine } from 'xstate';
import { device, refuse, reject } from './device-setup.js';
import { VARIANT_INFO } from './variants.js';
import type { VariantKey } from '../contract/variants.js';

export { contextFromFacts, type DeviceContext } from './device-setup.js';

// ---- Regions of an enrolled device ----------------------------------------------------

const connectivity = device.createStateConfig({
  initial: 'online',
  states: {
    online: { on: { GO_OFFLINE: 'offline', 'facts.apply': { guard: 'startsOffline', target: 'offline' } } },
    offline: { on: { GO_ONLINE: 'online' } },
  },
});

/**
 * The lock screen. `screenOff` exists only where a remote lock can merely turn the screen
 * off (RL-4: lockNow without a passcode); macOS always locks with a PIN and Windows has
 * no remote lock, so their machines leave the state out.
 */
const lockScreen = (withLockPin: boolean, canTurnScreenOff: boolean, canForceLock: boolean) => device.createStateConfig({
  id: 'lockScreen',
  initial: 'unlocked',
  on: {
    ...(canForceLock ? { 'screen.lock': '.locked' } : {}),
    'screen.unlock': '.unlocked',
    ...(canTurnScreenOff ? { 'screen.lockOrOff': [{ guard: 'deviceHasPasscode', target: '.locked' }, { target: '.screenOff' }] } : {}),
    'screen.afterReboot': [
      { guard: withLockPin ? or(['deviceHasPasscode', 'lockPinOutstanding']) : 'deviceHasPasscode', target: '.locked' },
      { target: '.unlocked' },
    ],
  },
  states: {
    unlocked: {},
    locked: {},
    ...(canTurnScreenOff ? { screenOff: { on: { WAKE: [{ guard: 'deviceHasPasscode', target: 'locked' }, { target: 'unlocked' }] } } } : {}),
  },
});

/** The device passcode. `temporary` exists only where the device passcode itself can be reset (DL-1, DL-2, DL-6, DL-9, DL-10). */
const devicePasscode = (canBeReset: boolean, canBeRemoved: boolean) => device.createStateConfig({
  id: 'devicePasscode',
  initial: 'none',
  on: {
    ...(canBeReset ? { 'passcode.temporary': '.temporary' } : {}),
    'passcode.user': '.user',
    ...(canBeRemoved ? { 'passcode.none': '.none' } : {}),
  },
  states: {
    none: { on: { 'facts.apply': { guard: 'startsWithPasscode', target: 'user' } } },
    user: {},
    ...(canBeReset ? { temporary: {} } : {}),
  },
});

const workProfile = device.createStateConfig({
  type: 'parallel',
  states: {
    challenge: {
      id: 'challenge',
      initial: 'none',
      on: { 'profile.temporary': '.temporary', 'profile.user': '.user' },
      states: {
        none: { on: { 'facts.apply': { guard: 'workPasswordRequiredAndSet', target: 'user' } } },
        user: {},
        temporary: {},
      },
    },
    profileLock: {
      id: 'profileLock',
      initial: 'unlocked',
      on: {
        'profile.lock': '.locked',
        'profile.unlock': '.unlocked',
        'profile.lockIfProtected': { guard: not('workChallengeIsNone'), target: '.locked' },
      },
      states: { unlocked: {}, locked: {} },
    },
    resetToken: {
      id: 'resetToken',
      initial: 'none',
      states: {
        none: {
          on: {
            // AN-1/AN-3: with a work password the token waits for the user's confirmation; without one it is active at once.
            'facts.apply': [
              { guard: and(['hasResetTokenApi', 'workPasswordRequiredAndSet']), target: 'pending' },
              { guard: 'hasResetTokenApi', target: 'active' },
            ],
            'token.provision': 'pending',
          },
        },
        pending: { on: { 'token.activate': 'active', 'token.lose': 'none' } },
        active: {},
      },
    },
    activationNotification: {
      initial: 'hidden',
      states: {
        hidden: {
          on: {
            'facts.apply': { guard: and(['hasResetTokenApi', 'workPasswordRequiredAndSet']), target: 'shown' },
            'token.provision': 'shown',
          },
        },
        shown: { on: { 'token.activate': 'hidden', 'token.lose': 'hidden' } },
      },
    },
  },
});

const corporateWorkProfile = device.createStateConfig({
  ...workProfile,
  states: {
    ...workProfile.states,
    // A company-owned profile's token is provisioned before the user sets a challenge (REF).
    resetToken: { id: 'resetToken', initial: 'active', states: { active: {} } },
    activationNotification: { initial: 'hidden', states: { hidden: {} } },
  },
});

const passcodePrompt = device.createStateConfig({
  initial: 'hidden',
  states: {
    hidden: { on: { 'prompt.show': 'shown' } },
    shown: { on: { 'prompt.hide': 'hidden' } },
  },
});

const remoteLockPin = device.createStateConfig({
  id: 'remoteLockPin',
  initial: 'none',
  states: {
    none: { on: { 'pin.set': 'outstanding' } },
    outstanding: { on: { 'pin.clear': 'none' } },
  },
});

// ---- What each command does, per family of variants ----------------------------------

const resetDevicePasscode = { actions: ['rememberTemporaryPasscode', 'markPasscodeTemporary', 'lockScreen', 'acknowledge'] } as const;

const RESET = {
  /** DPM resetPassword (Android 6 and earlier): replaces whatever passcode is set. */
  legacyDeviceAdmin: [
    { guard: 'newPasscodeMalformed', actions: refuse('INVALID_VALUE') },
    resetDevicePasscode,
  ],
  /** Android 7+: a device admin may set a passcode only where none exists. */
  modernDeviceAdmin: [
    { guard: 'newPasscodeMalformed', actions: refuse('INVALID_VALUE') },
    { guard: 'deviceHasPasscode', actions: refuse('API_LEVEL') },
    resetDevicePasscode,
  ],
  /** Device owner and AOSP: resetPasswordWithToken on the device, token provisioned at setup. */
  deviceOwner: [
    { guard: 'newPasscodeMalformed', actions: refuse('INVALID_VALUE') },
    resetDevicePasscode,
  ],
  /** Work profile: resetPasswordWithToken on the profile challenge; the device lock screen is untouched (WP-5). */
  workProfile: [
    { guard: 'belowAndroid8', actions: refuse('API_LEVEL') },
    { guard: 'newPasscodeMalformed', actions: refuse('INVALID_VALUE') },
    { guard: not('resetTokenActive'), actions: refuse('RESET_TOKEN_NOT_ACTIVE') },
    { actions: ['rememberTemporaryWorkChallenge', 'markWorkChallengeTemporary', 'lockWorkProfile', 'acknowledge'] },
  ],
  /** Corporate-owned work profile: 8.0+ only, its token active from setup. */
  corporateWorkProfile: [
    { guard: 'newPasscodeMalformed', actions: refuse('INVALID_VALUE') },
    { actions: ['rememberTemporaryWorkChallenge', 'markWorkChallengeTemporary', 'lockWorkProfile', 'acknowledge'] },
  ],
  /** Apple and Windows have no reset command. */
  none: [{ actions: refuse('UNSUPPORTED') }],
} as const;

const CLEAR = {
  /** Apple ClearPasscode with the UnlockToken the MDM stored. */
  appleDevice: [
    { guard: 'unlockTokenAbsent', actions: refuse('UNLOCK_TOKEN_MISSING') },
    { guard: 'unlockTokenWrong', actions: refuse('BAD_UNLOCK_TOKEN') },
    {
      guard: 'hasCompliancePolicy',
      actions: ['forgetDevicePasscodes', 'markPasscodeNone', 'unlockScreen', 'promptForNewPasscode', 'acknowledge'],
    },
    { actions: ['forgetDevicePasscodes', 'markPasscodeNone', 'unlockScreen', 'acknowledge'] },
  ],
  /** ClearPasscode is forbidden on User Enrollment (IR-4). */
  userEnrollment: [{ actions: refuse('MANAGEMENT_MODE') }],
  none: [{ actions: refuse('UNSUPPORTED') }],
} as const;

const LOCK = {
  /** lockNow: no passcode means the screen only turns off (RL-4). */
  standard: [{ actions: ['lockOrTurnScreenOff', 'lockWorkProfileIfProtected', 'acknowledge'] }],
  /** AOSP needs a device passcode policy to lock (RL-1, RL-2). */
  aosp: [
    { guard: not('hasPasscodePolicy'), actions: refuse('NO_PASSCODE_POLICY') },
    { actions: ['lockOrTurnScreenOff', 'acknowledge'] },
  ],
  /** macOS DeviceLock with a 6-digit PIN; a second lock before the PIN is used fails (RL-5). */
  macos: [
    { guard: 'lockPinMalformed', actions: refuse('INVALID_VALUE') },
    { guard: 'lockPinOutstanding', actions: refuse('LOCK_PIN_OUTSTANDING') },
    { actions: ['rememberLockPin', 'markLockPinOutstanding', 'lockScreen', 'acknowledge'] },
  ],
  none: [{ actions: refuse('UNSUPPORTED') }],
} as const;

// ---- What the user does --------------------------------------------------------------

const enterLockPin = [
  { guard: and(['lockPinOutstanding', 'entersLockPin']), actions: ['forgetLockPin', 'clearLockPin', 'unlockScreen'] },
  { guard: 'lockPinOutstanding', actions: 'noteWrongPasscode' },
] as const;

const enterPasscode = [
  { guard: 'deviceHasNoPasscode', actions: reject('NO_PASSCODE') },
  {
    guard: or([and(['typesOwnPasscode', 'devicePasscodeIsUsers']), 'entersTemporaryPasscode', 'entersOwnSetPasscode']),
    actions: 'unlockScreen',
  },
  { actions: 'noteWrongPasscode' },
] as const;

const setPasscode = [
  { guard: 'screenIsLocked', actions: reject('SCREEN_LOCKED') },
  { guard: 'newPasscodeMalformed', actions: reject('INVALID_PASSCODE') },
  { actions: ['rememberUserPasscode', 'markPasscodeUsers', 'dismissPasscodePrompt'] },
] as const;

const enterWorkChallenge = [
  { guard: 'workChallengeIsNone', actions: reject('NO_WORK_CHALLENGE') },
  {
    guard: or([and(['typesOwnPasscode', 'workChallengeIsUsers']), 'entersTemporaryWorkChallenge', 'entersOwnSetWorkChallenge']),
    // AN-2, AN-3: confirming the credential activates a pending reset token and dismisses its notification.
    actions: ['unlockWorkProfile', 'activateResetToken'],
  },
  { actions: 'noteWrongPasscode' },
] as const;

const setWorkChallenge = [
  { guard: 'profileIsLocked', actions: reject('PROFILE_LOCKED') },
  { guard: 'newPasscodeMalformed', actions: reject('INVALID_PASSCODE') },
  { actions: ['rememberUserWorkChallenge', 'markWorkChallengeUsers'] },
] as const;

const noWorkProfile = [{ actions: reject('NO_WORK_PROFILE') }] as const;

interface Family {
  reset: keyof typeof RESET;
  clear: keyof typeof CLEAR;
  lock: keyof typeof LOCK;
  workProfile: 'personal' | 'corporate' | null;
  passcodePrompt: boolean;
  remoteLockPin: boolean;
}

/** How each variant behaves: which command rules and which regions its machine has. */
export const FAMILIES: Readonly<Record<VariantKey, Family>> = {
  'android-da-legacy': { reset: 'legacyDeviceAdmin', clear: 'none', lock: 'standard', workProfile: null, passcodePrompt: false, remoteLockPin: false },
  'android-da-modern': { reset: 'modernDeviceAdmin', clear: 'none', lock: 'standard', workProfile: null, passcodePrompt: false, remoteLockPin: false },
  'ae-work-profile-personal': { reset: 'workProfile', clear: 'none', lock: 'standard', workProfile: 'personal', passcodePrompt: false, remoteLockPin: false },
  'ae-work-profile-corporate': { reset: 'corporateWorkProfile', clear: 'none', lock: 'standard', workProfile: 'corporate', passcodePrompt: false, remoteLockPin: false },
  'ae-fully-managed': { reset: 'deviceOwner', clear: 'none', lock: 'standard', workProfile: null, passcodePrompt: false, remoteLockPin: false },
  'ae-dedicated': { reset: 'deviceOwner', clear: 'none', lock: 'standard', workProfile: null, passcodePrompt: false, remoteLockPin: false },
  'aosp-user-associated': { reset: 'deviceOwner', clear: 'none', lock: 'aosp', workProfile: null, passcodePrompt: false, remoteLockPin: false },
  'aosp-userless': { reset: 'deviceOwner', clear: 'none', lock: 'aosp', workProfile: null, passcodePrompt: false, remoteLockPin: false },
  'ios-device': { reset: 'none', clear: 'appleDevice', lock: 'standard', workProfile: null, passcodePrompt: true, remoteLockPin: false },
  'ios-user-enrollment': { reset: 'none', clear: 'userEnrollment', lock: 'standard', workProfile: null, passcodePrompt: false, remoteLockPin: false },
  macos: { reset: 'none', clear: 'none', lock: 'macos', workProfile: null, passcodePrompt: false, remoteLockPin: true },
  windows: { reset: 'none', clear: 'none', lock: 'none', workProfile: null, passcodePrompt: false, remoteLockPin: false },
};

function buildDeviceMachine(variant: VariantKey) {
  const family = FAMILIES[variant];
  const hasWorkProfile = family.workProfile !== null;
  const resetsDevicePasscode = family.reset === 'legacyDeviceAdmin' || family.reset === 'modernDeviceAdmin' || family.reset === 'deviceOwner';
  return device.createMachine({
    id: variant,
    context: ({ input }) => input,
    initial: 'enrolling',
    states: {
      enrolling: { on: { ENROLLMENT_COMPLETE: 'enrolled' } },
      enrolled: {
        type: 'parallel',
        entry: 'applyFacts',
        on: {
          RESET_PASSCODE: RESET[family.reset],
          CLEAR_PASSCODE: CLEAR[family.clear],
          LOCK: LOCK[family.lock],
          WIPE: { target: '#' + variant + '.wiped', actions: ['forgetAllSecrets', 'acknowledge'] },
          ENTER_PASSCODE: family.remoteLockPin ? [...enterLockPin, ...enterPasscode] : enterPasscode,
          SET_PASSCODE: setPasscode,
          ENTER_WORK_CHALLENGE: (hasWorkProfile ? enterWorkChallenge : noWorkProfile),
          SET_WORK_CHALLENGE: (hasWorkProfile ? setWorkChallenge : noWorkProfile),
          REBOOT: {
            actions: hasWorkProfile
              ? ['loseInactiveResetToken', 'settleScreenAfterReboot', 'lockWorkProfileIfProtected']
              : ['settleScreenAfterReboot'],
          },
          // AN-4: a token lost on reboot is provisioned again at the next check-in, and the notification returns.
          ...(family.workProfile === 'personal'
            ? { CHECK_IN: { guard: and(['hasResetTokenApi', 'resetTokenLost', 'workPasswordRequiredAndSet']), actions: 'provisionResetToken' } }
            : {}),
        },
        states: {
          connectivity,
          lockScreen: lockScreen(family.remoteLockPin, family.lock === 'standard' || family.lock === 'aosp', resetsDevicePasscode || family.remoteLockPin),
          devicePasscode: devicePasscode(resetsDevicePasscode, family.clear === 'appleDevice'),
          ...(family.workProfile === 'personal' ? { workProfile } : {}),
          ...(family.workProfile === 'corporate' ? { workProfile: corporateWorkProfile } : {}),
          ...(family.passcodePrompt ? { passcodePrompt } : {}),
          ...(family.remoteLockPin ? { remoteLockPin } : {}),
        },
      },
      wiped: { type: 'final' },
    },
  }) as unknown as AnyStateMachine;
}

const machines = new Map<VariantKey, AnyStateMachine>();

/** The XState machine of one variant (built once, shared by every device of it). */
export function deviceMachine(variant: VariantKey): AnyStateMachine {
  let machine = machines.get(variant);
  if (!machine) {
    machine = buildDeviceMachine(variant);
    machines.set(variant, machine);
  }
  return machine;
}

export function hasWorkProfile(variant: VariantKey): boolean {
  return VARIANT_INFO[variant].hasWorkProfile;
}
