/**
 * iOS/iPadOS passcode removal (IR-1 to IR-5): resetPasscode clears the passcode with the
 * stored unlock token; no temporary passcode; a wrong token fails and only a wipe helps.
 */
import { scenario, shapeOf, type Scenario } from './dsl.js';
import { act, actAndDeliver, ADMIN, expectRefused, stateOf, tagsFor } from './steps.js';

const removed = scenario({
  id: 'removal/ios-device/no-temporary-passcode',
  title: 'iOS/iPadOS: the passcode is removed, and the admin is given no temporary passcode',
  area: 'ios-removal',
  requirements: ['IR-1', 'DL-3'],
  tags: tagsFor('ios-device', 'resetPasscode', 'removal'),
  variant: 'ios-device',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ios-device', unlockToken: 'good', supervised: true });
    t.check('DL-3', 'device passcode before the removal', (await t.truth(d)).devicePasscode, 'user');
    const { result, state } = await actAndDeliver(t, 'DL-3', d, 'resetPasscode');
    t.check('DL-3', 'actionState of the passcode removal', state, 'done');
    t.check('IR-1', 'device passcode after the removal', (await t.truth(d)).devicePasscode, 'none');
    t.checkOneOf('IR-1', 'temporary passcode shown to the admin', shapeOf(result?.passcode), ['null', 'absent']);
  },
});

const compliancePrompt = scenario({
  id: 'removal/ios-device/compliance-prompt',
  title: 'iOS/iPadOS with a passcode compliance policy: after removal the device asks the user to set a new passcode',
  area: 'ios-removal',
  requirements: ['IR-2'],
  tags: tagsFor('ios-device', 'resetPasscode', 'removal', 'compliance'),
  variant: 'ios-device',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ios-device', passcodeCompliancePolicy: true, unlockToken: 'good' });
    t.check('IR-2', 'passcode prompt before the removal', (await t.truth(d)).passcodePrompt, false);
    const { state } = await actAndDeliver(t, 'IR-2', d, 'resetPasscode');
    t.check('IR-2', 'actionState of the passcode removal', state, 'done');
    const after = await t.truth(d);
    t.check('IR-2', 'device passcode after the removal', after.devicePasscode, 'none');
    t.check('IR-2', 'passcode prompt after the removal', after.passcodePrompt, true);
    // The prompt holds until the user sets a passcode: across check-ins and a reboot.
    await t.checkIn(d);
    t.check('IR-2', 'passcode prompt after the next check-in', (await t.truth(d)).passcodePrompt, true);
    t.check('IR-2', 'HTTP status of the reboot', await t.event(d, { type: 'reboot' }), 200);
    t.check('IR-2', 'passcode prompt after a reboot', (await t.truth(d)).passcodePrompt, true);
    t.check('IR-2', 'HTTP status of the user setting a new passcode', await t.event(d, { type: 'setPasscode', passcode: '135790' }), 200);
    const settled = await t.truth(d);
    t.check('IR-2', 'device passcode after the user set one', settled.devicePasscode, 'user');
    t.check('IR-2', 'passcode prompt after the user set a passcode', settled.passcodePrompt, false);
  },
});

const badToken = scenario({
  id: 'removal/ios-device/bad-unlock-token',
  title: 'iOS/iPadOS with a wrong stored unlock token: the removal fails, and a wipe gets the device back',
  area: 'ios-removal',
  requirements: ['IR-3', 'IR-5'],
  tags: tagsFor('ios-device', 'resetPasscode', 'removal', 'unlock-token'),
  variant: 'ios-device',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ios-device', unlockToken: 'bad' });
    const { result, state } = await actAndDeliver(t, 'IR-3', d, 'resetPasscode');
    t.check('IR-3', 'actionState of the removal with a wrong unlock token', state, 'failed');
    t.checkOneOf('IR-3', 'temporary passcode shown to the admin', shapeOf(result?.passcode), ['null', 'absent']);
    t.check('IR-3', 'device passcode after the failed removal', (await t.truth(d)).devicePasscode, 'user');
    // Until a wipe, the passcode stays: across a reboot and later check-ins, and the result stays failed.
    t.check('IR-3', 'HTTP status of the reboot', await t.event(d, { type: 'reboot' }), 200);
    await t.checkIn(d);
    t.check('IR-3', 'device passcode after a reboot and a check-in', (await t.truth(d)).devicePasscode, 'user');
    t.check('IR-3', 'actionState of the removal after a reboot and a check-in', (await t.as(ADMIN).actionResult(d, 'resetPasscode'))?.actionState, 'failed');

    const wipe = await actAndDeliver(t, 'IR-3', d, 'wipe');
    t.check('IR-3', 'actionState of the wipe', wipe.state, 'done');
    const erased = await t.truth(d);
    t.check('IR-5', 'device enrolled after the wipe', erased.enrolled, false);
    t.check('IR-5', 'device passcode after the wipe', erased.devicePasscode, 'none');
  },
});

