import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import type { DeviceEmitted, DeviceMachineEvent } from './device-events.js';
import { defaultFacts, type DeviceFacts } from './device-facts.js';
import { deviceMachine } from './device-machine.js';
import { answerOf, enrolledSnapshot, groundTruth, isWiped, rejectionOf, stepDevice, type GroundTruth } from './device-runtime.js';
import type { VariantKey } from '../contract/variants.js';

/** The temporary passcode an admin sends; the device must be unlocked with exactly this. */
const TEMP = '24681357';
/** A passcode the user sets themselves (the "old" passcode once a reset replaces it). */
const OLD = '11112222';
const WRONG = '99990000';
const MALFORMED = 'ab';
const KEYCHAIN = 'unlock-token-from-token-update';

/** A simulated device driven through stepDevice, one snapshot at a time. */
class Device {
  snapshot: AnyMachineSnapshot;
  last: DeviceEmitted[] = [];
  constructor(readonly variant: VariantKey, overrides: Partial<DeviceFacts> = {}) {
    this.snapshot = enrolledSnapshot({ ...defaultFacts(variant), ...overrides, variant });
  }
  send(event: DeviceMachineEvent): DeviceEmitted[] {
    const { snapshot, emitted } = stepDevice(this.variant, this.snapshot, event);
    this.snapshot = snapshot;
    this.last = emitted;
    return emitted;
  }
  /** Sends a command and returns the device's answer. */
  command(event: DeviceMachineEvent) {
    return answerOf(this.send(event));
  }
  /** Sends a user event and returns its rejection, or null when the device took it. */
  user(event: DeviceMachineEvent) {
    return rejectionOf(this.send(event));
  }
  get truth(): GroundTruth {
    return groundTruth(this.variant, this.snapshot, true);
  }
}

const reset = (passcode = TEMP) => ({ type: 'RESET_PASSCODE', passcode }) as const;
const clear = (unlockToken: string | null) => ({ type: 'CLEAR_PASSCODE', unlockToken, keychainUnlockToken: KEYCHAIN }) as const;
const enter = (passcode?: string) => (passcode === undefined ? ({ type: 'ENTER_PASSCODE' }) as const : ({ type: 'ENTER_PASSCODE', passcode }) as const);
const enterWork = (passcode?: string) =>
  passcode === undefined ? ({ type: 'ENTER_WORK_CHALLENGE' }) as const : ({ type: 'ENTER_WORK_CHALLENGE', passcode }) as const;
const OK = { ok: true } as const;
const refused = (reason: string) => ({ ok: false, reason });

/** A personally-owned work profile on 8+ whose reset token the user has activated. */
function activatedWorkProfile(osVersion = '13') {
  const d = new Device('ae-work-profile-personal', { osVersion, workProfilePasswordSet: true });
  expect(d.user(enterWork())).toBeNull();
  expect(d.truth.workProfile?.resetToken).toBe('active');
  return d;
}

