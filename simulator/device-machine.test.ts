import { describe, expect, it } from 'vitest';
import { TEMP, OLD, WRONG, MALFORMED, KEYCHAIN, Device, reset, clear, enter, enterWork, OK, refused, activatedWorkProfile } from './test-support/device-under-test.js';

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
