import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActionName } from '../../contract/actions.js';
import type { Truth } from '../../contract/wire.js';
import { embeddedTarget, type Target } from '../targets.js';
import { VARIANT_KEYS } from '../../contract/variants.js';
import { lockSupport, maySeeSecrets, resetSupport, roleRule, type GraphRole } from './catalogue.js';
import { FleetModel, type Check, type Observation } from './model.js';
import { canRun, clientIO, describeStep, runStep, type Step } from './steps.js';

describe('the catalogue tables', () => {
  it('encodes DL-1 to DL-10 and WP-1/WP-3 for resetPasscode', () => {
    const rows = Object.fromEntries(VARIANT_KEYS.map((v) => [v, resetSupport(v, null)]));
    expect(rows).toEqual({
      'android-da-legacy': { kind: 'device', requirement: 'DL-1' },
      'android-da-modern': { kind: null, requirement: 'DL-6' },
      'ae-work-profile-personal': { kind: 'workProfile', requirement: 'WP-1' },
      'ae-work-profile-corporate': { kind: 'workProfile', requirement: 'WP-2' },
      'ae-fully-managed': { kind: 'device', requirement: 'DL-2' },
      'ae-dedicated': { kind: 'device', requirement: 'DL-2' },
      'aosp-user-associated': { kind: 'device', requirement: 'DL-9' },
      'aosp-userless': { kind: 'device', requirement: 'DL-10' },
      'ios-device': { kind: 'removal', requirement: 'DL-3' },
      'ios-user-enrollment': { kind: null, requirement: 'DL-4' },
      macos: { kind: null, requirement: 'DL-7' },
      windows: { kind: null, requirement: 'DL-8' },
    });
    expect(resetSupport('ae-work-profile-personal', 7)).toEqual({ kind: null, requirement: 'WP-3' });
    expect(resetSupport('ae-work-profile-personal', 8).kind).toBe('workProfile');
  });

  it('encodes RL-1, RL-3 and RL-5 for remoteLock', () => {
    expect(lockSupport('windows')).toEqual({ kind: null, requirement: 'RL-3' });
    expect(lockSupport('aosp-userless').kind).toBe('aosp');
    expect(lockSupport('macos').kind).toBe('macos');
    expect(lockSupport('ios-user-enrollment').kind).toBe('standard');
  });

  it('encodes the contract role table with RB-1 to RB-3', () => {
    const table = (action: ActionName) => Object.fromEntries((['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator', 'endpoint-security-manager', 'read-only-operator'] as GraphRole[]).map((r) => [r, roleRule(action, r).allowed]));
    expect(table('resetPasscode')).toEqual({ 'global-administrator': true, 'intune-administrator': true, 'helpdesk-operator': true, 'role-administrator': true, 'school-administrator': true, 'endpoint-security-manager': false, 'read-only-operator': false });
    expect(table('remoteLock')).toEqual({ 'global-administrator': true, 'intune-administrator': true, 'helpdesk-operator': true, 'role-administrator': true, 'school-administrator': true, 'endpoint-security-manager': true, 'read-only-operator': false });
    expect(table('wipe')).toEqual({ 'global-administrator': true, 'intune-administrator': true, 'helpdesk-operator': true, 'role-administrator': false, 'school-administrator': false, 'endpoint-security-manager': false, 'read-only-operator': false });
    expect(roleRule('resetPasscode', null)).toEqual({ allowed: false, refusal: 401, requirement: 'RB-3' });
    expect(roleRule('resetPasscode', 'read-only-operator')).toMatchObject({ refusal: 403, requirement: 'RB-3' });
    expect(roleRule('resetPasscode', 'helpdesk-operator')).toMatchObject({ allowed: true, requirement: 'RB-1' });
    expect(roleRule('resetPasscode', 'endpoint-security-manager')).toMatchObject({ refusal: 403, requirement: 'RB-2' });
    expect(maySeeSecrets('endpoint-security-manager')).toBe(false);
    expect(maySeeSecrets('school-administrator')).toBe(true);
  });
});

