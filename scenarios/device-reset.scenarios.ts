/**
 * Device-level passcode reset (DL-1 to DL-10): the support matrix of the source document
 * as a table, one named scenario per row. Expected outcomes are written in each row.
 */
import { scenario, shapeOf, type Scenario } from './dsl.js';
import { type EnrollSpec } from '../contract/wire.js';
import { type VariantKey } from '../contract/variants.js';
import { actAndDeliver, ADMIN, expectRefused, tagsFor } from './steps.js';

type Row =
  /** The device's own passcode is replaced by a temporary one and the device locks. */
  | { kind: 'device-reset'; id: string; title: string; requirement: string; spec: EnrollSpec }
  /** iOS/iPadOS: the passcode is removed instead (DL-3). */
  | { kind: 'removal'; id: string; title: string; requirement: string; spec: EnrollSpec }
  /** Not supported at all: refused, never carried out, device unchanged. */
  | { kind: 'refused'; id: string; title: string; requirements: string[]; spec: EnrollSpec }
  /** Work-profile devices: the device level is left alone, the work profile is reset instead (DL-5). */
  | { kind: 'work-profile-instead'; id: string; title: string; requirements: string[]; spec: EnrollSpec };

const ROWS: readonly Row[] = [
  {
    kind: 'device-reset', id: 'reset/android-da-legacy/supported', requirement: 'DL-1',
    title: 'Android device administrator on 6.0: device passcode reset is supported',
    spec: { variant: 'android-da-legacy', osVersion: '6.0' },
  },
  {
    kind: 'device-reset', id: 'reset/android-da-legacy/os-4-4-supported', requirement: 'DL-1',
    title: 'Android device administrator on 4.4: device passcode reset is supported',
    spec: { variant: 'android-da-legacy', osVersion: '4.4' },
  },
  {
    kind: 'device-reset', id: 'reset/ae-fully-managed/supported', requirement: 'DL-2',
    title: 'Android Enterprise fully managed (device owner): device passcode reset is supported',
    spec: { variant: 'ae-fully-managed' },
  },
  {
    kind: 'device-reset', id: 'reset/ae-fully-managed/os-8-0-supported', requirement: 'DL-2',
    title: 'Android Enterprise fully managed on 8.0: device passcode reset is supported',
    spec: { variant: 'ae-fully-managed', osVersion: '8.0' },
  },
  {
    kind: 'device-reset', id: 'reset/ae-dedicated/supported', requirement: 'DL-2',
    title: 'Android Enterprise dedicated (kiosk, device owner): device passcode reset is supported',
    spec: { variant: 'ae-dedicated' },
  },
  {
    kind: 'removal', id: 'reset/ios-device/removal', requirement: 'DL-3',
    title: 'iOS/iPadOS device enrollment: resetPasscode removes the passcode',
    spec: { variant: 'ios-device' },
  },
  {
    kind: 'refused', id: 'reset/ios-user-enrollment/not-supported', requirements: ['DL-4'],
    title: 'iOS/iPadOS User Enrollment: passcode reset is not supported',
    spec: { variant: 'ios-user-enrollment' },
  },
  {
    kind: 'work-profile-instead', id: 'reset/ae-work-profile-personal/device-level-not-supported', requirements: ['DL-5', 'WP-1'],
    title: 'Personally-owned work profile: the device passcode is not reset, the work profile is',
    spec: { variant: 'ae-work-profile-personal', osVersion: '13' },
  },
  {
    kind: 'work-profile-instead', id: 'reset/ae-work-profile-corporate/device-level-not-supported', requirements: ['DL-5', 'WP-2'],
    title: 'Corporate-owned work profile: the device passcode is not reset, the work profile is',
    spec: { variant: 'ae-work-profile-corporate' },
  },
  {
    kind: 'refused', id: 'reset/android-da-modern/not-supported', requirements: ['DL-6'],
    title: 'Android device administrator on 14: passcode reset is not supported',
    spec: { variant: 'android-da-modern', osVersion: '14' },
  },
  {
    kind: 'refused', id: 'reset/android-da-modern/os-7-0-not-supported', requirements: ['DL-6'],
    title: 'Android device administrator on 7.0: passcode reset is not supported',
    spec: { variant: 'android-da-modern', osVersion: '7.0' },
  },
  {
    kind: 'refused', id: 'reset/macos/not-supported', requirements: ['DL-7'],
    title: 'macOS: passcode reset is not supported',
    spec: { variant: 'macos' },
  },
  {
    kind: 'refused', id: 'reset/windows/not-supported', requirements: ['DL-8'],
    title: 'Windows: passcode reset is not supported',
    spec: { variant: 'windows' },
  },
  {
    kind: 'device-reset', id: 'reset/aosp-user-associated/supported', requirement: 'DL-9',
    title: 'AOSP corporate-owned, user-associated: device passcode reset is supported',
    spec: { variant: 'aosp-user-associated' },
  },
  {
    kind: 'device-reset', id: 'reset/aosp-userless/supported', requirement: 'DL-10',
    title: 'AOSP corporate-owned, userless: device passcode reset is supported',
    spec: { variant: 'aosp-userless' },
  },
  // Facts off their defaults: a reset does not depend on a passcode policy (that is remote lock, RL-1),
  // and an Android 7+ device administrator without a passcode is still not resettable.
  {
    kind: 'device-reset', id: 'reset/aosp-user-associated/no-passcode-policy-supported', requirement: 'DL-9',
    title: 'AOSP user-associated without a device passcode policy: device passcode reset is still supported',
    spec: { variant: 'aosp-user-associated', passcodePolicy: false },
  },
  {
    kind: 'device-reset', id: 'reset/aosp-userless/no-passcode-policy-supported', requirement: 'DL-10',
    title: 'AOSP userless without a device passcode policy: device passcode reset is still supported',
    spec: { variant: 'aosp-userless', passcodePolicy: false },
  },
  {
    kind: 'refused', id: 'reset/android-da-modern/no-passcode-not-supported', requirements: ['DL-6'],
    title: 'Android device administrator on 10 with no passcode set: passcode reset is still not supported',
    spec: { variant: 'android-da-modern', osVersion: '10', devicePasscodeSet: false },
  },
];

