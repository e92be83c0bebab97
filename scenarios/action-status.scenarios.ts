/**
 * Status of actions (ST-1 to ST-3): every action shows in the Device actions list with its
 * state; an action waits pending until the device checks in; one request of a kind in
 * flight at a time; a wipe cancels what is still pending; unsupported ones are refused.
 */
import { scenario, type Scenario } from './dsl.js';
import { type ActionName, type ActionState } from '../contract/actions.js';
import { type EnrollSpec } from '../contract/wire.js';
import { type VariantKey } from '../contract/variants.js';
import { act, actAndDeliver, ADMIN, auditsFor, expectRefused, stateOf, tagsFor } from './steps.js';

const listed = scenario({
  id: 'status/ae-fully-managed/every-action-listed',
  title: 'Every action taken (reset, lock, wipe) shows in the Device actions list with its final state',
  area: 'action-status',
  requirements: ['ST-1'],
  tags: tagsFor('ae-fully-managed', 'resetPasscode', 'remoteLock', 'wipe', 'device-actions-list'),
  variant: 'ae-fully-managed',
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed' });
    for (const action of ['resetPasscode', 'remoteLock', 'wipe'] as const) {
      const { state } = await actAndDeliver(t, 'ST-1', d, action);
      t.check('ST-1', `actionState of ${action}`, state, 'done');
      const audits = await auditsFor(t, d, action);
      t.check('ST-1', `Device actions list entries for ${action}`, audits.length, 1);
      t.check('ST-1', `state of ${action} in the Device actions list`, audits[0]?.actionState, 'done');
    }
    t.check('ST-1', 'Device actions list entries for the device', (await t.as('read-only-operator').audits(d)).length, 3);
  },
});

const failedListed = scenario({
  id: 'status/aosp-userless/failed-action-listed',
  title: 'A failed action (AOSP lock without a passcode policy) shows as failed in the Device actions list',
  area: 'action-status',
  requirements: ['ST-1', 'RL-2'],
  tags: tagsFor('aosp-userless', 'remoteLock', 'device-actions-list', 'failed'),
  variant: 'aosp-userless',
  action: 'remoteLock',
  async run(t) {
    const d = await t.enroll({ variant: 'aosp-userless', passcodePolicy: false });
    const { state } = await actAndDeliver(t, 'RL-2', d, 'remoteLock');
    t.check('RL-2', 'actionState of remoteLock', state, 'failed');
    const audits = await auditsFor(t, d, 'remoteLock');
    t.check('ST-1', 'Device actions list entries for remoteLock', audits.length, 1);
    t.check('ST-1', 'state of remoteLock in the Device actions list', audits[0]?.actionState, 'failed');
  },
});

const refusedListed = scenario({
  id: 'status/windows/refused-lock-listed',
  title: 'An unsupported action (Windows lock) is refused; if the Device actions list shows it, it shows notSupported',
  area: 'action-status',
  requirements: ['ST-3'],
  tags: tagsFor('windows', 'remoteLock', 'device-actions-list', 'not-supported'),
  variant: 'windows',
  action: 'remoteLock',
  async run(t) {
    const d = await t.enroll({ variant: 'windows' });
    await expectRefused(t, d, 'remoteLock', { requirements: ['ST-3'] });
    for (const audit of await auditsFor(t, d, 'remoteLock')) {
      t.check('ST-3', 'state of the refused remoteLock in the Device actions list', audit.actionState, 'notSupported');
    }
  },
});

// ---- ST-2: pending until the device checks in ----------------------------------------

interface PendingRow {
  id: string;
  title: string;
  variant: VariantKey;
  spec: EnrollSpec;
  action: ActionName;
  /** How the device is offline: enrolled offline, or goes offline afterwards. */
  offline: 'enrolled' | 'event';
  final: ActionState;
}

const PENDING: readonly PendingRow[] = [
  {
    id: 'status/ae-fully-managed/reset-pending-until-check-in', variant: 'ae-fully-managed', action: 'resetPasscode', offline: 'enrolled', final: 'done',
    title: 'A reset on an offline device stays pending, and is done once the device comes back',
    spec: { variant: 'ae-fully-managed', online: false },
  },
  {
    id: 'status/ios-device/lock-pending-until-check-in', variant: 'ios-device', action: 'remoteLock', offline: 'event', final: 'done',
    title: 'A lock on an iPhone that went offline stays pending, and is done once it comes back',
    spec: { variant: 'ios-device' },
  },
  {
    id: 'status/android-da-modern/wipe-pending-until-check-in', variant: 'android-da-modern', action: 'wipe', offline: 'enrolled', final: 'done',
    title: 'A wipe of an offline device stays pending, and is done once the device comes back',
    spec: { variant: 'android-da-modern', online: false },
  },
  {
    id: 'status/ios-device/removal-failed-after-check-in', variant: 'ios-device', action: 'resetPasscode', offline: 'enrolled', final: 'failed',
    title: 'A removal with a wrong unlock token stays pending while offline, and fails once the device answers',
    spec: { variant: 'ios-device', unlockToken: 'bad', online: false },
  },
];

