import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AnyMachineSnapshot } from 'xstate';
import type { DeviceEmitted, DeviceMachineEvent } from './device-events.js';
import type { DeviceFacts } from './device-facts.js';
import { enrolledSnapshot, groundTruth, stepDevice, type GroundTruth } from './device-runtime.js';
import { osVersionProblem } from './os-version.js';
import { VARIANT_KEYS, type VariantKey } from '../contract/variants.js';

// ---- Arbitraries ------------------------------------------------------------------------

/** A few valid OS versions per variant, either side of the thresholds that matter (7.0, 8.0). */
const OS_VERSIONS: Record<VariantKey, readonly string[]> = {
  'android-da-legacy': ['4.4', '5.1', '6.0'],
  'android-da-modern': ['7.0', '7.1', '8.1', '10', '13', '15.0'],
  'ae-work-profile-personal': ['5.1', '6.0', '7.1', '8.0', '9', '12', '15.0'],
  'ae-work-profile-corporate': ['8.0', '9', '12', '15.0'],
  'ae-fully-managed': ['8.0', '9', '12', '15.0'],
  'ae-dedicated': ['8.0', '9', '12', '15.0'],
  'aosp-user-associated': ['10', '12', '14.0'],
  'aosp-userless': ['10', '12', '14.0'],
  'ios-device': ['15.0', '16.4.1', '17.5', '18.6'],
  'ios-user-enrollment': ['15.0', '16.4.1', '17.5', '18.6'],
  macos: ['12.0', '13.6', '14.5', '15.5'],
  windows: ['10.0.19045', '10.0.22631'],
};

function factsFor(variant: VariantKey, pinned: Partial<DeviceFacts> = {}): fc.Arbitrary<DeviceFacts> {
  return fc
    .record({
      osVersion: fc.constantFrom(...OS_VERSIONS[variant]),
      passcodePolicy: fc.boolean(),
      workProfilePasswordSet: fc.boolean(),
      unlockToken: fc.constantFrom('good' as const, 'bad' as const, 'missing' as const),
      passcodeCompliancePolicy: fc.boolean(),
      supervised: fc.boolean(),
      online: fc.boolean(),
      devicePasscodeSet: fc.boolean(),
    })
    .map((facts) => ({ ...facts, ...pinned, variant }));
}

const anyFacts = fc.constantFrom(...VARIANT_KEYS).chain((variant) => factsFor(variant));

/** Two different temporary passcodes, so "the" temporary passcode is the one of the last reset. */
const TEMP_A = '24681357';
const TEMP_B = '13572468';
const OLD = '11112222';
const KEYCHAIN = 'keychain-unlock-token';
const passcode = fc.constantFrom(undefined, TEMP_A, TEMP_B, OLD, 'ab', '123456');

const commandEvents: fc.Arbitrary<DeviceMachineEvent> = fc.oneof(
  fc.constantFrom(TEMP_A, TEMP_B, 'ab').map((p): DeviceMachineEvent => ({ type: 'RESET_PASSCODE', passcode: p })),
  fc.constantFrom(KEYCHAIN, 'other-token', '', null).map((t): DeviceMachineEvent => ({ type: 'CLEAR_PASSCODE', unlockToken: t, keychainUnlockToken: KEYCHAIN })),
  fc.constantFrom(undefined, '123456', '654321', '12ab').map((pin): DeviceMachineEvent => (pin === undefined ? { type: 'LOCK' } : { type: 'LOCK', pin })),
);

const userEvents: fc.Arbitrary<DeviceMachineEvent> = fc.oneof(
  passcode.map((p): DeviceMachineEvent => (p === undefined ? { type: 'ENTER_PASSCODE' } : { type: 'ENTER_PASSCODE', passcode: p })),
  passcode.map((p): DeviceMachineEvent => (p === undefined ? { type: 'ENTER_WORK_CHALLENGE' } : { type: 'ENTER_WORK_CHALLENGE', passcode: p })),
  fc.constantFrom(OLD, TEMP_A, 'ab').map((p): DeviceMachineEvent => ({ type: 'SET_PASSCODE', passcode: p })),
  fc.constantFrom(OLD, TEMP_B, 'ab').map((p): DeviceMachineEvent => ({ type: 'SET_WORK_CHALLENGE', passcode: p })),
  fc.constantFrom<DeviceMachineEvent>(
    { type: 'REBOOT' },
    { type: 'WAKE' },
    { type: 'CHECK_IN' },
    { type: 'GO_OFFLINE' },
    { type: 'GO_ONLINE' },
    { type: 'ENROLLMENT_COMPLETE' },
  ),
);

const WIPE: DeviceMachineEvent = { type: 'WIPE' };

