import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../contract/actions.js';
import { defaultFacts, type DeviceFacts } from '../device-facts.js';
import { generateDevice } from '../fleet-generator.js';
import { ReferenceMdm } from '../mdm/reference-mdm.js';
import { secretDigest } from '../secret-hash.js';
import { AppleFleetWire } from './fleet-wire.js';

type AppleFacts = Partial<DeviceFacts> & Pick<DeviceFacts, 'variant'>;

function enroll(mdm: ReferenceMdm, facts: AppleFacts, index: number): string {
  const profile = generateDevice(9, index, facts.variant);
  return mdm.enroll({ ...profile, facts: { ...defaultFacts(facts.variant), devicePasscodeSet: true, ...facts } }).profile.id;
}

async function wired() {
  const wire = await AppleFleetWire.create(5);
  return { wire, mdm: new ReferenceMdm({ seed: 5, appleWire: wire }) };
}

describe('Apple devices of the reference take their commands over the Apple MDM protocol', () => {
  it('resetPasscode is a ClearPasscode with the token the device escrowed: done, passcode gone, the device enrolled on the server', async () => {
    const { wire, mdm } = await wired();
    const id = enroll(mdm, { variant: 'ios-device', unlockToken: 'good' }, 0);
    expect(mdm.requestAction(id, 'resetPasscode', 'helpdesk-operator').kind).toBe('accepted');
    expect(wire.enrolled).toBe(0);
    mdm.clock.advanceBy('PT1M');
    const record = mdm.get(id)!;
    expect(mdm.latestActions(record)[0]).toMatchObject({ actionState: 'done', errorReason: null });
    expect(mdm.truthOf(record).devicePasscode).toBe('none');
    const enrollment = wire.server.enrollments.get(id.toUpperCase())!;
    expect(enrollment).toMatchObject({ tokenUpdates: 1, checkedOut: false, queue: [] });
    expect(enrollment.unlockToken).toBeInstanceOf(Uint8Array);
    expect(wire.counts).toEqual({ ClearPasscode: { Acknowledged: 1 } });
    expect(wire.enrolled).toBe(1);
  });

  it.each([
    ['bad', 'BAD_UNLOCK_TOKEN'],
    ['missing', 'UNLOCK_TOKEN_MISSING'],
  ] as const)('an escrowed token that is %s: the device answers Error and the action fails with %s', async (unlockToken, reason) => {
    const { wire, mdm } = await wired();
    const id = enroll(mdm, { variant: 'ios-device', unlockToken }, 1);
    mdm.requestAction(id, 'resetPasscode', 'helpdesk-operator');
    mdm.clock.advanceBy('PT1M');
    const record = mdm.get(id)!;
    expect(mdm.latestActions(record)[0]).toMatchObject({ actionState: 'failed', errorReason: reason });
    expect(mdm.truthOf(record).devicePasscode).toBe('user');
    expect(wire.counts.ClearPasscode).toEqual({ Error: 1 });
  });

  it('a Mac locks with the six-digit PIN the Graph action shows, and erases with a PIN of its own', async () => {
    const { wire, mdm } = await wired();
    const id = enroll(mdm, { variant: 'macos' }, 2);
    mdm.requestAction(id, 'remoteLock', 'helpdesk-operator');
    mdm.clock.advanceBy('PT1M');
    const record = mdm.get(id)!;
    const lock = mdm.latestActions(record).find((a) => a.actionName === 'remoteLock')!;
    expect(lock).toMatchObject({ actionState: 'done' });
    expect(lock.unlockPin).toMatch(/^\d{6}$/);
    expect(wire.agentOf(record)!.truth().lockPinDigest).toBe(secretDigest(lock.unlockPin!));
    mdm.requestAction(id, 'wipe', 'helpdesk-operator');
    mdm.clock.advanceBy('PT1M');
    expect(mdm.truthOf(record).enrolled).toBe(false);
    const erase = wire.agentOf(record)!.log.find((c) => c.requestType === 'EraseDevice')!;
    expect(erase).toMatchObject({ status: 'Acknowledged', pinLength: 6, keys: { PIN: 'string' } });
    expect(wire.counts).toEqual({ DeviceLock: { Acknowledged: 1 }, EraseDevice: { Acknowledged: 1 } });
  });

  it('a device that answers NotNow keeps the Graph action pending; it takes the same command at its next check-in', async () => {
    const { wire, mdm } = await wired();
    const id = enroll(mdm, { variant: 'macos' }, 3);
    expect(mdm.appleStep(id, { action: 'notNow', count: 1 })).toEqual([]);
    mdm.requestAction(id, 'remoteLock', 'helpdesk-operator');
    mdm.clock.advanceBy('PT1M');
    const record = mdm.get(id)!;
    const lock = () => mdm.latestActions(record).find((a) => a.actionName === 'remoteLock')!;
    expect(lock().actionState).toBe('pending');
    expect(mdm.truthOf(record)).toMatchObject({ lockScreen: 'unlocked', pendingCommands: 1 });
    const enrollment = wire.server.enrollments.get(id.toUpperCase())!;
    expect(enrollment.queue).toHaveLength(1);
    mdm.clock.advanceBy('PT8H');
    expect(lock()).toMatchObject({ actionState: 'done', errorReason: null });
    expect(mdm.truthOf(record)).toMatchObject({ lockScreen: 'locked', pendingCommands: 0 });
    const log = wire.agentOf(record)!.log;
    expect(log.map((c) => c.status)).toEqual(['NotNow', 'Acknowledged']);
    expect(log[0]!.commandUuid).toBe(log[1]!.commandUuid);
    expect(enrollment.queue).toEqual([]);
    expect(wire.counts).toEqual({ DeviceLock: { Acknowledged: 1 } });
  });

  it('a wipe cancels a lock the device put off, and the device never takes it', async () => {
    const { wire, mdm } = await wired();
    const id = enroll(mdm, { variant: 'ios-device', unlockToken: 'good' }, 4);
    mdm.appleStep(id, { action: 'notNow', count: 1 });
    mdm.requestAction(id, 'remoteLock', 'helpdesk-operator');
    mdm.clock.advanceBy('PT1M');
    mdm.requestAction(id, 'wipe', 'helpdesk-operator');
    mdm.clock.advanceBy('PT1M');
    const record = mdm.get(id)!;
    expect(mdm.latestActions(record).map((a) => [a.actionName, a.actionState])).toEqual([
      ['remoteLock', 'canceled'],
      ['wipe', 'done'],
    ]);
    expect(wire.agentOf(record)!.log.map((c) => [c.requestType, c.status])).toEqual([
      ['DeviceLock', 'NotNow'],
      ['EraseDevice', 'Acknowledged'],
    ]);
  });

  it('a device that checked out does not take a Graph command, nor enroll again by itself: the action stays pending until it enrolls', async () => {
    const { wire, mdm } = await wired();
    const id = enroll(mdm, { variant: 'ios-device', unlockToken: 'good' }, 5);
    mdm.appleStep(id, { action: 'enroll' });
    mdm.appleStep(id, { action: 'checkOut' });
    mdm.requestAction(id, 'remoteLock', 'helpdesk-operator');
    mdm.clock.advanceBy('P2D');
    const record = mdm.get(id)!;
    const lock = () => mdm.latestActions(record).find((a) => a.actionName === 'remoteLock')!;
    expect(lock().actionState).toBe('pending');
    expect(wire.enrolled).toBe(1);
    expect(wire.server.enrollments.get(id.toUpperCase())).toMatchObject({ checkedOut: true, queue: [] });
    expect(wire.agentOf(record)!.log).toEqual([]);
    mdm.appleStep(id, { action: 'enroll' });
    expect(wire.server.enrollments.get(id.toUpperCase())).toMatchObject({ checkedOut: false });
    mdm.clock.advanceBy('PT8H');
    expect(lock().actionState).toBe('done');
    expect(mdm.truthOf(record).lockScreen).toBe('locked');
  });

  it('gives every action on every Apple variant the same outcome as in-process delivery', async () => {
    const facts: AppleFacts[] = [
      { variant: 'ios-device', unlockToken: 'good' },
      { variant: 'ios-device', unlockToken: 'bad' },
      { variant: 'ios-device', unlockToken: 'missing', supervised: true },
      { variant: 'ios-device', devicePasscodeSet: false },
      { variant: 'ios-user-enrollment' },
      { variant: 'macos' },
    ];
    const outcomes = async (mdm: ReferenceMdm) => {
      const ids = facts.map((f, i) => enroll(mdm, f, 10 + i));
      for (const action of [...ACTIONS].sort((a, b) => (a === 'wipe' ? 1 : b === 'wipe' ? -1 : 0))) {
        for (const id of ids) mdm.requestAction(id, action, 'helpdesk-operator');
        mdm.clock.advanceBy('PT1M');
      }
      return ids.map((id) => {
        const record = mdm.get(id)!;
        return { truth: mdm.truthOf(record), actions: mdm.latestActions(record).map((a) => [a.actionName, a.actionState, a.errorReason, a.unlockPin]) };
      });
    };
    const direct = await outcomes(new ReferenceMdm({ seed: 5 }));
    const { wire, mdm } = await wired();
    expect(await outcomes(mdm)).toEqual(direct);
    expect(Object.keys(wire.counts).sort()).toEqual(['ClearPasscode', 'DeviceLock', 'EraseDevice']);
  });
});
