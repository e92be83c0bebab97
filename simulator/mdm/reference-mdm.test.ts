import { describe, expect, it } from 'vitest';
import { defaultFacts, type DeviceFacts } from '../device-facts.js';
import { generateDevice } from '../fleet-generator.js';
import { ReferenceMdm } from './reference-mdm.js';

function enroll(mdm: ReferenceMdm, facts: Partial<DeviceFacts> & Pick<DeviceFacts, 'variant'>, index = 0) {
  const profile = generateDevice(9, index, facts.variant);
  return mdm.enroll({ ...profile, facts: { ...defaultFacts(facts.variant), ...facts } }).profile.id;
}

describe('ReferenceMdm delivery', () => {
  it('an offline device cannot check in (409 DEVICE_OFFLINE); its commands wait until it comes back', () => {
    const mdm = new ReferenceMdm({ seed: 1 });
    const id = enroll(mdm, { variant: 'ae-fully-managed', online: false });
    expect(mdm.requestAction(id, 'resetPasscode', 'helpdesk-operator').kind).toBe('accepted');
    const refused = mdm.deviceEvent(id, { type: 'checkIn' });
    expect(refused).toMatchObject({ kind: 'rejected', reason: 'DEVICE_OFFLINE', truth: { pendingCommands: 1 } });
    const back = mdm.deviceEvent(id, { type: 'goOnline' });
    expect(back).toMatchObject({ kind: 'ok', truth: { pendingCommands: 0, devicePasscode: 'temporary', lockScreen: 'locked' } });
    expect(mdm.latestActions(mdm.get(id)!)[0]?.actionState).toBe('done');
  });

  it('AN-4: a token lost on reboot is provisioned again at the next interval check-in, with its notification', () => {
    const mdm = new ReferenceMdm({ seed: 1 });
    const id = enroll(mdm, { variant: 'ae-work-profile-personal', osVersion: '13', workProfilePasswordSet: true });
    expect(mdm.deviceEvent(id, { type: 'reboot' })).toMatchObject({ truth: { workProfile: { resetToken: 'none', activationNotification: false } } });
    mdm.clock.advanceBy('PT7H59M');
    expect(mdm.truthOf(mdm.get(id)!).workProfile?.resetToken).toBe('none');
    mdm.clock.advanceBy('PT2M');
    expect(mdm.truthOf(mdm.get(id)!).workProfile).toMatchObject({ resetToken: 'pending', activationNotification: true });
  });

  it('a wipe cancels the pending reset, which then no longer counts as pending on the device', () => {
    const mdm = new ReferenceMdm({ seed: 1 });
    const id = enroll(mdm, { variant: 'ae-fully-managed', online: false });
    mdm.requestAction(id, 'resetPasscode', 'helpdesk-operator');
    mdm.requestAction(id, 'wipe', 'helpdesk-operator');
    const record = mdm.get(id)!;
    expect(mdm.truthOf(record).pendingCommands).toBe(1);
    expect(mdm.latestActions(record).map((a) => [a.actionName, a.actionState])).toEqual([
      ['resetPasscode', 'canceled'],
      ['wipe', 'pending'],
    ]);
    mdm.deviceEvent(id, { type: 'goOnline' });
    expect(mdm.truthOf(record)).toMatchObject({ enrolled: false, pendingCommands: 0 });
  });
});

describe('ReferenceMdm as a registry', () => {
  it('looks devices up by id and iterates them filtered by inventory and ground truth, in enrollment order', () => {
    const mdm = new ReferenceMdm({ seed: 1 });
    const ids = [
      enroll(mdm, { variant: 'ios-device', online: false }, 0),
      enroll(mdm, { variant: 'ios-device' }, 1),
      enroll(mdm, { variant: 'windows', online: false }, 2),
      enroll(mdm, { variant: 'ios-device', online: false }, 3),
    ];
    expect(mdm.get(ids[2]!)?.profile.facts.variant).toBe('windows');
    expect(mdm.get('no-such-id')).toBeUndefined();
    const offlineIos = [...mdm.where((profile, truth) => profile.facts.variant === 'ios-device' && !truth.online)];
    expect(offlineIos.map((r) => r.profile.id)).toEqual([ids[0], ids[3]]);
  });
});