const truth = (over: Partial<Truth> = {}): Truth => ({
  variant: 'android-da-modern', online: true, enrolled: true, lockScreen: 'unlocked', devicePasscode: 'user', passcodePrompt: false, pendingCommands: 0, ...over,
});
const failed = (checks: Check[]) => checks.filter((c) => !c.ok).map((c) => `${c.requirement}: ${c.what}: expected ${c.expected}, observed ${c.observed}`);

describe('the oracle on made-up observations', () => {
  const obs = (t: Truth, results: Observation['results'] = [], viewer: GraphRole = 'intune-administrator'): Observation => ({ truthStatus: 200, truth: t, viewStatus: 200, results, viewer });

  it('names DL-6 when a device-administrator reset on Android 7+ reads as done', () => {
    const m = new FleetModel();
    expect(failed(m.enrolled({ variant: 'android-da-modern', osVersion: '14', devicePasscodeSet: true }, { status: 201, id: 'd0', truth: truth() }))).toEqual([]);
    const checks = m.acted(0, 'resetPasscode', 'helpdesk-operator', 204, obs(truth(), [{ actionName: 'resetPasscode', actionState: 'done' }]));
    expect(failed(checks)).toEqual([expect.stringMatching(/^DL-6: actionState of resetPasscode .*expected notSupported, observed done/)]);
  });

  it('accepts either ST-3 signal for an unsupported action, never done', () => {
    const m = new FleetModel();
    m.enrolled({ variant: 'windows', devicePasscodeSet: true }, { status: 201, id: 'd0', truth: truth({ variant: 'windows' }) });
    expect(failed(m.acted(0, 'resetPasscode', 'intune-administrator', 400, obs(truth({ variant: 'windows' }))))).toEqual([]);
    expect(failed(m.acted(0, 'resetPasscode', 'intune-administrator', 400, obs(truth({ variant: 'windows' }), [{ actionName: 'resetPasscode', actionState: 'notSupported' }])))).toEqual([]);
    // RL-3 insists on the synchronous 400 for Windows remote lock.
    const results = [{ actionName: 'resetPasscode' as const, actionState: 'notSupported' as const }, { actionName: 'remoteLock' as const, actionState: 'notSupported' as const }];
    expect(failed(m.acted(0, 'remoteLock', 'intune-administrator', 204, obs(truth({ variant: 'windows' }), results)))).toEqual([
      expect.stringMatching(/^RL-3: HTTP status of remoteLock/),
    ]);
  });

  it('names RB-3 when a forbidden request leaves a trace on the device', () => {
    const m = new FleetModel();
    m.enrolled({ variant: 'ae-fully-managed', devicePasscodeSet: true }, { status: 201, id: 'd0', truth: truth({ variant: 'ae-fully-managed' }) });
    const checks = m.acted(0, 'resetPasscode', 'read-only-operator', 403, obs(truth({ variant: 'ae-fully-managed' }), [{ actionName: 'resetPasscode', actionState: 'pending' }], 'read-only-operator'));
    expect(failed(checks)).toEqual([expect.stringMatching(/^RB-3: actionState of resetPasscode/)]);
  });

  it('names TP-5 when a role that may not reset sees the temporary passcode', () => {
    const m = new FleetModel();
    m.enrolled({ variant: 'ae-fully-managed', devicePasscodeSet: true }, { status: 201, id: 'd0', truth: truth({ variant: 'ae-fully-managed' }) });
    m.acted(0, 'resetPasscode', 'intune-administrator', 204, obs(truth({ variant: 'ae-fully-managed', pendingCommands: 1 }), [{ actionName: 'resetPasscode', actionState: 'pending', passcode: null }]));
    const checks = m.acted(0, 'remoteLock', 'endpoint-security-manager', 204, obs(truth({ variant: 'ae-fully-managed', pendingCommands: 2 }), [
      { actionName: 'resetPasscode', actionState: 'pending', passcode: '12345678' },
      { actionName: 'remoteLock', actionState: 'pending', unlockPin: null },
    ], 'endpoint-security-manager'));
    expect(failed(checks)).toEqual([expect.stringMatching(/^TP-5: temporary passcode .* shown to endpoint-security-manager/)]);
  });

  it('holds an action pending until the device checks in (ST-2), and requires delivery within the convergence deadline', () => {
    const m = new FleetModel();
    m.enrolled({ variant: 'ae-dedicated', devicePasscodeSet: true }, { status: 201, id: 'd0', truth: truth({ variant: 'ae-dedicated' }) });
    m.acted(0, 'remoteLock', 'intune-administrator', 204, obs(truth({ variant: 'ae-dedicated', pendingCommands: 1 }), [{ actionName: 'remoteLock', actionState: 'pending' }]));
    const stale = m.advanced('PT1H', 3_600_000, 200, new Map([[0, obs(truth({ variant: 'ae-dedicated', pendingCommands: 1 }), [{ actionName: 'remoteLock', actionState: 'pending' }])]]));
    expect(failed(stale)).toContain('ST-2: pendingCommands of device 0 (ae-dedicated) PT1H later: expected 0, observed 1');
  });

  it('takes a second request of a pending action refused with 409 (ST-2), and names the platform row for anything else', () => {
    const m = new FleetModel();
    const t0 = truth({ variant: 'ae-fully-managed', online: false, pendingCommands: 1 });
    const pending = [{ actionName: 'resetPasscode' as const, actionState: 'pending' as const }];
    m.enrolled({ variant: 'ae-fully-managed', devicePasscodeSet: true, online: false }, { status: 201, id: 'd0', truth: { ...t0, pendingCommands: 0 } });
    expect(failed(m.acted(0, 'resetPasscode', 'intune-administrator', 204, obs(t0, pending)))).toEqual([]);
    expect(failed(m.acted(0, 'resetPasscode', 'helpdesk-operator', 409, obs(t0, pending)))).toEqual([]);
    expect(failed(m.acted(0, 'resetPasscode', 'helpdesk-operator', 500, obs(t0, pending)))).toEqual([expect.stringMatching(/^DL-2: HTTP status of resetPasscode .* expected one of 204, 409, observed 500/)]);
  });

  it('counts TP-3 from the request: a passcode delivered days later is still hidden seven days after the request', () => {
    const m = new FleetModel();
    const t0 = truth({ variant: 'ae-fully-managed', online: false });
    m.enrolled({ variant: 'ae-fully-managed', devicePasscodeSet: true, online: false }, { status: 201, id: 'd0', truth: t0 });
    expect(failed(m.acted(0, 'resetPasscode', 'intune-administrator', 204, obs({ ...t0, pendingCommands: 1 }, [{ actionName: 'resetPasscode', actionState: 'pending' }])))).toEqual([]);
    const pending = [{ actionName: 'resetPasscode' as const, actionState: 'pending' as const }];
    expect(failed(m.advanced('P5D', 5 * 86_400_000, 200, new Map([[0, obs({ ...t0, pendingCommands: 1 }, pending)]])))).toEqual([]);
    const on = truth({ variant: 'ae-fully-managed', lockScreen: 'locked', devicePasscode: 'temporary' });
    const shown = [{ actionName: 'resetPasscode' as const, actionState: 'done' as const, passcode: '12345678' }];
    expect(failed(m.evented(0, { type: 'goOnline' }, 200, obs(on, shown)))).toEqual([]);
    // Six days after delivery but eight after the request: the admin must no longer see it.
    const late = m.advanced('P3D', 3 * 86_400_000, 200, new Map([[0, obs(on, shown)]]));
    expect(failed(late)).toEqual([expect.stringMatching(/^TP-3: temporary passcode \(passcode\) shown to intune-administrator .*expected one of null, absent, observed present/)]);
  });
});

