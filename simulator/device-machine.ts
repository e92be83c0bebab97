import { and, assertEvent, assign, emit, not, or, raise, setup, stateIn, type AnyStateMachine } from 'xstate';
import type { DeviceFacts } from './device-facts.js';
import type { DeviceEmitted, DeviceErrorReason, DeviceMachineEvent, EventRejection } from './device-events.js';
import { parseOsVersion } from './os-version.js';
import { secretDigest } from './secret-hash.js';
import { VARIANT_INFO } from './variants.js';
import { type VariantKey } from '../contract/variants.js';

/**
 * The device's own memory. Secrets are digests (0 = none): the device can verify an
 * entry but never reveal what the passcode was.
 */
export interface DeviceContext {
  osMajor: number;
  passcodePolicy: boolean;
  workProfilePasswordSet: boolean;
  passcodeCompliancePolicy: boolean;
  startsOnline: boolean;
  startsWithPasscode: boolean;
  temporaryPasscode: number;
  userPasscode: number;
  profileTemporary: number;
  profileUser: number;
  unlockPin: number;
}

export function contextFromFacts(facts: DeviceFacts): DeviceContext {
  return {
    osMajor: parseOsVersion(facts.osVersion)?.major ?? 0,
    passcodePolicy: facts.passcodePolicy,
    workProfilePasswordSet: facts.workProfilePasswordSet,
    passcodeCompliancePolicy: facts.passcodeCompliancePolicy,
    startsOnline: facts.online,
    startsWithPasscode: facts.devicePasscodeSet,
    temporaryPasscode: 0,
    userPasscode: 0,
    profileTemporary: 0,
    profileUser: 0,
    unlockPin: 0,
  };
}

const ANDROID_PASSCODE = /^[\x20-\x7e]{4,16}$/;
const MAC_PIN = /^\d{6}$/;

type Reason = { reason: DeviceErrorReason };
type Rejection = { reason: EventRejection };

// assertEvent narrows the event and throws if a guard or action is ever wired to an event
// without the field it reads (instead of reading `undefined` and deciding silently).
const ENTRIES = ['ENTER_PASSCODE', 'ENTER_WORK_CHALLENGE'] as const;
const NEW_PASSCODES = ['RESET_PASSCODE', 'SET_PASSCODE', 'SET_WORK_CHALLENGE'] as const;

function entered(event: DeviceMachineEvent): string | undefined {
  assertEvent(event, ENTRIES);
  return event.passcode;
}

function newPasscode(event: DeviceMachineEvent): string {
  assertEvent(event, NEW_PASSCODES);
  return event.passcode ?? '';
}

function lockPin(event: DeviceMachineEvent): string {
  assertEvent(event, 'LOCK');
  return event.pin ?? '';
}

function unlockTokens(event: DeviceMachineEvent): { unlockToken: string | null; keychainUnlockToken: string } {
  assertEvent(event, 'CLEAR_PASSCODE');
  return event;
}

function matches(digest: number, entered: string | undefined): boolean {
  return digest !== 0 && entered !== undefined && secretDigest(entered) === digest;
}