/** Any event but a wipe (a wipe ends every sequence, so it gets its own property). */
const event = fc.oneof(commandEvents, userEvents);
const events = fc.array(event, { maxLength: 30 });
/** Any event but a wipe, with the given events more frequent (so that a property is not vacuous). */
const eventsFavouring = (...favoured: DeviceMachineEvent[]) =>
  fc.array(fc.oneof({ arbitrary: event, weight: 1 }, { arbitrary: fc.constantFrom(...favoured), weight: 1 }), { minLength: 5, maxLength: 30 });
/** Any event, a wipe now and then. */
const eventsWithWipe = fc.array(fc.oneof({ arbitrary: event, weight: 12 }, { arbitrary: fc.constant(WIPE), weight: 1 }), { maxLength: 30 });

const COMMANDS = new Set(['RESET_PASSCODE', 'CLEAR_PASSCODE', 'LOCK', 'WIPE']);

// ---- Driving ------------------------------------------------------------------------------

interface Step {
  event: DeviceMachineEvent;
  before: GroundTruth;
  after: GroundTruth;
  beforeSnapshot: AnyMachineSnapshot;
  afterSnapshot: AnyMachineSnapshot;
  emitted: DeviceEmitted[];
}

/** Runs the events from the enrolled snapshot of the facts, calling check after every step. */
function drive(facts: DeviceFacts, sequence: readonly DeviceMachineEvent[], check: (step: Step) => void): GroundTruth {
  const { variant } = facts;
  let snapshot = enrolledSnapshot(facts);
  let truth = groundTruth(variant, snapshot, true);
  for (const e of sequence) {
    const next = stepDevice(variant, snapshot, e);
    const after = groundTruth(variant, next.snapshot, true);
    check({ event: e, before: truth, after, beforeSnapshot: snapshot, afterSnapshot: next.snapshot, emitted: next.emitted });
    snapshot = next.snapshot;
    truth = after;
  }
  return truth;
}

const answers = (emitted: readonly DeviceEmitted[]) => emitted.filter((e) => e.type === 'answer');
const passcodeOf = (e: DeviceMachineEvent) => ('passcode' in e ? e.passcode : undefined);
const RUNS = { numRuns: 300 };

// ---- Properties ---------------------------------------------------------------------------

