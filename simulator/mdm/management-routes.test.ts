import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_NAMES, type RoleName } from '../../contract/roles.js';
import { MANAGED_DEVICE_FIELDS } from './serialize.js';
import { PROPERTY_NAMES_BY_VERSION } from './graph-schema/managed-device.js';
import { startTestServer, type TestServer } from './test-support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const RESETTERS: RoleName[] = ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator'];
const LOCKERS: RoleName[] = [...RESETTERS, 'endpoint-security-manager'];
const WIPERS: RoleName[] = ['global-administrator', 'intune-administrator', 'helpdesk-operator'];
const READERS: RoleName[] = ROLE_NAMES.filter((r) => r !== 'sim-controller');

const device = async (id: string, role: RoleName = 'global-administrator') => (await s.graph(role, 'GET', `/managedDevices/${id}`)).body;
const auditsOf = async (id: string) =>
  (await s.graph('global-administrator', 'GET', `/remoteActionAudits?$top=1000&$filter=managedDeviceId eq '${id}'`)).body.value as Array<Record<string, unknown>>;
const result = async (id: string, action: string, role: RoleName = 'global-administrator') =>
  ((await device(id, role)).deviceActionResults as Array<Record<string, unknown>>).find((r) => r.actionName === action);

describe('role x action matrix (RB-1..RB-3)', () => {
  const cases: Array<[RoleName, 'resetPasscode' | 'remoteLock' | 'wipe', number]> = [];
  for (const role of ROLE_NAMES) {
    cases.push([role, 'resetPasscode', RESETTERS.includes(role) ? 204 : 403]);
    cases.push([role, 'remoteLock', LOCKERS.includes(role) ? 204 : 403]);
    cases.push([role, 'wipe', WIPERS.includes(role) ? 204 : 403]);
  }

  it.each(cases)('%s %s -> %i, and a 403 leaves no trace', async (role, action, expected) => {
    const id = await s.enroll({ variant: 'ae-fully-managed' });
    const r = await s.graph(role, 'POST', `/managedDevices/${id}/${action}`);
    expect(r.status).toBe(expected);
    const audits = await auditsOf(id);
    const truth = (await s.sim('GET', `/sim/devices/${id}`)).body;
    if (expected === 204) {
      expect(r.text).toBe('');
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ managedDeviceId: id, initiatedByUserPrincipalName: role, actionState: 'pending' });
      expect(truth.pendingCommands).toBe(1);
    } else {
      expect(r.body.error.code).toBe('Forbidden');
      expect(audits).toHaveLength(0);
      expect((await device(id)).deviceActionResults).toEqual([]);
      expect(truth.pendingCommands).toBe(0);
    }
  });

  it.each(ROLE_NAMES.map((r) => [r, READERS.includes(r) ? 200 : 403] as const))('%s reads devices and audits -> %i', async (role, expected) => {
    expect((await s.graph(role, 'GET', '/managedDevices?$top=1')).status).toBe(expected);
    expect((await s.graph(role, 'GET', '/remoteActionAudits?$top=1')).status).toBe(expected);
  });

  it.each(ROLE_NAMES.map((r) => [r, r === 'sim-controller' ? 200 : 403] as const))('%s on the simulation API -> %i', async (role, expected) => {
    expect((await s.req(role, 'GET', '/sim/clock')).status).toBe(expected);
  });

  it('forbidden actions on an unknown device are still 403 (no existence leak)', async () => {
    const r = await s.graph('read-only-operator', 'POST', '/managedDevices/00000000-0000-4000-8000-000000000000/resetPasscode');
    expect(r.status).toBe(403);
  });
});

