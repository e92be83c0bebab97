/**
 * Reset-token activation on personally-owned work profiles, Android 8.0+ (AN-1 to AN-4):
 * the user is asked to confirm their work challenge once; until then a reset fails, and a
 * never-activated token does not survive a reboot.
 */
import { scenario, shapeOf, type Scenario } from './dsl.js';
import { actAndDeliver, tagsFor } from './steps.js';

const variant = 'ae-work-profile-personal' as const;

const notified = (['8.0', '14'] as const).map((osVersion) =>
  scenario({
    id: `token-activation/${variant}/os-${osVersion.replace('.', '-')}-notified-after-enrollment`,
    title: `Personally-owned work profile on ${osVersion} with a work-profile password: the user is asked to activate the reset passcode right after enrollment`,
    area: 'token-activation',
    requirements: ['AN-1', 'AN-3'],
    tags: tagsFor(variant, 'resetPasscode', 'reset-token', 'notification'),
    variant,
    action: 'resetPasscode',
    async run(t) {
      const d = await t.enroll({ variant, osVersion, workProfilePasswordSet: true });
      const truth = await t.truth(d);
      t.check('AN-1', 'activation notification right after enrollment', truth.workProfile?.activationNotification, true);
      t.check('AN-3', 'reset token before the user confirmed their credential', truth.workProfile?.resetToken, 'pending');
    },
  }),
);

const dismissed = scenario({
  id: `token-activation/${variant}/notification-dismissed`,
  title: 'Personally-owned work profile: entering the work-profile passcode dismisses the notification and activates the token',
  area: 'token-activation',
  requirements: ['AN-2', 'AN-3'],
  tags: tagsFor(variant, 'resetPasscode', 'reset-token', 'notification'),
  variant,
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant, osVersion: '13', workProfilePasswordSet: true });
    t.check('AN-2', 'activation notification before the user entered their passcode', (await t.truth(d)).workProfile?.activationNotification, true);
    t.check('AN-2', 'HTTP status of entering the work-profile passcode', await t.event(d, { type: 'enterPasscode', scope: 'workProfile' }), 200);
    const after = await t.truth(d);
    t.check('AN-2', 'activation notification after the user entered their passcode', after.workProfile?.activationNotification, false);
    t.check('AN-3', 'reset token after the user confirmed their credential', after.workProfile?.resetToken, 'active');
    // It stays dismissed: check-ins and hours passing do not bring an activated token's notification back.
    await t.checkIn(d);
    const later = await t.truth(d);
    t.check('AN-2', 'activation notification after the next check-in', later.workProfile?.activationNotification, false);
    t.check('AN-3', 'reset token after the next check-in', later.workProfile?.resetToken, 'active');
  },
});

const needsActivation = scenario({
  id: `token-activation/${variant}/reset-needs-activation`,
  title: 'Personally-owned work profile: a reset before the token is activated fails; after activation it is done',
  area: 'token-activation',
  requirements: ['AN-3', 'TP-1'],
  tags: tagsFor(variant, 'resetPasscode', 'reset-token'),
  variant,
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant, osVersion: '13', workProfilePasswordSet: true });
    const before = await t.truth(d);
    const first = await actAndDeliver(t, 'AN-3', d, 'resetPasscode');
    t.check('AN-3', 'actionState of a reset before activation', first.state, 'failed');
    t.checkOneOf('AN-3', 'temporary passcode shown for the failed reset', shapeOf(first.result?.passcode), ['null', 'absent']);
    const untouched = await t.truth(d);
    t.check('AN-3', 'work-profile challenge after the failed reset', untouched.workProfile?.challenge, before.workProfile?.challenge);
    t.check('AN-3', 'work profile locked after the failed reset', untouched.workProfile?.locked, before.workProfile?.locked);

    t.check('AN-3', 'HTTP status of entering the work-profile passcode', await t.event(d, { type: 'enterPasscode', scope: 'workProfile' }), 200);
    const second = await actAndDeliver(t, 'AN-3', d, 'resetPasscode');
    t.check('AN-3', 'actionState of a reset after activation', second.state, 'done');
    t.check('TP-1', 'temporary passcode shown for the reset after activation', shapeOf(second.result?.passcode), 'present');
    t.check('AN-3', 'work-profile challenge after the reset', (await t.truth(d)).workProfile?.challenge, 'temporary');
  },
});

const lostOnReboot = scenario({
  id: `token-activation/${variant}/token-lost-on-reboot`,
  title: 'Personally-owned work profile: a never-activated token is lost on reboot and provisioned again; an active one survives',
  area: 'token-activation',
  requirements: ['AN-4', 'AN-1'],
  tags: tagsFor(variant, 'resetPasscode', 'reset-token', 'reboot'),
  variant,
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant, osVersion: '10', workProfilePasswordSet: true });
    t.check('AN-1', 'reset token right after enrollment', (await t.truth(d)).workProfile?.resetToken, 'pending');
    t.check('AN-4', 'HTTP status of the reboot', await t.event(d, { type: 'reboot' }), 200);
    const rebooted = await t.truth(d);
    t.check('AN-4', 'reset token after a reboot before activation', rebooted.workProfile?.resetToken, 'none');
    t.check('AN-4', 'activation notification after a reboot before activation', rebooted.workProfile?.activationNotification, false);

    await t.checkIn(d);
    const provisioned = await t.truth(d);
    t.check('AN-4', 'reset token after the next check-in', provisioned.workProfile?.resetToken, 'pending');
    t.check('AN-4', 'activation notification after the next check-in', provisioned.workProfile?.activationNotification, true);

    // The user unlocks the device, then confirms the work challenge: the token is now active.
    t.check('AN-4', 'HTTP status of unlocking the device', await t.event(d, { type: 'enterPasscode', scope: 'device' }), 200);
    t.check('AN-4', 'HTTP status of entering the work-profile passcode', await t.event(d, { type: 'enterPasscode', scope: 'workProfile' }), 200);
    t.check('AN-4', 'reset token after the user confirmed their credential', (await t.truth(d)).workProfile?.resetToken, 'active');
    t.check('AN-4', 'HTTP status of a second reboot', await t.event(d, { type: 'reboot' }), 200);
    await t.checkIn(d);
    const kept = await t.truth(d);
    t.check('AN-4', 'reset token after a reboot once active', kept.workProfile?.resetToken, 'active');
    t.check('AN-4', 'activation notification after a reboot once active', kept.workProfile?.activationNotification, false);
  },
});

export const TOKEN_ACTIVATION_SCENARIOS: readonly Scenario[] = [...notified, dismissed, needsActivation, lostOnReboot];