describe('device model properties', () => {
  it('the OS versions the properties use are valid for their variants', () => {
    for (const variant of VARIANT_KEYS) {
      for (const os of OS_VERSIONS[variant]) expect(osVersionProblem(variant, os), `${variant} ${os}`).toBeNull();
    }
  });

  it('DL-6: an Android 7+ device administrator that has a passcode never gets a temporary one', () => {
    fc.assert(
      fc.property(factsFor('android-da-modern', { devicePasscodeSet: true }), events, (facts, sequence) => {
        drive(facts, sequence, ({ event: e, before, after, emitted }) => {
          expect(after.devicePasscode).not.toBe('temporary');
          expect(after.devicePasscode).not.toBe('none');
          if (e.type === 'RESET_PASSCODE') {
            const [answer] = answers(emitted);
            expect(answer?.ok).toBe(false);
            expect(['API_LEVEL', 'INVALID_VALUE']).toContain(answer?.ok === false ? answer.reason : undefined);
            expect(after).toEqual(before);
          }
        });
      }),
      RUNS,
    );
  });

  it('TP-2: only the temporary passcode of the last reset unlocks a device or work profile locked with it', () => {
    const resettable = [
      'android-da-legacy',
      'android-da-modern',
      'ae-fully-managed',
      'ae-dedicated',
      'aosp-user-associated',
      'aosp-userless',
      'ae-work-profile-personal',
      'ae-work-profile-corporate',
    ] as const;
    let deviceChecks = 0;
    let profileChecks = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...resettable).chain((variant) => factsFor(variant)),
        eventsFavouring(
          { type: 'RESET_PASSCODE', passcode: TEMP_A },
          { type: 'RESET_PASSCODE', passcode: TEMP_B },
          { type: 'ENTER_PASSCODE', passcode: TEMP_A },
          { type: 'ENTER_PASSCODE', passcode: TEMP_B },
          { type: 'ENTER_WORK_CHALLENGE', passcode: TEMP_A },
          { type: 'ENTER_WORK_CHALLENGE', passcode: TEMP_B },
          { type: 'ENTER_WORK_CHALLENGE' },
        ),
        (facts, sequence) => {
          let deviceTemp: string | undefined;
          let profileTemp: string | undefined;
          drive(facts, sequence, ({ event: e, before, after, emitted }) => {
            const entered = passcodeOf(e);
            const deviceTempLocked = before.lockScreen === 'locked' && before.devicePasscode === 'temporary';
            if (deviceTempLocked && after.lockScreen !== 'locked') {
              expect(e.type).toBe('ENTER_PASSCODE');
              expect(entered).toBe(deviceTemp);
            }
            if (deviceTempLocked && e.type === 'ENTER_PASSCODE') {
              deviceChecks++;
              expect(after.lockScreen).toBe(entered === deviceTemp ? 'unlocked' : 'locked');
            }
            const wp = before.workProfile;
            const profileTempLocked = wp?.locked === true && wp.challenge === 'temporary';
            if (profileTempLocked && after.workProfile?.locked !== true) {
              expect(e.type).toBe('ENTER_WORK_CHALLENGE');
              expect(entered).toBe(profileTemp);
            }
            if (profileTempLocked && e.type === 'ENTER_WORK_CHALLENGE') {
              profileChecks++;
              expect(after.workProfile?.locked).toBe(entered !== profileTemp);
            }
            if (e.type === 'RESET_PASSCODE' && answers(emitted)[0]?.ok) {
              if (before.workProfile) profileTemp = e.passcode;
              else deviceTemp = e.passcode;
            }
          });
        },
      ),
      { numRuns: 500 },
    );
    // The property is not vacuous: locked-with-temporary states were actually tried.
    expect(deviceChecks).toBeGreaterThan(20);
    expect(profileChecks).toBeGreaterThan(20);
  });

  it('IR-5: a wipe always leaves an unenrolled device without a passcode, and nothing changes it afterwards', () => {
    fc.assert(
      fc.property(anyFacts, events, events, (facts, before, after) => {
        let wiped: AnyMachineSnapshot | undefined;
        drive(facts, [...before, WIPE, ...after], ({ event: e, after: truth, beforeSnapshot, afterSnapshot, emitted }) => {
          if (wiped) {
            expect(afterSnapshot).toBe(wiped);
            expect(emitted).toEqual([]);
          } else if (e.type === 'WIPE') {
            expect(answers(emitted)).toEqual([{ type: 'answer', ok: true }]);
            expect(beforeSnapshot.value).not.toBe('wiped');
            wiped = afterSnapshot;
          }
          if (wiped) {
            expect(truth).toMatchObject({ enrolled: false, devicePasscode: 'none', lockScreen: 'unlocked', passcodePrompt: false });
            expect(truth.workProfile).toBeUndefined();
          }
        });
        expect(wiped).toBeDefined();
      }),
      RUNS,
    );
  });

  it('AN-4: a never-activated reset token never survives a reboot', () => {
    let pendingReboots = 0;
    fc.assert(
      fc.property(factsFor('ae-work-profile-personal'), eventsFavouring({ type: 'REBOOT' }, { type: 'CHECK_IN' }, { type: 'ENTER_WORK_CHALLENGE' }), (facts, sequence) => {
        drive(facts, sequence, ({ event: e, before, after }) => {
          if (e.type === 'REBOOT' && before.workProfile?.resetToken === 'pending') {
            pendingReboots++;
            expect(after.workProfile?.resetToken).toBe('none');
            expect(after.workProfile?.activationNotification).toBe(false);
          }
          // The notification is up exactly while a token waits for the user's confirmation (AN-1, AN-2).
          expect(after.workProfile?.activationNotification).toBe(after.workProfile?.resetToken === 'pending');
        });
      }),
      RUNS,
    );
    expect(pendingReboots).toBeGreaterThan(10);
  });

  it('ground truth is always consistent: locked means a passcode or a lock PIN; a locked profile has a challenge', () => {
    fc.assert(
      fc.property(anyFacts, eventsWithWipe, (facts, sequence) => {
        drive(facts, sequence, ({ after }) => {
          if (after.lockScreen === 'locked') expect(after.devicePasscode !== 'none' || after.lockPinOutstanding === true).toBe(true);
          if (after.lockPinOutstanding) expect(facts.variant).toBe('macos');
          if (after.workProfile?.locked) expect(after.workProfile.challenge).not.toBe('none');
          if (after.devicePasscode === 'temporary') expect(after.enrolled).toBe(true);
          if (after.passcodePrompt) expect(after.devicePasscode).toBe('none');
        });
      }),
      RUNS,
    );
  });

  it('every command to an enrolled device gets exactly one answer; user events and a wiped device get none', () => {
    fc.assert(
      fc.property(anyFacts, eventsWithWipe, (facts, sequence) => {
        drive(facts, sequence, ({ event: e, before, emitted }) => {
          const expected = before.enrolled && COMMANDS.has(e.type) ? 1 : 0;
          expect(answers(emitted)).toHaveLength(expected);
        });
      }),
      RUNS,
    );
  });
});