describe('temporary passcode visibility (TP-3, TP-5)', () => {
  it('shows the passcode only to roles that may reset; others read null', async () => {
    const id = await s.enroll({ variant: 'ae-fully-managed' });
    expect((await s.graph('helpdesk-operator', 'POST', `/managedDevices/${id}/resetPasscode`)).status).toBe(204);
    await s.sim('POST', `/sim/devices/${id}/events`, { type: 'checkIn' });
    for (const role of READERS) {
      const r = await result(id, 'resetPasscode', role);
      expect(r).toMatchObject({ '@odata.type': '#microsoft.graph.resetPasscodeActionResult', actionState: 'done', errorCode: 0 });
      if (RESETTERS.includes(role)) expect(r!.passcode).toMatch(/^\d{8}$/);
      else expect(r!.passcode).toBeNull();
    }
    const audits = await auditsOf(id);
    expect(JSON.stringify(audits)).not.toContain(String((await result(id, 'resetPasscode'))!.passcode));
  });

  it('keeps the passcode visible for seven simulated days and not after', async () => {
    const id = await s.enroll({ variant: 'ae-fully-managed' });
    await s.graph('global-administrator', 'POST', `/managedDevices/${id}/resetPasscode`);
    await s.sim('POST', `/sim/devices/${id}/events`, { type: 'checkIn' });
    expect((await result(id, 'resetPasscode'))!.passcode).toMatch(/^\d+$/);
    await s.sim('POST', '/sim/clock', { advance: 'P6DT23H' });
    expect((await result(id, 'resetPasscode'))!.passcode).toMatch(/^\d+$/);
    await s.sim('POST', '/sim/clock', { advance: 'PT1H' });
    expect((await result(id, 'resetPasscode'))!.passcode).toBeNull();
  });

  it('shows the macOS unlockPin of a remote lock only to roles that may reset', async () => {
    const id = await s.enroll({ variant: 'macos' });
    expect((await s.graph('endpoint-security-manager', 'POST', `/managedDevices/${id}/remoteLock`)).status).toBe(204);
    expect((await result(id, 'remoteLock', 'global-administrator'))!.unlockPin).toMatch(/^\d{6}$/);
    expect((await result(id, 'remoteLock', 'endpoint-security-manager'))!.unlockPin).toBeNull();
    expect((await result(id, 'remoteLock'))!['@odata.type']).toBe('#microsoft.graph.remoteLockActionResult');
  });
});