describe('device-level passcode reset (DL-*)', () => {
  it.each(['4.4', '5.1', '6.0'])('DL-1: an Android %s device administrator replaces the passcode: temporary and locked', (osVersion) => {
    const d = new Device('android-da-legacy', { osVersion, devicePasscodeSet: true });
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
    expect(d.command(reset())).toEqual(OK);
    expect(d.truth).toMatchObject({ enrolled: true, devicePasscode: 'temporary', lockScreen: 'locked' });
  });

  it('DL-1: a legacy device administrator also sets a passcode where none was set', () => {
    const d = new Device('android-da-legacy', { osVersion: '6.0', devicePasscodeSet: false });
    expect(d.truth.devicePasscode).toBe('none');
    expect(d.command(reset())).toEqual(OK);
    expect(d.truth).toMatchObject({ devicePasscode: 'temporary', lockScreen: 'locked' });
  });

  it('DL-1: a malformed temporary passcode is refused (INVALID_VALUE) and nothing changes', () => {
    const d = new Device('android-da-legacy', { osVersion: '6.0' });
    const before = d.truth;
    expect(d.command(reset(MALFORMED))).toEqual(refused('INVALID_VALUE'));
    expect(d.truth).toEqual(before);
  });

  it.each(['7.0', '9', '14.0'])('DL-6: an Android %s device administrator refuses to replace an existing passcode (API_LEVEL)', (osVersion) => {
    const d = new Device('android-da-modern', { osVersion, devicePasscodeSet: true });
    const before = d.truth;
    expect(d.command(reset())).toEqual(refused('API_LEVEL'));
    expect(d.truth).toEqual(before);
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it('DL-6: the refusal holds for a passcode the user set after enrollment, too', () => {
    const d = new Device('android-da-modern', { osVersion: '12', devicePasscodeSet: false });
    expect(d.user({ type: 'SET_PASSCODE', passcode: OLD })).toBeNull();
    expect(d.command(reset())).toEqual(refused('API_LEVEL'));
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it('DL-6 (DPM detail): an Android 7+ device administrator may still set a first passcode where none exists', () => {
    const d = new Device('android-da-modern', { osVersion: '12', devicePasscodeSet: false });
    expect(d.command(reset())).toEqual(OK);
    expect(d.truth).toMatchObject({ devicePasscode: 'temporary', lockScreen: 'locked' });
  });

  it.each(['ae-fully-managed', 'ae-dedicated'] as const)('DL-2: %s (device owner) resets the device passcode: temporary and locked', (variant) => {
    for (const osVersion of ['8.0', '15.0']) {
      const d = new Device(variant, { osVersion, devicePasscodeSet: true });
      expect(d.command(reset())).toEqual(OK);
      expect(d.truth).toMatchObject({ devicePasscode: 'temporary', lockScreen: 'locked' });
    }
  });

  it.each(['ae-fully-managed', 'ae-dedicated'] as const)('DL-2: %s refuses a malformed temporary passcode (INVALID_VALUE)', (variant) => {
    const d = new Device(variant);
    expect(d.command(reset(MALFORMED))).toEqual(refused('INVALID_VALUE'));
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it('DL-3: iOS/iPadOS has no reset command: RESET_PASSCODE is UNSUPPORTED, ClearPasscode removes the passcode instead', () => {
    const d = new Device('ios-device', { devicePasscodeSet: true });
    expect(d.command(reset())).toEqual(refused('UNSUPPORTED'));
    expect(d.truth.devicePasscode).toBe('user');
    expect(d.command(clear(KEYCHAIN))).toEqual(OK);
    expect(d.truth.devicePasscode).toBe('none');
  });

  it('DL-4: iOS User Enrollment supports neither reset (UNSUPPORTED) nor removal (MANAGEMENT_MODE)', () => {
    const d = new Device('ios-user-enrollment', { devicePasscodeSet: true });
    expect(d.command(reset())).toEqual(refused('UNSUPPORTED'));
    expect(d.command(clear(KEYCHAIN))).toEqual(refused('MANAGEMENT_MODE'));
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it.each(['ae-work-profile-personal', 'ae-work-profile-corporate'] as const)(
    'DL-5: %s never resets the device passcode: a reset goes to the work profile',
    (variant) => {
      const d = variant === 'ae-work-profile-personal' ? activatedWorkProfile() : new Device(variant, { osVersion: '13' });
      expect(d.command(reset())).toEqual(OK);
      expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
      expect(d.truth.workProfile).toMatchObject({ challenge: 'temporary', locked: true });
    },
  );

  it('DL-7: macOS has no reset and no ClearPasscode (UNSUPPORTED)', () => {
    const d = new Device('macos');
    expect(d.command(reset())).toEqual(refused('UNSUPPORTED'));
    expect(d.command(clear(KEYCHAIN))).toEqual(refused('UNSUPPORTED'));
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it('DL-8: Windows has no reset and no ClearPasscode (UNSUPPORTED)', () => {
    const d = new Device('windows');
    expect(d.command(reset())).toEqual(refused('UNSUPPORTED'));
    expect(d.command(clear(KEYCHAIN))).toEqual(refused('UNSUPPORTED'));
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it.each([
    ['DL-9', 'aosp-user-associated'],
    ['DL-10', 'aosp-userless'],
  ] as const)('%s: %s resets the device passcode: temporary and locked', (_id, variant) => {
    for (const devicePasscodeSet of [true, false]) {
      for (const passcodePolicy of [true, false]) {
        const d = new Device(variant, { osVersion: '12', devicePasscodeSet, passcodePolicy });
        expect(d.command(reset())).toEqual(OK);
        expect(d.truth).toMatchObject({ devicePasscode: 'temporary', lockScreen: 'locked' });
      }
    }
  });
});

describe('work-profile passcode reset (WP-*)', () => {
  it.each(['8.0', '11', '15.0'])('WP-1, WP-5: a personally-owned work profile on %s resets after activation: work challenge temporary, profile locked, device untouched', (osVersion) => {
    const d = activatedWorkProfile(osVersion);
    const before = d.truth;
    expect(d.command(reset())).toEqual(OK);
    expect(d.truth.workProfile).toMatchObject({ challenge: 'temporary', locked: true });
    // WP-5: the device lock screen passcode is unchanged.
    expect(d.truth.devicePasscode).toBe(before.devicePasscode);
    expect(d.truth.lockScreen).toBe(before.lockScreen);
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it('WP-5: a work-profile reset on a device without a device passcode leaves the device without one', () => {
    const d = new Device('ae-work-profile-corporate', { osVersion: '10', devicePasscodeSet: false });
    expect(d.command(reset())).toEqual(OK);
    expect(d.truth).toMatchObject({ devicePasscode: 'none', lockScreen: 'unlocked' });
    expect(d.truth.workProfile).toMatchObject({ challenge: 'temporary', locked: true });
  });

  it.each(['8.0', '15.0'])('WP-2: a corporate-owned work profile on %s resets at once (token provisioned at setup)', (osVersion) => {
    const d = new Device('ae-work-profile-corporate', { osVersion, workProfilePasswordSet: true });
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'active', activationNotification: false, challenge: 'user', locked: false });
    expect(d.command(reset())).toEqual(OK);
    expect(d.truth.workProfile).toMatchObject({ challenge: 'temporary', locked: true });
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it.each(['5.1', '6.0', '7.0', '7.1'])('WP-3, WP-4: a personally-owned work profile on %s refuses the reset (API_LEVEL)', (osVersion) => {
    const d = new Device('ae-work-profile-personal', { osVersion, workProfilePasswordSet: true });
    expect(d.user(enterWork())).toBeNull();
    const before = d.truth;
    expect(d.command(reset())).toEqual(refused('API_LEVEL'));
    expect(d.truth).toEqual(before);
    expect(d.truth.workProfile).toMatchObject({ challenge: 'user', locked: false });
  });

  it('WP-3: API_LEVEL is answered before the passcode is even looked at', () => {
    const d = new Device('ae-work-profile-personal', { osVersion: '7.1' });
    expect(d.command(reset(MALFORMED))).toEqual(refused('API_LEVEL'));
  });

  it('WP-4: Android 7.x device administrators have no work profile and refuse a reset over an existing passcode', () => {
    const d = new Device('android-da-modern', { osVersion: '7.1' });
    expect(d.user(enterWork())).toBe('NO_WORK_PROFILE');
    expect(d.command(reset())).toEqual(refused('API_LEVEL'));
    expect(d.truth.workProfile).toBeUndefined();
  });

  it('WP-1: a malformed work-profile passcode is refused (INVALID_VALUE)', () => {
    const d = activatedWorkProfile();
    expect(d.command(reset(MALFORMED))).toEqual(refused('INVALID_VALUE'));
    expect(d.truth.workProfile).toMatchObject({ challenge: 'user', locked: false });
  });
});

describe('temporary passcode must be entered (TP-2)', () => {
  const deviceResetVariants = [
    ['android-da-legacy', '6.0'],
    ['ae-fully-managed', '12'],
    ['ae-dedicated', '12'],
    ['aosp-user-associated', '12'],
    ['aosp-userless', '12'],
  ] as const;

  it.each(deviceResetVariants)('TP-2: %s stays locked on a wrong passcode and unlocks only with the temporary one', (variant, osVersion) => {
    const d = new Device(variant, { osVersion, devicePasscodeSet: true });
    expect(d.command(reset())).toEqual(OK);
    expect(d.user(enter(WRONG))).toBeNull();
    expect(d.last).toContainEqual({ type: 'wrongPasscode' });
    expect(d.truth.lockScreen).toBe('locked');
    // The user's own (enrollment-time) passcode no longer unlocks.
    expect(d.user(enter())).toBeNull();
    expect(d.truth.lockScreen).toBe('locked');
    expect(d.user(enter(MALFORMED))).toBeNull();
    expect(d.truth.lockScreen).toBe('locked');
    expect(d.user(enter(TEMP))).toBeNull();
    expect(d.truth).toMatchObject({ lockScreen: 'unlocked', devicePasscode: 'temporary' });
  });

  it.each(deviceResetVariants)('TP-2: on %s the passcode the user set before the reset keeps the device locked', (variant, osVersion) => {
    const d = new Device(variant, { osVersion, devicePasscodeSet: true });
    expect(d.user({ type: 'SET_PASSCODE', passcode: OLD })).toBeNull();
    expect(d.command(reset())).toEqual(OK);
    expect(d.user(enter(OLD))).toBeNull();
    expect(d.truth.lockScreen).toBe('locked');
    expect(d.user(enter(TEMP))).toBeNull();
    expect(d.truth.lockScreen).toBe('unlocked');
  });

  it('TP-2: the device stays locked across a reboot until the temporary passcode is entered', () => {
    const d = new Device('ae-fully-managed');
    d.command(reset());
    d.send({ type: 'REBOOT' });
    expect(d.truth).toMatchObject({ lockScreen: 'locked', devicePasscode: 'temporary' });
    d.send(enter(TEMP));
    expect(d.truth.lockScreen).toBe('unlocked');
  });

  it('TP-2: after unlocking with the temporary passcode the user can set their own, and only that one unlocks next time', () => {
    const d = new Device('aosp-userless', { osVersion: '12' });
    d.command(reset());
    d.send(enter(TEMP));
    expect(d.user({ type: 'SET_PASSCODE', passcode: OLD })).toBeNull();
    expect(d.truth.devicePasscode).toBe('user');
    d.send({ type: 'REBOOT' });
    d.send(enter(TEMP));
    expect(d.truth.lockScreen).toBe('locked');
    d.send(enter(OLD));
    expect(d.truth.lockScreen).toBe('unlocked');
  });

  it.each(['ae-work-profile-personal', 'ae-work-profile-corporate'] as const)(
    'TP-2: the %s work profile stays locked on a wrong or old challenge and unlocks only with the temporary one',
    (variant) => {
      const d = variant === 'ae-work-profile-personal' ? activatedWorkProfile() : new Device(variant, { osVersion: '13' });
      expect(d.command(reset())).toEqual(OK);
      expect(d.user(enterWork(WRONG))).toBeNull();
      expect(d.last).toContainEqual({ type: 'wrongPasscode' });
      expect(d.truth.workProfile?.locked).toBe(true);
      expect(d.user(enterWork())).toBeNull();
      expect(d.truth.workProfile?.locked).toBe(true);
      expect(d.user(enterWork(TEMP))).toBeNull();
      expect(d.truth.workProfile).toMatchObject({ locked: false, challenge: 'temporary' });
      expect(d.truth).toMatchObject({ lockScreen: 'unlocked', devicePasscode: 'user' });
    },
  );

  it.each(['ae-work-profile-personal', 'ae-work-profile-corporate'] as const)(
    'TP-2: on %s the work challenge the user set before the reset keeps the profile locked',
    (variant) => {
      const d = variant === 'ae-work-profile-personal' ? activatedWorkProfile() : new Device(variant, { osVersion: '13' });
      expect(d.user({ type: 'SET_WORK_CHALLENGE', passcode: OLD })).toBeNull();
      expect(d.command(reset())).toEqual(OK);
      expect(d.user(enterWork(OLD))).toBeNull();
      expect(d.truth.workProfile?.locked).toBe(true);
      expect(d.user(enterWork(TEMP))).toBeNull();
      expect(d.truth.workProfile?.locked).toBe(false);
    },
  );

  it('TP-2: the device passcode does not unlock a work profile locked with a temporary challenge', () => {
    const d = activatedWorkProfile();
    d.command(reset());
    d.send(enter());
    expect(d.truth.workProfile?.locked).toBe(true);
  });
});

describe('reset-token activation (AN-*)', () => {
  it.each(['8.0', '15.0'])('AN-1: on %s the activation notification is shown right after enrollment when a work password is set', (osVersion) => {
    const d = new Device('ae-work-profile-personal', { osVersion, workProfilePasswordSet: true });
    expect(d.truth.workProfile).toEqual({ challenge: 'user', locked: false, resetToken: 'pending', activationNotification: true });
  });

  it('AN-1: no notification when no work password is required and set (the token is active at once)', () => {
    const d = new Device('ae-work-profile-personal', { osVersion: '13', workProfilePasswordSet: false });
    expect(d.truth.workProfile).toEqual({ challenge: 'none', locked: false, resetToken: 'active', activationNotification: false });
  });

  it('AN-1: no notification below Android 8 (no reset token API)', () => {
    const d = new Device('ae-work-profile-personal', { osVersion: '7.1', workProfilePasswordSet: true });
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'none', activationNotification: false });
  });

  it('AN-1: a corporate-owned work profile never shows the notification', () => {
    const d = new Device('ae-work-profile-corporate', { osVersion: '13', workProfilePasswordSet: true });
    expect(d.truth.workProfile?.activationNotification).toBe(false);
  });

  it('AN-2: entering the work challenge dismisses the notification; a wrong entry does not', () => {
    const d = new Device('ae-work-profile-personal', { osVersion: '13', workProfilePasswordSet: true });
    expect(d.user(enterWork(WRONG))).toBeNull();
    expect(d.truth.workProfile).toMatchObject({ activationNotification: true, resetToken: 'pending' });
    expect(d.user(enterWork())).toBeNull();
    expect(d.truth.workProfile).toMatchObject({ activationNotification: false, resetToken: 'active' });
  });

  it('AN-3: a reset before activation fails (RESET_TOKEN_NOT_ACTIVE), after activation it succeeds', () => {
    const d = new Device('ae-work-profile-personal', { osVersion: '13', workProfilePasswordSet: true });
    const before = d.truth;
    expect(d.command(reset())).toEqual(refused('RESET_TOKEN_NOT_ACTIVE'));
    expect(d.truth).toEqual(before);
    d.send(enterWork());
    expect(d.command(reset())).toEqual(OK);
    expect(d.truth.workProfile).toMatchObject({ challenge: 'temporary', locked: true, resetToken: 'active' });
  });

  it('AN-4: a reboot loses a never-activated token; the next check-in provisions it again and the notification returns', () => {
    const d = new Device('ae-work-profile-personal', { osVersion: '13', workProfilePasswordSet: true });
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'pending', activationNotification: true });
    d.send({ type: 'REBOOT' });
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'none', activationNotification: false });
    expect(d.command(reset())).toEqual(refused('RESET_TOKEN_NOT_ACTIVE'));
    d.send({ type: 'CHECK_IN' });
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'pending', activationNotification: true });
    d.send({ type: 'CHECK_IN' });
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'pending', activationNotification: true });
    d.send(enterWork());
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'active', activationNotification: false });
    expect(d.command(reset())).toEqual(OK);
  });

  it('AN-4: an activated token survives a reboot (the profile locks again)', () => {
    const d = activatedWorkProfile();
    d.send({ type: 'REBOOT' });
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'active', activationNotification: false, locked: true });
    d.send({ type: 'CHECK_IN' });
    expect(d.truth.workProfile).toMatchObject({ resetToken: 'active', activationNotification: false });
  });
});

