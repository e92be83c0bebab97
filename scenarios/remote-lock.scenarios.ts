/**
 * Remote lock (RL-1 to RL-5): AOSP needs a passcode policy, every platform but Windows
 * supports it, a device without a passcode only turns its screen off, and macOS locks
 * with a 6-digit PIN.
 */
import { scenario, shapeOf, type Scenario } from './dsl.js';
import { type EnrollSpec } from '../contract/wire.js';
import { type VariantKey } from '../contract/variants.js';
import { actAndDeliver, ADMIN, expectRefused, secretForm, tagsFor } from './steps.js';

// ---- RL-3: which platforms lock (table-driven) ----------------------------------------

interface LockRow {
  variant: VariantKey;
  spec: EnrollSpec;
  requirements: string[];
  title: string;
}

const LOCKS: readonly LockRow[] = [
  { variant: 'android-da-legacy', spec: { variant: 'android-da-legacy' }, requirements: ['RL-3'], title: 'Android device administrator, 6.x or earlier' },
  { variant: 'android-da-modern', spec: { variant: 'android-da-modern' }, requirements: ['RL-3'], title: 'Android device administrator, 7.0 or later' },
  { variant: 'ae-work-profile-personal', spec: { variant: 'ae-work-profile-personal' }, requirements: ['RL-3'], title: 'Android Enterprise personally-owned work profile' },
  { variant: 'ae-work-profile-corporate', spec: { variant: 'ae-work-profile-corporate' }, requirements: ['RL-3'], title: 'Android Enterprise corporate-owned work profile' },
  { variant: 'ae-fully-managed', spec: { variant: 'ae-fully-managed' }, requirements: ['RL-3'], title: 'Android Enterprise fully managed' },
  { variant: 'ae-dedicated', spec: { variant: 'ae-dedicated' }, requirements: ['RL-3'], title: 'Android Enterprise dedicated' },
  { variant: 'ios-device', spec: { variant: 'ios-device' }, requirements: ['RL-3'], title: 'iOS/iPadOS device enrollment' },
  { variant: 'ios-user-enrollment', spec: { variant: 'ios-user-enrollment' }, requirements: ['RL-3'], title: 'iOS/iPadOS User Enrollment' },
  { variant: 'macos', spec: { variant: 'macos' }, requirements: ['RL-3'], title: 'macOS' },
];

const locks = LOCKS.map((row) =>
  scenario({
    id: `lock/${row.variant}/locks`,
    title: `${row.title}: remote lock is done and the device is locked`,
    area: 'remote-lock',
    requirements: row.requirements,
    tags: tagsFor(row.variant, 'remoteLock', 'supported'),
    variant: row.variant,
    action: 'remoteLock',
    async run(t) {
      const d = await t.enroll(row.spec);
      const req = 'RL-3';
      const { state } = await actAndDeliver(t, req, d, 'remoteLock');
      t.check(req, 'actionState of remoteLock', state, 'done');
      t.check(req, 'device lock screen after the lock', (await t.truth(d)).lockScreen, 'locked');
    },
  }),
);

const windows = scenario({
  id: 'lock/windows/not-supported',
  title: 'Windows: remote lock is not supported; Graph answers 400 Bad Request and nothing happens',
  area: 'remote-lock',
  requirements: ['RL-3', 'ST-3'],
  tags: tagsFor('windows', 'remoteLock', 'not-supported'),
  variant: 'windows',
  action: 'remoteLock',
  async run(t) {
    const d = await t.enroll({ variant: 'windows' });
    await expectRefused(t, d, 'remoteLock', { requirements: ['RL-3'], requires400: 'RL-3' });
  },
});

// ---- RL-1 / RL-2: AOSP and the passcode policy ---------------------------------------

const aosp = (['aosp-user-associated', 'aosp-userless'] as const).flatMap((variant) => [
  scenario({
    id: `lock/${variant}/with-passcode-policy`,
    title: `${variant}: with a device passcode policy assigned, remote lock succeeds`,
    area: 'remote-lock',
    requirements: ['RL-1'],
    tags: tagsFor(variant, 'remoteLock', 'passcode-policy'),
    variant,
    action: 'remoteLock',
    async run(t) {
      const d = await t.enroll({ variant, passcodePolicy: true, osVersion: '12' });
      const { state } = await actAndDeliver(t, 'RL-1', d, 'remoteLock');
      t.check('RL-1', 'actionState of remoteLock', state, 'done');
      t.check('RL-1', 'device lock screen after the lock', (await t.truth(d)).lockScreen, 'locked');
    },
  }),
  scenario({
    id: `lock/${variant}/without-passcode-policy`,
    title: `${variant}: without a device passcode policy, remote lock ends failed and the device is not locked`,
    area: 'remote-lock',
    requirements: ['RL-2', 'RL-1'],
    tags: tagsFor(variant, 'remoteLock', 'passcode-policy'),
    variant,
    action: 'remoteLock',
    async run(t) {
      const d = await t.enroll({ variant, passcodePolicy: false });
      const before = await t.truth(d);
      const { state } = await actAndDeliver(t, 'RL-2', d, 'remoteLock');
      t.check('RL-2', 'actionState of remoteLock', state, 'failed');
      t.check('RL-1', 'device lock screen after the lock', (await t.truth(d)).lockScreen, before.lockScreen);
    },
  }),
]);