const pending = PENDING.map((row) =>
  scenario({
    id: row.id,
    title: row.title,
    area: 'action-status',
    requirements: ['ST-2', 'ST-1'],
    tags: tagsFor(row.variant, row.action, 'pending', 'offline'),
    variant: row.variant,
    action: row.action,
    async run(t) {
      const d = await t.enroll(row.spec);
      if (row.offline === 'event') t.check('ST-2', 'HTTP status of the device going offline', await t.event(d, { type: 'goOffline' }), 200);
      const before = await t.truth(d);
      t.check('ST-2', 'device online before the action', before.online, false);
      t.check('ST-2', `HTTP status of ${row.action}`, await act(t, ADMIN, d, row.action), 204);
      t.check('ST-2', `actionState of ${row.action} while the device is offline`, await stateOf(t, d, row.action), 'pending');
      t.check('ST-1', `state in the Device actions list while the device is offline`, (await auditsFor(t, d, row.action))[0]?.actionState, 'pending');
      const waiting = await t.truth(d);
      t.check('ST-2', 'commands waiting for the offline device', waiting.pendingCommands, 1);
      t.check('ST-2', 'device lock screen while the command waits', waiting.lockScreen, before.lockScreen);
      t.check('ST-2', 'device passcode while the command waits', waiting.devicePasscode, before.devicePasscode);
      t.check('ST-2', 'device enrolled while the command waits', waiting.enrolled, true);

      t.check('ST-2', 'HTTP status of the device coming back online', await t.event(d, { type: 'goOnline' }), 200);
      t.check('ST-2', `actionState of ${row.action} after the device checked in`, await stateOf(t, d, row.action), row.final);
      t.check('ST-1', 'state in the Device actions list after the device checked in', (await auditsFor(t, d, row.action))[0]?.actionState, row.final);
      t.check('ST-2', 'commands waiting after the device checked in', (await t.truth(d)).pendingCommands, 0);
    },
  }),
);

const oneInFlight = scenario({
  id: 'status/ae-fully-managed/one-reset-in-flight',
  title: 'A second reset while the first is pending is refused with 409 (reference choice); the device gets one reset',
  area: 'action-status',
  requirements: ['ST-2'],
  tags: tagsFor('ae-fully-managed', 'resetPasscode', 'pending', 'conflict'),
  variant: 'ae-fully-managed',
  action: 'resetPasscode',
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed', online: false });
    t.check('ST-2', 'HTTP status of the first resetPasscode', await t.as(ADMIN).resetPasscode(d), 204);
    const second = await t.as('helpdesk-operator').resetPasscode(d);
    // 409 is the reference's answer; a target that folds the duplicate into the pending one (204) also keeps one in flight.
    t.checkOneOf('ST-2', 'HTTP status of a second resetPasscode while the first is pending', second, [409, 204]);
    t.check('ST-2', 'actionState while the device is offline', await stateOf(t, d, 'resetPasscode'), 'pending');
    t.check('ST-2', 'commands waiting for the offline device', (await t.truth(d)).pendingCommands, 1);
    t.check('ST-2', 'HTTP status of the device coming back online', await t.event(d, { type: 'goOnline' }), 200);
    t.check('ST-2', 'actionState after the device checked in', await stateOf(t, d, 'resetPasscode'), 'done');
    t.check('ST-2', 'device passcode after the device checked in', (await t.truth(d)).devicePasscode, 'temporary');
  },
});

const lockInFlight = scenario({
  id: 'status/macos/one-lock-in-flight',
  title: 'macOS: a second lock while the first is pending is refused with 409 (reference choice); the first still locks',
  area: 'action-status',
  requirements: ['ST-2'],
  tags: tagsFor('macos', 'remoteLock', 'pending', 'conflict'),
  variant: 'macos',
  action: 'remoteLock',
  async run(t) {
    const d = await t.enroll({ variant: 'macos', online: false });
    t.check('ST-2', 'HTTP status of the first remoteLock', await t.as(ADMIN).remoteLock(d), 204);
    t.checkOneOf('ST-2', 'HTTP status of a second remoteLock while the first is pending', await t.as(ADMIN).remoteLock(d), [409, 204]);
    t.check('ST-2', 'commands waiting for the offline device', (await t.truth(d)).pendingCommands, 1);
    t.check('ST-2', 'HTTP status of the device coming back online', await t.event(d, { type: 'goOnline' }), 200);
    t.check('ST-2', 'actionState after the device checked in', await stateOf(t, d, 'remoteLock'), 'done');
    t.check('ST-2', 'Mac lock screen after the device checked in', (await t.truth(d)).lockScreen, 'locked');
  },
});

const wipeCancels = scenario({
  id: 'status/ae-fully-managed/wipe-cancels-pending',
  title: 'A wipe cancels the reset and lock still pending on the device; the list shows them canceled',
  area: 'action-status',
  requirements: ['ST-2', 'ST-1'],
  tags: tagsFor('ae-fully-managed', 'wipe', 'pending', 'canceled'),
  variant: 'ae-fully-managed',
  action: 'wipe',
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed', online: false });
    t.check('ST-2', 'HTTP status of resetPasscode', await act(t, ADMIN, d, 'resetPasscode'), 204);
    t.check('ST-2', 'HTTP status of remoteLock', await act(t, ADMIN, d, 'remoteLock'), 204);
    t.check('ST-2', 'HTTP status of wipe', await act(t, ADMIN, d, 'wipe'), 204);
    t.check('ST-2', 'HTTP status of the device coming back online', await t.event(d, { type: 'goOnline' }), 200);
    t.check('ST-2', 'actionState of the wipe', await stateOf(t, d, 'wipe'), 'done');
    for (const action of ['resetPasscode', 'remoteLock'] as const) {
      t.check('ST-2', `actionState of the ${action} pending when the wipe came`, await stateOf(t, d, action), 'canceled');
      t.check('ST-1', `state of ${action} in the Device actions list`, (await auditsFor(t, d, action))[0]?.actionState, 'canceled');
    }
    const erased = await t.truth(d);
    t.check('ST-2', 'device enrolled after the wipe', erased.enrolled, false);
    t.check('ST-2', 'device passcode after the wipe', erased.devicePasscode, 'none');
  },
});

export const ACTION_STATUS_SCENARIOS: readonly Scenario[] = [listed, failedListed, refusedListed, ...pending, oneInFlight, lockInFlight, wipeCancels];