/** Hand-written sequences whose every comparison must hold on the reference. */
const SEQUENCES: Record<string, Step[]> = {
  'AN-1 to AN-4 on a personally-owned work profile': [
    { op: 'enroll', spec: { variant: 'ae-work-profile-personal', osVersion: '13', workProfilePasswordSet: true, devicePasscodeSet: true } },
    { op: 'act', device: 0, action: 'resetPasscode', role: 'helpdesk-operator' },
    { op: 'event', device: 0, event: { type: 'checkIn' } },
    { op: 'event', device: 0, event: { type: 'reboot' } },
    { op: 'event', device: 0, event: { type: 'checkIn' } },
    { op: 'event', device: 0, event: { type: 'enterPasscode', scope: 'workProfile', passcode: 'own' } },
    { op: 'act', device: 0, action: 'resetPasscode', role: 'school-administrator' },
    { op: 'advance', duration: 'PT1H' },
    { op: 'event', device: 0, event: { type: 'enterPasscode', scope: 'workProfile', passcode: 'own' } },
    { op: 'event', device: 0, event: { type: 'enterPasscode', scope: 'workProfile', passcode: 'learned' } },
    { op: 'event', device: 0, event: { type: 'setPasscode', scope: 'workProfile', passcode: '2468' } },
    { op: 'audits', device: 0 },
  ],
  'RL-5 on macOS, then a wipe': [
    { op: 'enroll', spec: { variant: 'macos', devicePasscodeSet: false, online: false } },
    { op: 'act', device: 0, action: 'remoteLock', role: 'endpoint-security-manager' },
    { op: 'event', device: 0, event: { type: 'goOnline' } },
    { op: 'act', device: 0, action: 'remoteLock', role: 'intune-administrator' },
    { op: 'event', device: 0, event: { type: 'checkIn' } },
    { op: 'event', device: 0, event: { type: 'enterPasscode', scope: 'device', passcode: 'wrong' } },
    { op: 'event', device: 0, event: { type: 'reboot' } },
    { op: 'event', device: 0, event: { type: 'enterPasscode', scope: 'device', passcode: 'learned' } },
    { op: 'act', device: 0, action: 'resetPasscode', role: 'intune-administrator' },
    { op: 'act', device: 0, action: 'wipe', role: 'role-administrator' },
    { op: 'act', device: 0, action: 'wipe', role: 'global-administrator' },
    { op: 'event', device: 0, event: { type: 'checkIn' } },
    { op: 'audits', device: 0 },
  ],
  'IR-2 removal, TP-2 and TP-3 on AOSP': [
    { op: 'enroll', spec: { variant: 'ios-device', unlockToken: 'good', passcodeCompliancePolicy: true, devicePasscodeSet: true } },
    { op: 'act', device: 0, action: 'resetPasscode', role: 'helpdesk-operator' },
    { op: 'advance', duration: 'PT10S' },
    { op: 'event', device: 0, event: { type: 'setPasscode', scope: 'device', passcode: '2468' } },
    { op: 'enroll', spec: { variant: 'aosp-userless', passcodePolicy: true, devicePasscodeSet: true } },
    { op: 'act', device: 1, action: 'resetPasscode', role: 'role-administrator' },
    { op: 'event', device: 1, event: { type: 'checkIn' } },
    { op: 'event', device: 1, event: { type: 'enterPasscode', scope: 'device', passcode: 'own' } },
    { op: 'event', device: 1, event: { type: 'enterPasscode', scope: 'device', passcode: 'learned' } },
    { op: 'advance', duration: 'P7DT1H' },
  ],
};

describe('the oracle on the reference MDM', () => {
  let target: Target;
  beforeAll(async () => {
    target = await embeddedTarget({ seed: 5 });
  });
  afterAll(async () => {
    await target.close();
  });

  it.each(Object.entries(SEQUENCES))('%s: every comparison holds', async (_name, steps) => {
    const io = clientIO(target.client);
    await io.reset();
    const model = new FleetModel();
    const seen = new Set<string>();
    for (const step of steps) {
      expect(canRun(model, step), describeStep(step)).toBe(true);
      const checks = await runStep(model, io, step);
      expect(failed(checks), describeStep(step)).toEqual([]);
      for (const c of checks) seen.add(c.requirement);
    }
    expect(seen.size).toBeGreaterThan(5);
  });
});