// ---- RL-4: no passcode, screen off only ------------------------------------------------

const screenOff = (['android-da-modern', 'ae-fully-managed', 'ios-device'] as const).map((variant) =>
  scenario({
    id: `lock/${variant}/no-passcode-screen-off`,
    title: `${variant} with no passcode set: remote lock turns the screen off but does not lock the device`,
    area: 'remote-lock',
    requirements: ['RL-4'],
    tags: tagsFor(variant, 'remoteLock', 'no-passcode'),
    variant,
    action: 'remoteLock',
    async run(t) {
      const d = await t.enroll({ variant, devicePasscodeSet: false });
      t.check('RL-4', 'device passcode before the lock', (await t.truth(d)).devicePasscode, 'none');
      const { state } = await actAndDeliver(t, 'RL-4', d, 'remoteLock');
      t.check('RL-4', 'actionState of remoteLock', state, 'done');
      const after = await t.truth(d);
      t.check('RL-4', 'device lock screen after the lock', after.lockScreen, 'screenOff');
      t.check('RL-4', 'device passcode after the lock', after.devicePasscode, 'none');
      t.check('RL-4', 'HTTP status of waking the device', await t.event(d, { type: 'wake' }), 200);
      t.check('RL-4', 'device lock screen after waking it', (await t.truth(d)).lockScreen, 'unlocked');
    },
  }),
);

// ---- RL-5: macOS PIN -----------------------------------------------------------------

const macPin = scenario({
  id: 'lock/macos/pin',
  title: 'macOS: the lock sets a 6-digit PIN shown to the admin; a second lock before the PIN is used fails; the PIN unlocks',
  area: 'remote-lock',
  requirements: ['RL-5'],
  tags: tagsFor('macos', 'remoteLock', 'pin'),
  variant: 'macos',
  action: 'remoteLock',
  async run(t) {
    const d = await t.enroll({ variant: 'macos' });
    const first = await actAndDeliver(t, 'RL-5', d, 'remoteLock');
    t.check('RL-5', 'actionState of the first lock', first.state, 'done');
    const pin = first.result?.unlockPin;
    t.check('RL-5', 'unlock PIN shown to the admin', shapeOf(pin), 'present');
    t.checkThat('RL-5', 'unlock PIN is six digits', typeof pin === 'string' && /^\d{6}$/.test(pin), '6 digits', secretForm(pin));
    t.check('RL-5', 'Mac locked after the first lock', (await t.truth(d)).lockScreen, 'locked');

    const second = await actAndDeliver(t, 'RL-5', d, 'remoteLock');
    t.check('RL-5', 'actionState of a second lock before the PIN was used', second.state, 'failed');
    t.check('RL-5', 'Mac locked after the failed second lock', (await t.truth(d)).lockScreen, 'locked');

    await t.event(d, { type: 'enterPasscode', passcode: '000000' === pin ? '111111' : '000000' });
    t.check('RL-5', 'Mac locked after a wrong PIN', (await t.truth(d)).lockScreen, 'locked');
    if (typeof pin !== 'string' || pin === '') return;
    t.check('RL-5', 'HTTP status of entering the PIN', await t.event(d, { type: 'enterPasscode', passcode: pin }), 200);
    t.check('RL-5', 'Mac lock screen after entering the PIN', (await t.truth(d)).lockScreen, 'unlocked');

    const third = await actAndDeliver(t, 'RL-5', d, 'remoteLock', ADMIN);
    t.check('RL-5', 'actionState of a lock after the PIN was used', third.state, 'done');
    t.check('RL-5', 'unlock PIN of the new lock', shapeOf(third.result?.unlockPin), 'present');
    // The loop closed for each lock: the PIN shown for this lock opens it, the previous one does not.
    const newPin = third.result?.unlockPin;
    if (typeof newPin !== 'string' || newPin === '') return;
    if (newPin !== pin) {
      await t.event(d, { type: 'enterPasscode', passcode: pin });
      t.check('RL-5', 'Mac locked after entering the previous lock\'s PIN', (await t.truth(d)).lockScreen, 'locked');
    }
    t.check('RL-5', 'HTTP status of entering the new PIN', await t.event(d, { type: 'enterPasscode', passcode: newPin }), 200);
    t.check('RL-5', 'Mac lock screen after entering the new PIN', (await t.truth(d)).lockScreen, 'unlocked');
  },
});

export const REMOTE_LOCK_SCENARIOS: readonly Scenario[] = [...locks, windows, ...aosp, ...screenOff, macPin];