function rowScenario(row: Row): Scenario {
  const variant: VariantKey = row.spec.variant;
  const base = {
    id: row.id,
    title: row.title,
    area: 'device-reset',
    variant,
    action: 'resetPasscode' as const,
  };
  switch (row.kind) {
    case 'device-reset':
      return scenario({
        ...base,
        requirements: [row.requirement],
        tags: tagsFor(variant, 'resetPasscode', 'supported', 'device-level'),
        async run(t) {
          const d = await t.enroll(row.spec);
          const before = await t.truth(d);
          t.check(row.requirement, 'device passcode before the reset', before.devicePasscode, 'user');
          const { state } = await actAndDeliver(t, row.requirement, d, 'resetPasscode');
          t.check(row.requirement, 'actionState of resetPasscode after the device checked in', state, 'done');
          const after = await t.truth(d);
          t.check(row.requirement, 'device passcode after the reset', after.devicePasscode, 'temporary');
          t.check(row.requirement, 'device lock screen after the reset', after.lockScreen, 'locked');
          t.check(row.requirement, 'commands still waiting for the device', after.pendingCommands, 0);
        },
      });
    case 'removal':
      return scenario({
        ...base,
        requirements: [row.requirement, 'IR-1'],
        tags: tagsFor(variant, 'resetPasscode', 'supported', 'removal'),
        async run(t) {
          const d = await t.enroll(row.spec);
          const { result, state } = await actAndDeliver(t, row.requirement, d, 'resetPasscode');
          t.check(row.requirement, 'actionState of the passcode removal', state, 'done');
          const after = await t.truth(d);
          t.check(row.requirement, 'device passcode after the removal', after.devicePasscode, 'none');
          t.checkOneOf('IR-1', 'temporary passcode shown to the admin', shapeOf(result?.passcode), ['null', 'absent']);
        },
      });
    case 'refused':
      return scenario({
        ...base,
        requirements: [...row.requirements, 'ST-3'],
        tags: tagsFor(variant, 'resetPasscode', 'not-supported'),
        async run(t) {
          const d = await t.enroll(row.spec);
          await expectRefused(t, d, 'resetPasscode', { requirements: row.requirements });
        },
      });
    case 'work-profile-instead': {
      const [deviceLevel, workProfileReq] = row.requirements as [string, string];
      return scenario({
        ...base,
        requirements: row.requirements,
        tags: tagsFor(variant, 'resetPasscode', 'work-profile', 'device-level'),
        async run(t) {
          const d = await t.enroll(row.spec);
          // The user confirms the work challenge once, so the reset token is active (AN-3).
          t.check(workProfileReq, 'HTTP status of entering the work challenge', await t.event(d, { type: 'enterPasscode', scope: 'workProfile' }), 200);
          const before = await t.truth(d);
          const { state } = await actAndDeliver(t, workProfileReq, d, 'resetPasscode', ADMIN);
          t.check(workProfileReq, 'actionState of the work-profile reset', state, 'done');
          const after = await t.truth(d);
          t.check(workProfileReq, 'work-profile challenge after the reset', after.workProfile?.challenge, 'temporary');
          t.check(deviceLevel, 'device passcode after the reset', after.devicePasscode, before.devicePasscode);
          t.check(deviceLevel, 'device lock screen after the reset', after.lockScreen, before.lockScreen);
        },
      });
    }
  }
}

export const DEVICE_RESET_SCENARIOS: readonly Scenario[] = ROWS.map(rowScenario);