describe('iOS/iPadOS passcode removal (IR-*)', () => {
  it('IR-1: ClearPasscode with the good unlock token removes the passcode and unlocks; no temporary passcode', () => {
    const d = new Device('ios-device', { devicePasscodeSet: true, passcodeCompliancePolicy: false });
    d.send({ type: 'REBOOT' });
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'locked' });
    expect(d.command(clear(KEYCHAIN))).toEqual(OK);
    expect(d.truth).toMatchObject({ devicePasscode: 'none', lockScreen: 'unlocked', passcodePrompt: false });
    expect(d.user(enter(TEMP))).toBe('NO_PASSCODE');
  });

  it('IR-2: with a passcode compliance policy the device prompts for a new passcode; setting one dismisses the prompt', () => {
    const d = new Device('ios-device', { passcodeCompliancePolicy: true });
    expect(d.truth.passcodePrompt).toBe(false);
    expect(d.command(clear(KEYCHAIN))).toEqual(OK);
    expect(d.truth).toMatchObject({ devicePasscode: 'none', lockScreen: 'unlocked', passcodePrompt: true });
    expect(d.user({ type: 'SET_PASSCODE', passcode: '123456' })).toBeNull();
    expect(d.truth).toMatchObject({ devicePasscode: 'user', passcodePrompt: false });
  });

  it('IR-2: a malformed new passcode leaves the prompt up (INVALID_PASSCODE)', () => {
    const d = new Device('ios-device', { passcodeCompliancePolicy: true });
    d.command(clear(KEYCHAIN));
    expect(d.user({ type: 'SET_PASSCODE', passcode: '1' })).toBe('INVALID_PASSCODE');
    expect(d.truth.passcodePrompt).toBe(true);
  });

  it('IR-3: a wrong unlock token fails (BAD_UNLOCK_TOKEN) and the passcode stays', () => {
    const d = new Device('ios-device');
    d.send({ type: 'REBOOT' });
    const before = d.truth;
    expect(d.command(clear('some-other-token'))).toEqual(refused('BAD_UNLOCK_TOKEN'));
    expect(d.truth).toEqual(before);
    expect(d.truth).toMatchObject({ devicePasscode: 'user', lockScreen: 'locked' });
  });

  it.each([null, ''])('IR-3, IR-4: a missing unlock token (%j) fails (UNLOCK_TOKEN_MISSING)', (token) => {
    const d = new Device('ios-device');
    expect(d.command(clear(token))).toEqual(refused('UNLOCK_TOKEN_MISSING'));
    expect(d.truth.devicePasscode).toBe('user');
  });

  it('IR-4: ClearPasscode is forbidden on User Enrollment (MANAGEMENT_MODE), even with a good token', () => {
    const d = new Device('ios-user-enrollment');
    expect(d.command(clear(KEYCHAIN))).toEqual(refused('MANAGEMENT_MODE'));
    expect(d.truth.devicePasscode).toBe('user');
  });

  it('IR-4: ClearPasscode is not available on macOS (UNSUPPORTED)', () => {
    expect(new Device('macos').command(clear(KEYCHAIN))).toEqual(refused('UNSUPPORTED'));
  });

  it.each(['ios-device', 'ios-user-enrollment', 'macos', 'android-da-modern', 'ae-work-profile-personal', 'windows'] as const)(
    'IR-5: a wipe on %s erases the device: unenrolled, no passcode, later commands are not acknowledged',
    (variant) => {
      const d = new Device(variant);
      expect(d.command({ type: 'WIPE' })).toEqual(OK);
      expect(isWiped(d.snapshot)).toBe(true);
      expect(d.truth).toMatchObject({ enrolled: false, devicePasscode: 'none', lockScreen: 'unlocked' });
      expect(d.truth.workProfile).toBeUndefined();
      const wiped = d.snapshot;
      for (const event of [clear(KEYCHAIN), reset(), { type: 'LOCK', pin: '123456' }, { type: 'WIPE' }, enter(TEMP), { type: 'ENROLLMENT_COMPLETE' }] as const) {
        expect(d.send(event)).toEqual([]);
        expect(answerOf(d.last).ok).toBe(false);
        expect(d.snapshot).toBe(wiped);
      }
    },
  );
});

