/**
 * The temporary passcode (TP-1 to TP-5): shown to the admin after an Android reset, the
 * only thing that unlocks the device or work profile, visible for seven days, and only to
 * roles that may reset. A scenario learns it from the admin view and hands it to the
 * device; it never appears in a check's expected or observed text (compared by shape).
 */
import type { RoleName } from '../contract/roles.js';
import { scenario, shapeOf, type Scenario, type ScenarioContext, type Device } from './dsl.js';
import { type EnrollSpec } from '../contract/wire.js';
import { type VariantKey } from '../contract/variants.js';
import { actAndDeliver, ADMIN, isLocked, lockPlace, secretForm, tagsFor } from './steps.js';

type Scope = 'device' | 'workProfile';

const WRONG_PASSCODE = 'wrong-passcode-7';
const OLD_PASSCODE = 'old-pass-2468';
const NEW_PASSCODE = 'new-pass-1357';

function scopeOf(variant: VariantKey): Scope {
  return variant === 'ae-work-profile-personal' || variant === 'ae-work-profile-corporate' ? 'workProfile' : 'device';
}

/** Work profiles: the user confirms the work challenge once, so the reset token is active (AN-3). */
async function prepare(t: ScenarioContext, d: Device, scope: Scope, requirement: string): Promise<void> {
  if (scope === 'workProfile') {
    t.check(requirement, 'HTTP status of entering the work challenge', await t.event(d, { type: 'enterPasscode', scope }), 200);
  }
}

// ---- TP-1: the admin is shown a temporary passcode -------------------------------------

const PRESENTED: readonly { variant: VariantKey; spec: EnrollSpec; id: string; title: string }[] = [
  { variant: 'ae-fully-managed', spec: { variant: 'ae-fully-managed' }, id: 'temporary-passcode/ae-fully-managed/presented', title: 'Fully managed: the admin is shown a temporary passcode after the reset' },
  { variant: 'ae-dedicated', spec: { variant: 'ae-dedicated', osVersion: '8.1' }, id: 'temporary-passcode/ae-dedicated/presented', title: 'Dedicated (kiosk) on 8.1: the admin is shown a temporary passcode after the reset' },
  { variant: 'ae-work-profile-personal', spec: { variant: 'ae-work-profile-personal', osVersion: '8.0' }, id: 'temporary-passcode/ae-work-profile-personal/presented', title: 'Personally-owned work profile on 8.0: the admin is shown a temporary passcode after the reset' },
  { variant: 'ae-work-profile-corporate', spec: { variant: 'ae-work-profile-corporate' }, id: 'temporary-passcode/ae-work-profile-corporate/presented', title: 'Corporate-owned work profile: the admin is shown a temporary passcode after the reset' },
];

const presented = PRESENTED.map((row) =>
  scenario({
    id: row.id,
    title: row.title,
    area: 'temporary-passcode',
    requirements: ['TP-1'],
    tags: tagsFor(row.variant, 'resetPasscode', 'temporary-passcode'),
    variant: row.variant,
    action: 'resetPasscode',
    async run(t) {
      const d = await t.enroll(row.spec);
      await prepare(t, d, scopeOf(row.variant), 'TP-1');
      const { result, state } = await actAndDeliver(t, 'TP-1', d, 'resetPasscode');
      t.check('TP-1', 'actionState of resetPasscode', state, 'done');
      t.check('TP-1', 'temporary passcode shown to the admin', shapeOf(result?.passcode), 'present');
      const p = result?.passcode;
      t.checkThat('TP-1', 'temporary passcode is one Android accepts (4 to 16 characters)', typeof p === 'string' && p.length >= 4 && p.length <= 16, '4 to 16 characters', secretForm(p));
    },
  }),
);

// ---- TP-2: only the temporary passcode unlocks --------------------------------------

const ENTRY: readonly { variant: VariantKey; spec: EnrollSpec }[] = [
  { variant: 'ae-fully-managed', spec: { variant: 'ae-fully-managed' } },
  { variant: 'ae-dedicated', spec: { variant: 'ae-dedicated' } },
  { variant: 'aosp-user-associated', spec: { variant: 'aosp-user-associated' } },
  { variant: 'ae-work-profile-personal', spec: { variant: 'ae-work-profile-personal', osVersion: '11' } },
  { variant: 'ae-work-profile-corporate', spec: { variant: 'ae-work-profile-corporate' } },
];