const missingToken = scenario({
  id: 'removal/ios-device/missing-unlock-token',
  title: 'iOS/iPadOS without a stored unlock token (no TokenUpdate): the removal fails and the passcode stays',
  area: 'ios-removal',
  requirements: ['IR-3', 'IR-4'],
  tags: tagsFor('ios-device', 'resetPasscode', 'removal', 'unlock-token'),
  variant: 'ios-device',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ios-device', unlockToken: 'missing' });
    const { state } = await actAndDeliver(t, 'IR-4', d, 'resetPasscode');
    t.check('IR-4', 'actionState of the removal without an unlock token', state, 'failed');
    t.check('IR-3', 'device passcode after the failed removal', (await t.truth(d)).devicePasscode, 'user');
  },
});

const unsupervised = scenario({
  id: 'removal/ios-device/unsupervised',
  title: 'iOS/iPadOS, not supervised, with the unlock token from TokenUpdate: the removal is done',
  area: 'ios-removal',
  requirements: ['IR-4', 'DL-3', 'IR-1'],
  tags: tagsFor('ios-device', 'resetPasscode', 'removal', 'unsupervised'),
  variant: 'ios-device',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ios-device', supervised: false, unlockToken: 'good', osVersion: '16.7' });
    const { state, result } = await actAndDeliver(t, 'IR-4', d, 'resetPasscode');
    t.check('IR-4', 'actionState of the passcode removal', state, 'done');
    t.check('DL-3', 'device passcode after the removal', (await t.truth(d)).devicePasscode, 'none');
    t.checkOneOf('IR-1', 'temporary passcode shown to the admin', shapeOf(result?.passcode), ['null', 'absent']);
  },
});

const userEnrollment = scenario({
  id: 'removal/ios-user-enrollment/refused',
  title: 'iOS/iPadOS User Enrollment: ClearPasscode is forbidden, the passcode stays',
  area: 'ios-removal',
  requirements: ['IR-4', 'DL-4', 'ST-3'],
  tags: tagsFor('ios-user-enrollment', 'resetPasscode', 'removal', 'not-supported'),
  variant: 'ios-user-enrollment',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ios-user-enrollment' });
    await expectRefused(t, d, 'resetPasscode', { requirements: ['IR-4', 'DL-4'] });
  },
});

const macos = scenario({
  id: 'removal/macos/no-clear-passcode',
  title: 'macOS: there is no passcode removal; the request is refused and the Mac is unchanged',
  area: 'ios-removal',
  requirements: ['IR-4', 'DL-7', 'ST-3'],
  tags: tagsFor('macos', 'resetPasscode', 'removal', 'not-supported'),
  variant: 'macos',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'macos' });
    await expectRefused(t, d, 'resetPasscode', { requirements: ['IR-4', 'DL-7'] });
  },
});

const wipeErases = scenario({
  id: 'removal/ios-device/wipe-erases',
  title: 'iOS/iPadOS: a wipe erases the device; it is unenrolled and the old unlock token no longer removes a passcode',
  area: 'ios-removal',
  requirements: ['IR-5'],
  tags: tagsFor('ios-device', 'wipe', 'removal'),
  variant: 'ios-device',
  action: 'wipe',
  async run(t) {
    const d = await t.enroll({ variant: 'ios-device', unlockToken: 'good' });
    const wipe = await actAndDeliver(t, 'IR-5', d, 'wipe');
    t.check('IR-5', 'actionState of the wipe', wipe.state, 'done');
    const erased = await t.truth(d);
    t.check('IR-5', 'device enrolled after the wipe', erased.enrolled, false);
    t.check('IR-5', 'device passcode after the wipe', erased.devicePasscode, 'none');

    // The device is gone: a removal with the old token is never carried out (no check-in is possible).
    const status = await act(t, ADMIN, d, 'resetPasscode');
    const state = status === 204 || status === 400 ? await stateOf(t, d, 'resetPasscode') : 'absent';
    const signal = status === 204 ? `actionState ${state}` : `HTTP ${status}`;
    t.checkThat('IR-5', 'a passcode removal after the wipe', state !== 'done' && status < 500, 'not carried out (an error status, or never done)', signal);
    t.check('IR-5', 'device enrolled after the removal request', (await t.truth(d)).enrolled, false);
  },
});

export const IOS_REMOVAL_SCENARIOS: readonly Scenario[] = [removed, compliancePrompt, badToken, missingToken, unsupervised, userEnrollment, macos, wipeErases];