describe('remote lock (RL-*)', () => {
  it.each(['aosp-user-associated', 'aosp-userless'] as const)('RL-1: %s with a device passcode policy locks', (variant) => {
    const d = new Device(variant, { osVersion: '12', passcodePolicy: true, devicePasscodeSet: true });
    expect(d.command({ type: 'LOCK' })).toEqual(OK);
    expect(d.truth.lockScreen).toBe('locked');
  });

  it.each(['aosp-user-associated', 'aosp-userless'] as const)('RL-2: %s without a device passcode policy refuses (NO_PASSCODE_POLICY)', (variant) => {
    for (const devicePasscodeSet of [true, false]) {
      const d = new Device(variant, { osVersion: '12', passcodePolicy: false, devicePasscodeSet });
      const before = d.truth;
      expect(d.command({ type: 'LOCK' })).toEqual(refused('NO_PASSCODE_POLICY'));
      expect(d.truth).toEqual(before);
      expect(d.truth.lockScreen).toBe('unlocked');
    }
  });

  it('RL-3: Windows refuses remote lock (UNSUPPORTED)', () => {
    const d = new Device('windows');
    expect(d.command({ type: 'LOCK' })).toEqual(refused('UNSUPPORTED'));
    expect(d.truth.lockScreen).toBe('unlocked');
  });

  it.each([
    'android-da-legacy',
    'android-da-modern',
    'ae-work-profile-personal',
    'ae-work-profile-corporate',
    'ae-fully-managed',
    'ae-dedicated',
    'ios-device',
    'ios-user-enrollment',
  ] as const)('RL-3: %s supports remote lock (locked when a passcode is set)', (variant) => {
    const d = new Device(variant, { devicePasscodeSet: true });
    expect(d.command({ type: 'LOCK' })).toEqual(OK);
    expect(d.truth.lockScreen).toBe('locked');
    expect(d.user(enter())).toBeNull();
    expect(d.truth.lockScreen).toBe('unlocked');
  });

  it('RL-3: remote lock also locks a protected work profile', () => {
    const d = activatedWorkProfile();
    expect(d.command({ type: 'LOCK' })).toEqual(OK);
    expect(d.truth.workProfile?.locked).toBe(true);
  });

  it.each(['android-da-modern', 'ae-fully-managed', 'ios-device', 'aosp-userless'] as const)(
    'RL-4: %s with no passcode: the screen turns off but the device is not locked; WAKE unlocks',
    (variant) => {
      const d = new Device(variant, { devicePasscodeSet: false, passcodePolicy: true });
      expect(d.command({ type: 'LOCK' })).toEqual(OK);
      expect(d.truth).toMatchObject({ lockScreen: 'screenOff', devicePasscode: 'none' });
      expect(d.user({ type: 'WAKE' })).toBeNull();
      expect(d.truth.lockScreen).toBe('unlocked');
    },
  );

  it('RL-4: with a passcode set, WAKE does not unlock a locked device', () => {
    const d = new Device('android-da-modern');
    d.command({ type: 'LOCK' });
    d.send({ type: 'WAKE' });
    expect(d.truth.lockScreen).toBe('locked');
  });

  it('RL-5: macOS lock with a 6-digit PIN locks; a second lock is refused (LOCK_PIN_OUTSTANDING); the PIN unlocks', () => {
    const d = new Device('macos', { devicePasscodeSet: true });
    expect(d.command({ type: 'LOCK', pin: '123456' })).toEqual(OK);
    expect(d.truth).toMatchObject({ lockScreen: 'locked', lockPinOutstanding: true });
    expect(d.command({ type: 'LOCK', pin: '654321' })).toEqual(refused('LOCK_PIN_OUTSTANDING'));
    // Neither a wrong PIN, the user's passcode, nor the second lock's PIN unlocks.
    for (const attempt of [enter('000000'), enter(), enter('654321')]) {
      d.send(attempt);
      expect(d.truth).toMatchObject({ lockScreen: 'locked', lockPinOutstanding: true });
    }
    d.send({ type: 'REBOOT' });
    expect(d.truth).toMatchObject({ lockScreen: 'locked', lockPinOutstanding: true });
    expect(d.user(enter('123456'))).toBeNull();
    expect(d.truth).toMatchObject({ lockScreen: 'unlocked', lockPinOutstanding: false });
    expect(d.command({ type: 'LOCK', pin: '654321' })).toEqual(OK);
    expect(d.truth).toMatchObject({ lockScreen: 'locked', lockPinOutstanding: true });
  });

  it('RL-5: the PIN lock works on a Mac without a passcode and survives a reboot', () => {
    const d = new Device('macos', { devicePasscodeSet: false });
    expect(d.command({ type: 'LOCK', pin: '123456' })).toEqual(OK);
    d.send({ type: 'REBOOT' });
    expect(d.truth).toMatchObject({ lockScreen: 'locked', devicePasscode: 'none', lockPinOutstanding: true });
    d.send(enter('123456'));
    expect(d.truth).toMatchObject({ lockScreen: 'unlocked', lockPinOutstanding: false });
  });

  it.each([undefined, '12345', '1234567', 'abcdef'])('RL-5: macOS refuses a missing or malformed PIN (%j) with INVALID_VALUE', (pin) => {
    const d = new Device('macos');
    const event = pin === undefined ? ({ type: 'LOCK' }) as const : ({ type: 'LOCK', pin }) as const;
    expect(d.command(event)).toEqual(refused('INVALID_VALUE'));
    expect(d.truth).toMatchObject({ lockScreen: 'unlocked', lockPinOutstanding: false });
  });
});