const mustBeEntered = ENTRY.map((row) => {
  const scope = scopeOf(row.variant);
  const place = lockPlace(scope);
  return scenario({
    id: `temporary-passcode/${row.variant}/must-be-entered`,
    title: `${row.variant}: the ${place} stays locked until the temporary passcode is entered; a wrong or the old passcode does not open it`,
    area: 'temporary-passcode',
    requirements: ['TP-2'],
    tags: tagsFor(row.variant, 'resetPasscode', 'temporary-passcode', 'unlock'),
    variant: row.variant,
    action: 'resetPasscode',
    async run(t) {
      const d = await t.enroll(row.spec);
      // The user's own passcode before the reset, known to the scenario.
      t.check('TP-2', 'HTTP status of the user setting their own passcode', await t.event(d, { type: 'setPasscode', passcode: OLD_PASSCODE, scope }), 200);
      await prepare(t, d, scope, 'TP-2');
      const { result, state } = await actAndDeliver(t, 'TP-2', d, 'resetPasscode');
      t.check('TP-2', 'actionState of resetPasscode', state, 'done');
      t.check('TP-2', `${place} locked after the reset`, isLocked(await t.truth(d), scope), true);

      await t.event(d, { type: 'enterPasscode', passcode: WRONG_PASSCODE, scope });
      t.check('TP-2', `${place} locked after a wrong passcode`, isLocked(await t.truth(d), scope), true);
      await t.event(d, { type: 'enterPasscode', passcode: OLD_PASSCODE, scope });
      t.check('TP-2', `${place} locked after the passcode from before the reset`, isLocked(await t.truth(d), scope), true);

      const temporary = result?.passcode;
      if (!t.check('TP-2', 'temporary passcode available to the admin, to hand to the user', shapeOf(temporary), 'present') || !temporary) return;
      t.check('TP-2', 'HTTP status of entering the temporary passcode', await t.event(d, { type: 'enterPasscode', passcode: temporary, scope }), 200);
      t.check('TP-2', `${place} locked after entering the temporary passcode`, isLocked(await t.truth(d), scope), false);

      // Now the user chooses a passcode of their own again.
      t.check('TP-2', 'HTTP status of the user setting a new passcode', await t.event(d, { type: 'setPasscode', passcode: NEW_PASSCODE, scope }), 200);
      const after = await t.truth(d);
      t.check('TP-2', `${place} passcode after the user set a new one`, scope === 'device' ? after.devicePasscode : after.workProfile?.challenge, 'user');
    },
  });
});

// ---- TP-3: visible for seven days, then gone ----------------------------------------

const sevenDays = (['ae-fully-managed', 'ae-work-profile-corporate'] as const).map((variant) =>
  scenario({
    id: `temporary-passcode/${variant}/visible-seven-days`,
    title: `${variant}: the temporary passcode is visible to the admin for seven days after the reset, and not after`,
    area: 'temporary-passcode',
    requirements: ['TP-3'],
    tags: tagsFor(variant, 'resetPasscode', 'temporary-passcode', 'clock'),
    variant,
    action: 'resetPasscode',
    usesClock: true,
    async run(t) {
      const d = await t.enroll({ variant });
      await prepare(t, d, scopeOf(variant), 'TP-3');
      const { result, state } = await actAndDeliver(t, 'TP-3', d, 'resetPasscode');
      t.check('TP-3', 'actionState of resetPasscode', state, 'done');
      t.check('TP-3', 'temporary passcode right after the reset', shapeOf(result?.passcode), 'present');

      await t.advance('P6DT23H');
      const later = await t.as(ADMIN).actionResult(d, 'resetPasscode');
      t.check('TP-3', 'temporary passcode 6 days 23 hours after the reset', shapeOf(later?.passcode), 'present');
      t.checkThat('TP-3', 'temporary passcode 6 days 23 hours after the reset is the one first shown', later?.passcode === result?.passcode, 'the same passcode', 'a different one');

      await t.advance('PT2H');
      const expired = await t.as(ADMIN).actionResult(d, 'resetPasscode');
      t.checkOneOf('TP-3', 'temporary passcode 7 days 1 hour after the reset', shapeOf(expired?.passcode), ['null', 'absent']);
      t.check('TP-3', 'the resetPasscode result itself is still listed', expired?.actionState, 'done');
    },
  }),
);