const device = setup({
  types: {
    context: {} as DeviceContext,
    events: {} as DeviceMachineEvent,
    emitted: {} as DeviceEmitted,
    input: {} as DeviceContext,
  },
  guards: {
    startsOffline: ({ context }) => !context.startsOnline,
    startsWithPasscode: ({ context }) => context.startsWithPasscode,
    workPasswordRequiredAndSet: ({ context }) => context.workProfilePasswordSet,
    hasResetTokenApi: ({ context }) => context.osMajor >= 8,
    belowAndroid8: ({ context }) => context.osMajor < 8,
    deviceHasPasscode: not(stateIn('#devicePasscode.none')),
    deviceHasNoPasscode: stateIn('#devicePasscode.none'),
    devicePasscodeIsUsers: stateIn('#devicePasscode.user'),
    screenIsLocked: stateIn('#lockScreen.locked'),
    screenIsOff: stateIn('#lockScreen.screenOff'),
    resetTokenActive: stateIn('#resetToken.active'),
    resetTokenLost: stateIn('#resetToken.none'),
    workChallengeIsNone: stateIn('#challenge.none'),
    workChallengeIsUsers: stateIn('#challenge.user'),
    profileIsLocked: stateIn('#profileLock.locked'),
    lockPinOutstanding: stateIn('#remoteLockPin.outstanding'),
    hasPasscodePolicy: ({ context }) => context.passcodePolicy,
    hasCompliancePolicy: ({ context }) => context.passcodeCompliancePolicy,
    typesOwnPasscode: ({ event }) => entered(event) === undefined,
    entersTemporaryPasscode: ({ context, event }) => matches(context.temporaryPasscode, entered(event)),
    entersOwnSetPasscode: ({ context, event }) => matches(context.userPasscode, entered(event)),
    entersTemporaryWorkChallenge: ({ context, event }) => matches(context.profileTemporary, entered(event)),
    entersOwnSetWorkChallenge: ({ context, event }) => matches(context.profileUser, entered(event)),
    entersLockPin: ({ context, event }) => matches(context.unlockPin, entered(event)),
    newPasscodeMalformed: ({ event }) => !ANDROID_PASSCODE.test(newPasscode(event)),
    lockPinMalformed: ({ event }) => !MAC_PIN.test(lockPin(event)),
    unlockTokenAbsent: ({ event }) => !unlockTokens(event).unlockToken,
    unlockTokenWrong: ({ event }) => unlockTokens(event).unlockToken !== unlockTokens(event).keychainUnlockToken,
  },
  actions: {
    acknowledge: emit({ type: 'answer', ok: true } as const),
    refuse: emit((_, params: Reason) => ({ type: 'answer', ok: false, reason: params.reason }) as const),
    reject: emit((_, params: Rejection) => ({ type: 'rejected', reason: params.reason }) as const),
    noteWrongPasscode: emit({ type: 'wrongPasscode' } as const),
    applyFacts: raise({ type: 'facts.apply' }),
    lockOrTurnScreenOff: raise({ type: 'screen.lockOrOff' }),
    lockScreen: raise({ type: 'screen.lock' }),
    unlockScreen: raise({ type: 'screen.unlock' }),
    settleScreenAfterReboot: raise({ type: 'screen.afterReboot' }),
    markPasscodeTemporary: raise({ type: 'passcode.temporary' }),
    markPasscodeUsers: raise({ type: 'passcode.user' }),
    markPasscodeNone: raise({ type: 'passcode.none' }),
    markWorkChallengeTemporary: raise({ type: 'profile.temporary' }),
    markWorkChallengeUsers: raise({ type: 'profile.user' }),
    lockWorkProfile: raise({ type: 'profile.lock' }),
    lockWorkProfileIfProtected: raise({ type: 'profile.lockIfProtected' }),
    unlockWorkProfile: raise({ type: 'profile.unlock' }),
    activateResetToken: raise({ type: 'token.activate' }),
    loseInactiveResetToken: raise({ type: 'token.lose' }),
    provisionResetToken: raise({ type: 'token.provision' }),
    promptForNewPasscode: raise({ type: 'prompt.show' }),
    dismissPasscodePrompt: raise({ type: 'prompt.hide' }),
    markLockPinOutstanding: raise({ type: 'pin.set' }),
    clearLockPin: raise({ type: 'pin.clear' }),
    // TP-2: a reset replaces the passcode, so the one the user had set no longer unlocks.
    rememberTemporaryPasscode: assign(({ event }) => ({ temporaryPasscode: secretDigest(newPasscode(event)), userPasscode: 0 })),
    rememberUserPasscode: assign(({ event }) => ({ userPasscode: secretDigest(newPasscode(event)), temporaryPasscode: 0 })),
    forgetDevicePasscodes: assign(() => ({ temporaryPasscode: 0, userPasscode: 0 })),
    rememberTemporaryWorkChallenge: assign(({ event }) => ({ profileTemporary: secretDigest(newPasscode(event)), profileUser: 0 })),
    rememberUserWorkChallenge: assign(({ event }) => ({ profileUser: secretDigest(newPasscode(event)), profileTemporary: 0 })),
    rememberLockPin: assign(({ event }) => ({ unlockPin: secretDigest(lockPin(event)) })),
    forgetLockPin: assign(() => ({ unlockPin: 0 })),
    forgetAllSecrets: assign(() => ({ temporaryPasscode: 0, userPasscode: 0, profileTemporary: 0, profileUser: 0, unlockPin: 0 })),
  },
});

const refuse = (reason: DeviceErrorReason) => ({ type: 'refuse', params: { reason } }) as const;
const reject = (reason: EventRejection) => ({ type: 'reject', params: { reason } }) as const;

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