describe('user events the device cannot take', () => {
  it('ENTER_PASSCODE with no passcode set is rejected (NO_PASSCODE)', () => {
    const d = new Device('android-da-modern', { devicePasscodeSet: false });
    expect(d.user(enter('1234'))).toBe('NO_PASSCODE');
  });

  it('SET_PASSCODE while the screen is locked is rejected (SCREEN_LOCKED)', () => {
    const d = new Device('ae-fully-managed');
    d.command({ type: 'LOCK' });
    expect(d.user({ type: 'SET_PASSCODE', passcode: OLD })).toBe('SCREEN_LOCKED');
    expect(d.truth.devicePasscode).toBe('user');
  });

  it('SET_PASSCODE with a malformed passcode is rejected (INVALID_PASSCODE)', () => {
    expect(new Device('ae-fully-managed').user({ type: 'SET_PASSCODE', passcode: MALFORMED })).toBe('INVALID_PASSCODE');
  });

  it.each(['android-da-legacy', 'ae-fully-managed', 'aosp-userless', 'ios-device', 'macos', 'windows'] as const)(
    'ENTER_WORK_CHALLENGE and SET_WORK_CHALLENGE on %s are rejected (NO_WORK_PROFILE)',
    (variant) => {
      const d = new Device(variant);
      expect(d.user(enterWork(TEMP))).toBe('NO_WORK_PROFILE');
      expect(d.user({ type: 'SET_WORK_CHALLENGE', passcode: OLD })).toBe('NO_WORK_PROFILE');
    },
  );

  it('ENTER_WORK_CHALLENGE without a work challenge is rejected (NO_WORK_CHALLENGE)', () => {
    const d = new Device('ae-work-profile-personal', { osVersion: '13', workProfilePasswordSet: false });
    expect(d.user(enterWork())).toBe('NO_WORK_CHALLENGE');
  });

  it('SET_WORK_CHALLENGE while the profile is locked is rejected (PROFILE_LOCKED)', () => {
    const d = activatedWorkProfile();
    d.command(reset());
    expect(d.user({ type: 'SET_WORK_CHALLENGE', passcode: OLD })).toBe('PROFILE_LOCKED');
  });

  it('user events emit no command answer', () => {
    const d = new Device('ae-work-profile-personal', { osVersion: '13' });
    for (const event of [enter(), enterWork(), { type: 'REBOOT' }, { type: 'CHECK_IN' }, { type: 'WAKE' }, { type: 'GO_OFFLINE' }, { type: 'GO_ONLINE' }] as const) {
      expect(d.send(event).filter((e) => e.type === 'answer')).toEqual([]);
    }
  });
});

