import { describe, expect, it } from 'vitest';
import { deviceMachine } from './device-machine.js';
import { isWiped, groundTruth, stepDevice, enrolledSnapshot, answerOf } from './device-runtime.js';
import { defaultFacts, type DeviceFacts } from './device-facts.js';
import type { DeviceMachineEvent } from './device-events.js';
import type { VariantKey } from '../contract/variants.js';
import type { AnyMachineSnapshot } from 'xstate';
import { TEMP, OLD, WRONG, MALFORMED, KEYCHAIN, Device, reset, clear, enter, enterWork, OK, refused, activatedWorkProfile } from './test-support/device-under-test.js';

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