/** TP-2 closes the loop after repeated resets: whatever the admin is shown now is what unlocks the device. */
const secondReset = scenario({
  id: 'temporary-passcode/ae-fully-managed/second-reset-newest-unlocks',
  title: 'Fully managed, reset twice before the user typed anything: the passcode shown after the second reset unlocks, the first does not',
  area: 'temporary-passcode',
  requirements: ['TP-2'],
  tags: tagsFor('ae-fully-managed', 'resetPasscode', 'temporary-passcode', 'unlock', 'repeated'),
  variant: 'ae-fully-managed',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed' });
    const first = await actAndDeliver(t, 'TP-2', d, 'resetPasscode');
    const second = await actAndDeliver(t, 'TP-2', d, 'resetPasscode');
    t.check('TP-2', 'actionState of the second reset', second.state, 'done');
    const older = first.result?.passcode;
    const newer = second.result?.passcode;
    if (!t.check('TP-2', 'temporary passcode shown after the second reset', shapeOf(newer), 'present') || !newer) return;
    t.checkThat('TP-2', 'the second reset shows a new passcode', newer !== older, 'a passcode other than the first', 'the first one again');
    if (older && older !== newer) {
      await t.event(d, { type: 'enterPasscode', passcode: older });
      t.check('TP-2', 'device lock screen after entering the first reset\'s passcode', (await t.truth(d)).lockScreen, 'locked');
    }
    t.check('TP-2', 'HTTP status of entering the passcode the admin sees now', await t.event(d, { type: 'enterPasscode', passcode: newer }), 200);
    t.check('TP-2', 'device lock screen after entering the passcode the admin sees now', (await t.truth(d)).lockScreen, 'unlocked');
  },
});

/** TP-3 counts from the admin's request: a device offline for days shows its passcode for what is left of the seven. */
const sevenDaysFromRequest = scenario({
  id: 'temporary-passcode/ae-fully-managed/seven-days-from-request',
  title: 'Fully managed, offline for three days: the temporary passcode is hidden seven days after the request, not after delivery',
  area: 'temporary-passcode',
  requirements: ['TP-3'],
  tags: tagsFor('ae-fully-managed', 'resetPasscode', 'temporary-passcode', 'clock', 'offline'),
  variant: 'ae-fully-managed',
  action: 'resetPasscode',
  usesClock: true,
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed', online: false });
    t.check('TP-3', 'HTTP status of the resetPasscode request', await t.as(ADMIN).resetPasscode(d), 204);
    await t.advance('P3D');
    t.check('TP-3', 'HTTP status of the device coming back online', await t.event(d, { type: 'goOnline' }), 200);
    await t.checkIn(d);
    const delivered = await t.as(ADMIN).actionResult(d, 'resetPasscode');
    t.check('TP-3', 'actionState of resetPasscode once the device was back', delivered?.actionState, 'done');
    t.check('TP-3', 'temporary passcode once the device was back', shapeOf(delivered?.passcode), 'present');

    await t.advance('P3DT23H');
    const before = await t.as(ADMIN).actionResult(d, 'resetPasscode');
    t.check('TP-3', 'temporary passcode 6 days 23 hours after the request', shapeOf(before?.passcode), 'present');
    await t.advance('PT2H');
    const after = await t.as(ADMIN).actionResult(d, 'resetPasscode');
    t.checkOneOf('TP-3', 'temporary passcode 7 days 1 hour after the request (4 days after delivery)', shapeOf(after?.passcode), ['null', 'absent']);
  },
});

// ---- TP-4: legacy device administrator ------------------------------------------------

const legacy = scenario({
  id: 'temporary-passcode/android-da-legacy/new-passcode-shown',
  title: 'Android device administrator on 6.0: the reset sets a new passcode, shown to the admin, that unlocks the device',
  area: 'temporary-passcode',
  requirements: ['TP-4'],
  tags: tagsFor('android-da-legacy', 'resetPasscode', 'temporary-passcode'),
  variant: 'android-da-legacy',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'android-da-legacy', osVersion: '6.0' });
    const { result, state } = await actAndDeliver(t, 'TP-4', d, 'resetPasscode');
    t.check('TP-4', 'actionState of resetPasscode', state, 'done');
    t.check('TP-4', 'device passcode after the reset', (await t.truth(d)).devicePasscode, 'temporary');
    t.check('TP-4', 'new passcode shown to the admin', shapeOf(result?.passcode), 'present');
    const temporary = result?.passcode;
    if (!temporary) return;
    await t.event(d, { type: 'enterPasscode', passcode: temporary });
    t.check('TP-4', 'device lock screen after entering the new passcode', (await t.truth(d)).lockScreen, 'unlocked');
  },
});