describe('snapshots', () => {
  it('enrolledSnapshot returns one shared object for equal facts, and stepping it never changes it', () => {
    const facts = defaultFacts('ae-fully-managed');
    const shared = enrolledSnapshot(facts);
    expect(enrolledSnapshot({ ...facts, unlockToken: 'bad', supervised: !facts.supervised })).toBe(shared);
    const frozen = JSON.stringify(deviceMachine('ae-fully-managed').getPersistedSnapshot(shared));
    const truth = groundTruth('ae-fully-managed', shared, true);

    const a = stepDevice('ae-fully-managed', shared, reset());
    expect(groundTruth('ae-fully-managed', a.snapshot, true)).toMatchObject({ devicePasscode: 'temporary', lockScreen: 'locked' });
    stepDevice('ae-fully-managed', a.snapshot, enter(TEMP));

    expect(JSON.stringify(deviceMachine('ae-fully-managed').getPersistedSnapshot(shared))).toBe(frozen);
    expect(groundTruth('ae-fully-managed', shared, true)).toEqual(truth);
    const b = stepDevice('ae-fully-managed', shared, enter(TEMP));
    expect(groundTruth('ae-fully-managed', b.snapshot, true)).toMatchObject({ devicePasscode: 'user', lockScreen: 'unlocked' });
    expect(b.emitted).toContainEqual({ type: 'wrongPasscode' });
  });

  it('different facts give different enrolled snapshots', () => {
    const facts = defaultFacts('aosp-userless');
    expect(enrolledSnapshot({ ...facts, passcodePolicy: false })).not.toBe(enrolledSnapshot(facts));
    expect(enrolledSnapshot({ ...facts, osVersion: '10' })).not.toBe(enrolledSnapshot({ ...facts, osVersion: '12' }));
  });

  const histories: Array<[VariantKey, Partial<DeviceFacts>, DeviceMachineEvent[], DeviceMachineEvent]> = [
    ['android-da-legacy', { osVersion: '6.0' }, [{ type: 'SET_PASSCODE', passcode: OLD }, reset()], enter(TEMP)],
    ['android-da-legacy', { osVersion: '6.0' }, [{ type: 'SET_PASSCODE', passcode: OLD }, reset()], enter(OLD)],
    ['ae-work-profile-personal', { osVersion: '13', workProfilePasswordSet: true }, [], { type: 'REBOOT' }],
    ['ae-work-profile-personal', { osVersion: '13', workProfilePasswordSet: true }, [enterWork(), reset()], enterWork(TEMP)],
    ['ae-work-profile-corporate', { osVersion: '13', online: false }, [reset()], enterWork(WRONG)],
    ['ios-device', { passcodeCompliancePolicy: true }, [clear(KEYCHAIN)], { type: 'SET_PASSCODE', passcode: '123456' }],
    ['macos', {}, [{ type: 'LOCK', pin: '123456' }], enter('123456')],
    ['macos', {}, [{ type: 'LOCK', pin: '123456' }], { type: 'LOCK', pin: '123456' }],
    ['aosp-userless', { osVersion: '12', devicePasscodeSet: false }, [{ type: 'LOCK' }], { type: 'WAKE' }],
    ['windows', {}, [{ type: 'GO_OFFLINE' }, { type: 'REBOOT' }], enter()],
    ['android-da-modern', {}, [{ type: 'WIPE' }], reset()],
  ];

  it.each(histories)('persisted snapshot round trip on %s %j after %j behaves the same on %j', (variant, overrides, events, next) => {
    const machine = deviceMachine(variant);
    const d = new Device(variant, overrides);
    for (const event of events) d.send(event);
    const persisted = machine.getPersistedSnapshot(d.snapshot) as unknown as { value: unknown; context: unknown };
    const restored = machine.resolveState(JSON.parse(JSON.stringify({ value: persisted.value, context: persisted.context }))) as AnyMachineSnapshot;
    expect(groundTruth(variant, restored, true)).toEqual(d.truth);
    const original = stepDevice(variant, d.snapshot, next);
    const again = stepDevice(variant, restored, next);
    expect(again.emitted).toEqual(original.emitted);
    expect(groundTruth(variant, again.snapshot, true)).toEqual(groundTruth(variant, original.snapshot, true));
    expect(again.snapshot.context).toEqual(original.snapshot.context);
  });
});
