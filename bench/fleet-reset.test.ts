import { describe, expect, it } from 'vitest';
import { generateFleet } from '../simulator/fleet-generator.js';
import { deviceStates, FleetStats } from '../simulator/mdm/fleet-stats.js';
import { ReferenceMdm } from '../simulator/mdm/reference-mdm.js';
import { expectedReset, runFleetReset } from './fleet-reset.js';
import { fmt, median, table } from './lib/stats.js';
import { xstateCeiling } from './xstate-ceiling.js';

function fleet(count: number, seed: number): ReferenceMdm {
  const mdm = new ReferenceMdm({ seed });
  for (const profile of generateFleet({ count, seed })) mdm.enroll(profile);
  return mdm;
}

describe('the fleet-wide reset the bench times', () => {
  it('ends every device of a mixed fleet as the support table and its facts say', () => {
    const mdm = fleet(4000, 3);
    const result = runFleetReset(mdm);
    expect(result.mismatches).toEqual([]);
    expect(result.done + result.failed + result.notSupported + result.pending).toBe(4000);
    for (const n of [result.done, result.failed, result.notSupported, result.pending]) expect(n).toBeGreaterThan(0);
    // CHECK_IN and the command for every device that answered, plus the passcode entered where there is one.
    expect(result.events).toBeGreaterThanOrEqual(2 * (result.done + result.failed));
    expect(result.events).toBeLessThanOrEqual(3 * result.done + 2 * result.failed);
  });

  it('keeps the dashboard counts equal to a recount of every device', () => {
    const mdm = fleet(3000, 9);
    runFleetReset(mdm);
    for (const r of mdm.all().slice(0, 300)) mdm.deviceEvent(r.profile.id, { type: 'reboot' });
    for (const r of mdm.all().slice(100, 200)) mdm.requestAction(r.profile.id, 'wipe', 'test');
    mdm.clock.advanceBy('PT1H');
    const recount = new FleetStats();
    for (const r of mdm.all()) recount.add(r.profile.facts.variant, mdm.truthOf(r));
    const view = mdm.stats.view();
    expect(view.byVariant).toEqual(recount.view().byVariant);
    expect(view.byState.wiped).toBeGreaterThan(0);
    expect(deviceStates(mdm.truthOf(mdm.all()[0]!)).length).toBeGreaterThan(0);
  });

  it('expects what the support table says', () => {
    const base = { osVersion: '14', passcodePolicy: true, workProfilePasswordSet: true, unlockToken: 'good', passcodeCompliancePolicy: true, supervised: true, online: true, devicePasscodeSet: true } as const;
    expect(expectedReset({ ...base, variant: 'windows' }).state).toBe('notSupported');
    expect(expectedReset({ ...base, variant: 'ae-fully-managed', online: false }).state).toBe('pending');
    expect(expectedReset({ ...base, variant: 'ae-fully-managed' })).toEqual({ state: 'done', reason: null, enterScope: 'device' });
    expect(expectedReset({ ...base, variant: 'ae-work-profile-personal' }).reason).toBe('RESET_TOKEN_NOT_ACTIVE');
    expect(expectedReset({ ...base, variant: 'ae-work-profile-personal', workProfilePasswordSet: false }).enterScope).toBe('workProfile');
    expect(expectedReset({ ...base, variant: 'ae-work-profile-personal', osVersion: '7.1' }).state).toBe('notSupported');
    expect(expectedReset({ ...base, variant: 'ios-device', unlockToken: 'bad' }).reason).toBe('BAD_UNLOCK_TOKEN');
    expect(expectedReset({ ...base, variant: 'ios-device' })).toEqual({ state: 'done', reason: null, enterScope: null });
  });
});

describe('bench helpers', () => {
  it('measure a positive XState ceiling', () => {
    expect(xstateCeiling(20)).toBeGreaterThan(0);
  });

  it('take medians and print a table', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    expect(fmt(1234567.8)).toBe('1 234 568');
    expect(fmt(1.234, 's')).toBe('1.23 s');
    const text = table([{ section: 's', figure: 'a figure', value: '1', ceiling: '2', ratio: '50%', target: '≥ 40%', ok: true }]);
    expect(text).toMatch(/a figure\s+1\s+2\s+50%\s+≥ 40%\s+✓/);
  });
});
