/**
 * What every device machine is built from: its memory (context), the guards that read
 * context, state and event, and the actions it may take. device-machine.ts assembles the
 * per-variant machines from these.
 */
import { assertEvent, assign, emit, not, raise, setup, stateIn } from 'xstate';
import type { DeviceFacts } from './device-facts.js';
import type { DeviceEmitted, DeviceErrorReason, DeviceMachineEvent, EventRejection } from './device-events.js';
import { parseOsVersion } from './os-version.js';
import { secretDigest } from './secret-hash.js';

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

/** The device machines' shared vocabulary: context, events, named guards and actions. */
export const device = setup({
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

export const refuse = (reason: DeviceErrorReason) => ({ type: 'refuse', params: { reason } }) as const;
export const reject = (reason: EventRejection) => ({ type: 'reject', params: { reason } }) as const;