describe('action outcomes', () => {
  it('an unsupported action is 400 BadRequest and recorded as notSupported in both places', async () => {
    const id = await s.enroll({ variant: 'windows' });
    const r = await s.graph('global-administrator', 'POST', `/managedDevices/${id}/resetPasscode`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BadRequest');
    expect(r.body.error.message).toMatch(/resetPasscode is not supported on this platform/);
    expect((await result(id, 'resetPasscode'))!.actionState).toBe('notSupported');
    expect((await auditsOf(id))[0]).toMatchObject({ action: 'resetPasscode', actionState: 'notSupported' });
    const lock = await s.graph('global-administrator', 'POST', `/managedDevices/${id}/remoteLock`);
    expect(lock.status).toBe(400);
  });

  it('a second action while one is pending is 409 Conflict and changes nothing', async () => {
    const id = await s.enroll({ variant: 'ae-fully-managed', online: false });
    expect((await s.graph('global-administrator', 'POST', `/managedDevices/${id}/resetPasscode`)).status).toBe(204);
    const before = await result(id, 'resetPasscode');
    const again = await s.graph('intune-administrator', 'POST', `/managedDevices/${id}/resetPasscode`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('Conflict');
    expect(again.body.error.message).toBe('resetPasscode is already pending for this device; wait until it completes');
    expect(await auditsOf(id)).toHaveLength(1);
    expect(await result(id, 'resetPasscode')).toEqual(before);
  });

  it('an action on an offline device stays pending until goOnline, then completes', async () => {
    const id = await s.enroll({ variant: 'ae-fully-managed', online: false });
    expect((await s.graph('global-administrator', 'POST', `/managedDevices/${id}/remoteLock`)).status).toBe(204);
    await s.sim('POST', '/sim/clock', { advance: 'P1D' });
    expect((await result(id, 'remoteLock'))!.actionState).toBe('pending');
    expect((await s.sim('GET', `/sim/devices/${id}`)).body.pendingCommands).toBe(1);
    const online = await s.sim('POST', `/sim/devices/${id}/events`, { type: 'goOnline' });
    expect(online.status).toBe(200);
    expect(online.body.pendingCommands).toBe(0);
    expect((await result(id, 'remoteLock'))!.actionState).toBe('done');
    expect((await auditsOf(id))[0]!.actionState).toBe('done');
  });

  it('an online device checks in on its own after a push (simulated seconds)', async () => {
    const id = await s.enroll({ variant: 'aosp-userless', passcodePolicy: false });
    await s.graph('global-administrator', 'POST', `/managedDevices/${id}/remoteLock`);
    await s.sim('POST', '/sim/clock', { advance: 'PT1M' });
    const r = await result(id, 'remoteLock');
    expect(r).toMatchObject({ actionState: 'failed', errorCode: 1301 });
  });

  it('404 ResourceNotFound with the id for an unknown device', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';
    for (const [method, path] of [
      ['GET', `/managedDevices/${unknown}`],
      ['POST', `/managedDevices/${unknown}/resetPasscode`],
      ['POST', `/managedDevices/${unknown}/wipe`],
    ] as const) {
      const r = await s.graph('global-administrator', method, path);
      expect(r.status).toBe(404);
      expect(r.body.error.code).toBe('ResourceNotFound');
      expect(r.body.error.message).toContain(unknown);
    }
  });

  it('validates the wipe body strictly and takes no body on the other actions', async () => {
    const id = await s.enroll({ variant: 'ios-device' });
    const wipe = (json: unknown) => s.graph('global-administrator', 'POST', `/managedDevices/${id}/wipe`, { json });
    expect((await wipe({ keepUserData: 'yes' })).body.error.message).toMatch(/'keepUserData' must be a boolean/);
    expect((await wipe({ erase: true })).body.error.message).toMatch(/The parameter 'erase' in the request payload is not a valid parameter for the operation 'wipe'/);
    expect((await wipe({ macOsUnlockCode: 123456 })).status).toBe(400);
    expect((await wipe({ persistEsimDataPlan: 'no' })).body.error.message).toMatch(/'persistEsimDataPlan' must be a boolean/);
    expect((await wipe([])).status).toBe(400);
    expect(await auditsOf(id)).toHaveLength(0);
    const lockBody = await s.graph('global-administrator', 'POST', `/managedDevices/${id}/remoteLock`, { json: { message: 'hi' } });
    expect(lockBody.status).toBe(400);
    expect((await s.graph('global-administrator', 'POST', `/managedDevices/${id}/remoteLock`, { json: {} })).status).toBe(204);
    // v1.0's published parameters, persistEsimDataPlan included.
    const v1Wipe = await s.req('global-administrator', 'POST', `/v1.0/deviceManagement/managedDevices/${id}/wipe`, { json: { keepEnrollmentData: false, keepUserData: false, macOsUnlockCode: '123456', persistEsimDataPlan: true } });
    expect(v1Wipe.status).toBe(204);
    const audits = await auditsOf(id);
    expect(audits.map((a) => a.action)).toEqual(['factoryReset', 'remoteLock']);
    expect((await result(id, 'wipe'))!['@odata.type']).toBe('#microsoft.graph.deviceActionResult');
  });
});

describe('resources', () => {
  it('a managedDevice has the contract shape under both versions', async () => {
    const id = await s.enroll({ variant: 'ios-device', deviceName: "Ana's iPhone" });
    for (const version of ['v1.0', 'beta']) {
      const r = await s.req('read-only-operator', 'GET', `/${version}/deviceManagement/managedDevices/${id.toUpperCase()}`);
      expect(r.status).toBe(200);
      expect(r.body['@odata.context']).toMatch(new RegExp(`/${version.replace('.', '\\.')}/\\$metadata#deviceManagement/managedDevices/\\$entity$`));
      expect(Object.keys(r.body).slice(1)).toEqual([...PROPERTY_NAMES_BY_VERSION[version as 'v1.0' | 'beta']]);
      expect(r.body).toMatchObject({ id, deviceName: "Ana's iPhone", isSupervised: true, deviceActionResults: [] });
      expect(['iOS', 'iPadOS']).toContain(r.body.operatingSystem);
      expect(new Date(r.body.lastSyncDateTime).toISOString()).toBe(r.body.lastSyncDateTime);
    }
    const selected = await s.graph('read-only-operator', 'GET', `/managedDevices/${id}?$select=id,osVersion`);
    expect(Object.keys(selected.body)).toEqual(['@odata.context', 'id', 'osVersion']);
    expect((await s.graph('read-only-operator', 'GET', `/managedDevices/${id}?$select=secret`)).status).toBe(400);
    // Every published v1.0 property is selectable; beta-only ones only on beta.
    const all = await s.req('read-only-operator', 'GET', `/v1.0/deviceManagement/managedDevices/${id}?$select=${MANAGED_DEVICE_FIELDS.join(',')}`);
    expect(all.status).toBe(200);
    expect(Object.keys(all.body).slice(1)).toEqual([...MANAGED_DEVICE_FIELDS]);
    expect(all.body).toMatchObject({ complianceState: expect.stringMatching(/^(compliant|noncompliant)$/), managementState: 'managed', isEncrypted: true });
    expect((await s.req('read-only-operator', 'GET', `/v1.0/deviceManagement/managedDevices/${id}?$select=joinType`)).status).toBe(400);
    expect((await s.req('read-only-operator', 'GET', `/beta/deviceManagement/managedDevices/${id}?$select=joinType`)).body).toMatchObject({ joinType: 'unknown' });
    expect((await s.graph('read-only-operator', 'GET', `/managedDevices/${id}?$top=1`)).status).toBe(400);
  });

  it('remoteActionAudits are newest first, paged, countable and never carry a passcode', async () => {
    const ids = [await s.enroll({ variant: 'ae-dedicated' }), await s.enroll({ variant: 'ae-dedicated' }), await s.enroll({ variant: 'ae-dedicated' })];
    for (const id of ids) await s.graph('school-administrator', 'POST', `/managedDevices/${id}/resetPasscode`);
    const first = await s.graph('global-administrator', 'GET', '/remoteActionAudits?$top=2&$count=true');
    expect(first.status).toBe(200);
    expect(first.body.value.map((a: { managedDeviceId: string }) => a.managedDeviceId)).toEqual([ids[2], ids[1]]);
    expect(first.body['@odata.count']).toBe(s.mdm.auditCount);
    expect(Object.keys(first.body.value[0]).sort()).toEqual(
      ['action', 'actionState', 'deviceDisplayName', 'deviceIMEI', 'deviceOwnerUserPrincipalName', 'id', 'initiatedByUserPrincipalName', 'managedDeviceId', 'requestDateTime', 'userName'].sort(),
    );
    expect(first.body.value[0]).toMatchObject({ action: 'resetPasscode', initiatedByUserPrincipalName: 'school-administrator' });
    const next = new URL(first.body['@odata.nextLink']);
    const second = await s.req('global-administrator', 'GET', next.pathname + next.search);
    expect(second.body.value[0].managedDeviceId).toBe(ids[0]);
    expect(JSON.stringify([first.body, second.body])).not.toMatch(/"passcode"|"unlockPin"/);
    const filtered = await s.graph('global-administrator', 'GET', `/remoteActionAudits?$filter=managedDeviceId eq '${ids[1]}'&$count=true`);
    expect(filtered.body['@odata.count']).toBe(1);
    expect(filtered.body.value).toHaveLength(1);
    expect((await s.graph('global-administrator', 'GET', "/remoteActionAudits?$filter=action eq 'wipe'")).status).toBe(400);
  });
});