// ---- TP-5: only reset roles see it; never in audits ---------------------------------

const RESET_ROLES: readonly RoleName[] = ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator'];
const OTHER_ROLES: readonly RoleName[] = ['endpoint-security-manager', 'read-only-operator'];

const resetRolesOnly = scenario({
  id: 'temporary-passcode/ae-fully-managed/reset-roles-only',
  title: 'Only roles that may reset see the temporary passcode; it is never in the Device actions list',
  area: 'temporary-passcode',
  requirements: ['TP-5', 'TP-1'],
  tags: tagsFor('ae-fully-managed', 'resetPasscode', 'temporary-passcode', 'roles', 'secrets'),
  variant: 'ae-fully-managed',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed' });
    const { result, state } = await actAndDeliver(t, 'TP-5', d, 'resetPasscode', 'helpdesk-operator');
    t.check('TP-5', 'actionState of resetPasscode', state, 'done');
    const passcode = result?.passcode;
    for (const role of RESET_ROLES) {
      t.check('TP-1', `temporary passcode as ${role} reads it`, shapeOf((await t.as(role).actionResult(d, 'resetPasscode'))?.passcode), 'present');
    }
    for (const role of OTHER_ROLES) {
      const seen = await t.as(role).actionResult(d, 'resetPasscode');
      t.checkOneOf('TP-5', `temporary passcode as ${role} reads it`, shapeOf(seen?.passcode), ['null', 'absent']);
      t.checkThat('TP-5', `the ${role}'s view of the result holds no passcode`, !passcode || !JSON.stringify(seen ?? {}).includes(passcode), 'no passcode anywhere', 'the passcode appears in the result');
    }
    for (const role of ['global-administrator', 'read-only-operator'] as const) {
      const audits = await t.as(role).audits(d);
      t.checkThat('TP-5', `Device actions list as ${role} lists the reset`, audits.some((a) => a.action === 'resetPasscode'), 'a resetPasscode entry', `${audits.length} entries, none for resetPasscode`);
      t.checkThat('TP-5', `Device actions list as ${role} holds no passcode`, !passcode || !JSON.stringify(audits).includes(passcode), 'no passcode anywhere', 'the passcode appears in an audit entry');
      t.checkThat('TP-5', `Device actions list as ${role} has no passcode field`, audits.every((a) => !('passcode' in a) || a.passcode === null), 'no passcode field', 'a passcode field');
    }
  },
});

const pinResetRolesOnly = scenario({
  id: 'temporary-passcode/macos/unlock-pin-reset-roles-only',
  title: 'macOS: an Endpoint Security Manager may lock but does not see the unlock PIN; it is never in the Device actions list',
  area: 'temporary-passcode',
  requirements: ['TP-5', 'RL-5'],
  tags: tagsFor('macos', 'remoteLock', 'temporary-passcode', 'roles', 'secrets'),
  variant: 'macos',
  action: 'remoteLock',
  async run(t) {
    const d = await t.enroll({ variant: 'macos' });
    const { state } = await actAndDeliver(t, 'RL-5', d, 'remoteLock', 'endpoint-security-manager');
    t.check('RL-5', 'actionState of remoteLock', state, 'done');
    const admin = await t.as('global-administrator').actionResult(d, 'remoteLock');
    t.check('RL-5', 'unlock PIN as global-administrator reads it', shapeOf(admin?.unlockPin), 'present');
    const pin = admin?.unlockPin;
    for (const role of OTHER_ROLES) {
      const seen = await t.as(role).actionResult(d, 'remoteLock');
      t.checkOneOf('TP-5', `unlock PIN as ${role} reads it`, shapeOf(seen?.unlockPin), ['null', 'absent']);
    }
    const audits = await t.as('read-only-operator').audits(d);
    t.checkThat('TP-5', 'Device actions list holds no unlock PIN', !pin || !JSON.stringify(audits).includes(pin), 'no PIN anywhere', 'the PIN appears in an audit entry');
  },
});

export const TEMPORARY_PASSCODE_SCENARIOS: readonly Scenario[] = [...presented, ...mustBeEntered, ...sevenDays, sevenDaysFromRequest, secondReset, legacy, resetRolesOnly, pinResetRolesOnly];
