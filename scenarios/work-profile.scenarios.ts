/**
 * Work-profile passcode reset (WP-1 to WP-5): supported on Android Enterprise work profiles
 * from Android 8.0, not on 7.x or earlier, and it never touches the device lock screen.
 */
import { scenario, type Scenario } from './dsl.js';
import { type EnrollSpec } from '../contract/wire.js';
import { actAndDeliver, expectRefused, tagsFor } from './steps.js';

interface SupportedRow {
  id: string;
  title: string;
  requirement: 'WP-1' | 'WP-2';
  spec: EnrollSpec & { variant: 'ae-work-profile-personal' | 'ae-work-profile-corporate' };
}

const SUPPORTED: readonly SupportedRow[] = [
  {
    id: 'work-profile/ae-work-profile-personal/supported', requirement: 'WP-1',
    title: 'Personally-owned work profile on the newest Android: work-profile passcode reset is supported',
    spec: { variant: 'ae-work-profile-personal' },
  },
  {
    id: 'work-profile/ae-work-profile-personal/os-8-0-supported', requirement: 'WP-1',
    title: 'Personally-owned work profile on Android 8.0: work-profile passcode reset is supported',
    spec: { variant: 'ae-work-profile-personal', osVersion: '8.0' },
  },
  {
    id: 'work-profile/ae-work-profile-corporate/supported', requirement: 'WP-2',
    title: 'Corporate-owned work profile: work-profile passcode reset is supported',
    spec: { variant: 'ae-work-profile-corporate' },
  },
  {
    id: 'work-profile/ae-work-profile-corporate/os-8-0-supported', requirement: 'WP-2',
    title: 'Corporate-owned work profile on Android 8.0: work-profile passcode reset is supported',
    spec: { variant: 'ae-work-profile-corporate', osVersion: '8.0' },
  },
];

const supported = SUPPORTED.map((row) =>
  scenario({
    id: row.id,
    title: row.title,
    area: 'work-profile-reset',
    requirements: [row.requirement],
    tags: tagsFor(row.spec.variant, 'resetPasscode', 'supported', 'work-profile'),
    variant: row.spec.variant,
    action: 'resetPasscode',
    async run(t) {
      const d = await t.enroll(row.spec);
      // The user confirms the work challenge once, so any pending reset token is active (AN-3).
      t.check(row.requirement, 'HTTP status of entering the work challenge', await t.event(d, { type: 'enterPasscode', scope: 'workProfile' }), 200);
      const { state } = await actAndDeliver(t, row.requirement, d, 'resetPasscode');
      t.check(row.requirement, 'actionState of the work-profile reset', state, 'done');
      const after = await t.truth(d);
      t.check(row.requirement, 'work-profile challenge after the reset', after.workProfile?.challenge, 'temporary');
      t.check(row.requirement, 'work profile locked after the reset', after.workProfile?.locked, true);
    },
  }),
);

interface RefusedRow {
  id: string;
  title: string;
  requirements: string[];
  spec: EnrollSpec;
}

const REFUSED: readonly RefusedRow[] = [
  {
    id: 'work-profile/ae-work-profile-personal/os-7-1-not-supported', requirements: ['WP-3', 'WP-4'],
    title: 'Personally-owned work profile on Android 7.1: work-profile passcode reset is not supported',
    spec: { variant: 'ae-work-profile-personal', osVersion: '7.1' },
  },
  {
    id: 'work-profile/ae-work-profile-personal/os-7-0-not-supported', requirements: ['WP-3', 'WP-4'],
    title: 'Personally-owned work profile on Android 7.0: work-profile passcode reset is not supported',
    spec: { variant: 'ae-work-profile-personal', osVersion: '7.0' },
  },
  {
    id: 'work-profile/ae-work-profile-personal/os-5-1-not-supported', requirements: ['WP-3', 'WP-4'],
    title: 'Personally-owned work profile on Android 5.1: work-profile passcode reset is not supported',
    spec: { variant: 'ae-work-profile-personal', osVersion: '5.1' },
  },
  {
    // The version as Graph often reports it, with a patch part: parsers that choke on it must not let the reset through.
    id: 'work-profile/ae-work-profile-personal/os-7-1-2-not-supported', requirements: ['WP-3', 'WP-4'],
    title: 'Personally-owned work profile on Android 7.1.2: work-profile passcode reset is not supported',
    spec: { variant: 'ae-work-profile-personal', osVersion: '7.1.2' },
  },
  {
    id: 'work-profile/android-da-modern/os-7-1-not-supported', requirements: ['WP-4', 'DL-6'],
    title: 'Android device administrator on 7.1: no passcode reset of any kind',
    spec: { variant: 'android-da-modern', osVersion: '7.1' },
  },
  {
    id: 'work-profile/android-da-modern/os-7-1-2-not-supported', requirements: ['WP-4', 'DL-6'],
    title: 'Android device administrator on 7.1.2: no passcode reset of any kind',
    spec: { variant: 'android-da-modern', osVersion: '7.1.2' },
  },
];

const refused = REFUSED.map((row) =>
  scenario({
    id: row.id,
    title: row.title,
    area: 'work-profile-reset',
    requirements: [...row.requirements, 'ST-3'],
    tags: tagsFor(row.spec.variant, 'resetPasscode', 'not-supported', 'work-profile'),
    variant: row.spec.variant,
    action: 'resetPasscode',
    async run(t) {
      const d = await t.enroll(row.spec);
      await expectRefused(t, d, 'resetPasscode', { requirements: row.requirements });
    },
  }),
);

const WRONG_PASSCODE = 'not-the-passcode-9';

/** WP-5: the work profile gets the temporary passcode; the device lock screen keeps the user's own. */
const deviceLockUntouched = (['ae-work-profile-personal', 'ae-work-profile-corporate'] as const).map((variant) =>
  scenario({
    id: `work-profile/${variant}/device-lock-untouched`,
    title: `${variant === 'ae-work-profile-personal' ? 'Personally' : 'Corporate'}-owned work profile: the reset leaves the device lock screen and its passcode alone`,
    area: 'work-profile-reset',
    requirements: ['WP-5'],
    tags: tagsFor(variant, 'resetPasscode', 'work-profile', 'lock-screen'),
    variant,
    action: 'resetPasscode',
    async run(t) {
      const d = await t.enroll({ variant, osVersion: '12' });
      t.check('WP-5', 'HTTP status of entering the work challenge', await t.event(d, { type: 'enterPasscode', scope: 'workProfile' }), 200);
      const before = await t.truth(d);
      const { result, state } = await actAndDeliver(t, 'WP-5', d, 'resetPasscode');
      t.check('WP-5', 'actionState of the work-profile reset', state, 'done');
      const after = await t.truth(d);
      t.check('WP-5', 'work-profile challenge after the reset', after.workProfile?.challenge, 'temporary');
      t.check('WP-5', 'device passcode after the reset', after.devicePasscode, before.devicePasscode);
      t.check('WP-5', 'device lock screen after the reset', after.lockScreen, before.lockScreen);

      // After a reboot the device asks for its passcode: the temporary one is not it, the user's own still is.
      t.check('WP-5', 'HTTP status of the reboot', await t.event(d, { type: 'reboot' }), 200);
      t.check('WP-5', 'device lock screen after the reboot', (await t.truth(d)).lockScreen, 'locked');
      const temporary = result?.passcode;
      if (typeof temporary === 'string' && temporary !== '') {
        await t.event(d, { type: 'enterPasscode', passcode: temporary, scope: 'device' });
        t.check('WP-5', 'device lock screen after entering the work-profile temporary passcode on it', (await t.truth(d)).lockScreen, 'locked');
      }
      await t.event(d, { type: 'enterPasscode', passcode: WRONG_PASSCODE, scope: 'device' });
      t.check('WP-5', 'device lock screen after a wrong passcode', (await t.truth(d)).lockScreen, 'locked');
      t.check('WP-5', 'HTTP status of the user entering their own device passcode', await t.event(d, { type: 'enterPasscode', scope: 'device' }), 200);
      const unlocked = await t.truth(d);
      t.check('WP-5', 'device lock screen after the user entered their own passcode', unlocked.lockScreen, 'unlocked');
      t.check('WP-5', 'device passcode after the reboot', unlocked.devicePasscode, 'user');
    },
  }),
);

export const WORK_PROFILE_SCENARIOS: readonly Scenario[] = [...supported, ...refused, ...deviceLockUntouched];
