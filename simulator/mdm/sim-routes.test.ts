import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFacts } from '../device-facts.js';
import { generateFleet } from '../fleet-generator.js';
import { startTestServer, type TestServer } from './test-support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

describe('POST /sim/devices', () => {
  it('enrolls a device with defaults and answers 201 with the managedDevice and its ground truth', async () => {
    const r = await s.sim('POST', '/sim/devices', { variant: 'ios-device' });
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`/sim/devices/${r.body.id}`);
    expect(r.body).toMatchObject({ osVersion: defaultFacts('ios-device').osVersion, isSupervised: true, deviceActionResults: [] });
    expect(r.body.sim).toMatchObject({ variant: 'ios-device', online: true, enrolled: true, devicePasscode: 'user', pendingCommands: 0 });
    expect(s.mdm.get(r.body.id)!.profile.facts).toEqual(defaultFacts('ios-device'));
  });

  it('pins the facts it is given', async () => {
    const r = await s.sim('POST', '/sim/devices', {
      variant: 'ae-work-profile-personal',
      osVersion: '7.1',
      deviceName: 'byod-7',
      workProfilePasswordSet: false,
      online: false,
      devicePasscodeSet: false,
      passcodePolicy: false,
      unlockToken: 'missing',
      passcodeCompliancePolicy: false,
      supervised: false,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ deviceName: 'byod-7', osVersion: '7.1', operatingSystem: 'Android' });
    expect(r.body.sim).toMatchObject({ online: false, devicePasscode: 'none' });
    expect(s.mdm.get(r.body.id)!.profile.facts).toMatchObject({ osVersion: '7.1', workProfilePasswordSet: false, online: false });
  });

  it.each([
    [{}, /'variant' is required/],
    [{ variant: 'blackberry' }, /'variant' must be one of android-da-legacy/],
    [{ variant: 'android-da-legacy', osVersion: '8.0' }, /osVersion '8.0' is outside 4.4 to 6.0 for android-da-legacy/],
    [{ variant: 'ios-device', osVersion: 'latest' }, /not a version number/],
    [{ variant: 'ios-device', online: 'yes' }, /'online' must be a boolean/],
    [{ variant: 'ios-device', supervised: 1 }, /'supervised' must be a boolean/],
    [{ variant: 'ios-device', unlockToken: 'stolen' }, /'unlockToken' must be one of 'good', 'bad', 'missing'/],
    [{ variant: 'ios-device', colour: 'red' }, /Unknown field 'colour'/],
    [{ variant: 'ios-device', deviceName: '' }, /'deviceName' must not be empty/],
    [{ variant: 'ios-device', deviceName: 7 }, /'deviceName' must be a string/],
  ])('400 for %j', async (body, message) => {
    const before = s.mdm.size;
    const r = await s.sim('POST', '/sim/devices', body);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BadRequest');
    expect(r.body.error.message).toMatch(message);
    expect(s.mdm.size).toBe(before);
  });
});

describe('POST /sim/fleet', () => {
  it('enrolls the generated fleet of the seed (same seed, same fleet) and refuses to enroll it twice', async () => {
    const r = await s.sim('POST', '/sim/fleet', { count: 40, seed: 5, returnIds: true, mix: { windows: 1, macos: 1 } });
    expect(r.status).toBe(201);
    expect(r.body.count).toBe(40);
    expect(r.body.ids).toEqual(generateFleet({ count: 40, seed: 5, mix: { windows: 1, macos: 1 } }).map((p) => p.id));
    const before = s.mdm.size;
    const again = await s.sim('POST', '/sim/fleet', { count: 60, seed: 5 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('Conflict');
    expect(s.mdm.size).toBe(before);
    const more = await s.sim('POST', '/sim/fleet', { count: 10, seed: 5, startIndex: 40 });
    expect(more.status).toBe(201);
    expect(more.body).toEqual({ count: 10, total: before + 10 });
  });

  it.each([
    [{ count: 0, seed: 1 }, /count must be an integer from 1/],
    [{ seed: 1 }, /count must be an integer/],
    [{ count: 5, seed: -1 }, /seed must be an integer/],
    [{ count: 5, seed: 1, mix: { blackberry: 1 } }, /mix key 'blackberry' is not a variant/],
    [{ count: 5, seed: 1, color: 'red' }, /unknown fleet option 'color'/],
    [{ count: 5, seed: 1, returnIds: 'yes' }, /'returnIds' must be a boolean/],
  ])('400 for %j', async (body, message) => {
    const r = await s.sim('POST', '/sim/fleet', body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });
});

describe('device truth and events', () => {
  it('GET /sim/devices/{id} answers the ground truth with pendingCommands; 404 for an unknown id', async () => {
    const id = await s.enroll({ variant: 'ae-fully-managed', online: false });
    await s.graph('global-administrator', 'POST', `/managedDevices/${id}/remoteLock`);
    const r = await s.sim('GET', `/sim/devices/${id}`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id, variant: 'ae-fully-managed', online: false, enrolled: true, lockScreen: 'unlocked', devicePasscode: 'user', passcodePrompt: false, pendingCommands: 1 });
    const missing = await s.sim('GET', '/sim/devices/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('ResourceNotFound');
  });

  it('takes each event type and answers the new truth', async () => {
    const id = await s.enroll({ variant: 'ae-fully-managed' });
    const event = (body: Record<string, unknown>) => s.sim('POST', `/sim/devices/${id}/events`, body);
    expect((await event({ type: 'goOffline' })).body.online).toBe(false);
    expect((await event({ type: 'goOnline' })).body.online).toBe(true);
    expect((await event({ type: 'enterPasscode' })).body.lockScreen).toBe('unlocked');
    expect((await event({ type: 'reboot' })).status).toBe(200);
    expect((await event({ type: 'wake' })).status).toBe(200);
    expect((await event({ type: 'checkIn' })).status).toBe(200);
    expect((await event({ type: 'enterPasscode', passcode: '000000', scope: 'device' })).status).toBe(200);
    const wrongScope = await event({ type: 'enterPasscode', scope: 'workProfile' });
    expect(wrongScope.status).toBe(409);
    expect(wrongScope.body.error.message).toMatch(/NO_WORK_PROFILE/);
  });

  it('409 Conflict for an event the device cannot take (entering a passcode on a device with none)', async () => {
    const id = await s.enroll({ variant: 'ae-fully-managed', devicePasscodeSet: false });
    const r = await s.sim('POST', `/sim/devices/${id}/events`, { type: 'enterPasscode' });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'Conflict' });
    expect(r.body.error.message).toMatch(/NO_PASSCODE/);
    const set = await s.sim('POST', `/sim/devices/${id}/events`, { type: 'setPasscode', passcode: '135790' });
    expect(set.status).toBe(200);
    expect(set.body.devicePasscode).toBe('user');
  });

  it.each([
    [{}, /'type' is required/],
    [{ type: 'explode' }, /'type' must be one of/],
    [{ type: 'setPasscode' }, /setPasscode requires the new 'passcode'/],
    [{ type: 'setPasscode', passcode: 1234 }, /'passcode' must be a string/],
    [{ type: 'enterPasscode', passcode: '' }, /must not be empty/],
    [{ type: 'reboot', passcode: '1' }, /only apply to enterPasscode and setPasscode/],
    [{ type: 'enterPasscode', scope: 'everything' }, /'scope' must be one of 'device', 'workProfile'/],
    [{ type: 'checkIn', when: 'now' }, /Unknown field 'when'/],
  ])('400 for the event %j', async (body, message) => {
    const id = s.mdm.deviceAt(0)!.profile.id;
    const r = await s.sim('POST', `/sim/devices/${id}/events`, body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });
});

describe('clock, stats, fleet removal', () => {
  it('reads and moves the simulated clock, never back', async () => {
    const start = (await s.sim('GET', '/sim/clock')).body;
    expect(start.mode).toBe('manual');
    const moved = await s.sim('POST', '/sim/clock', { advance: 'P7DT1H' });
    expect(moved.status).toBe(200);
    expect(Date.parse(moved.body.now) - Date.parse(start.now)).toBe((7 * 24 + 1) * 3600_000);
    const target = new Date(Date.parse(moved.body.now) + 60_000).toISOString();
    expect((await s.sim('POST', '/sim/clock', { to: target })).body.now).toBe(target);
    for (const [body, message] of [
      [{ to: '2020-01-01T00:00:00Z' }, /cannot move back/],
      [{ advance: 'P1M' }, /not an ISO 8601 duration/],
      [{ advance: '-PT1H' }, /not an ISO 8601 duration/],
      [{ advance: 'P99999999D' }, /at most P400D/],
      [{ advance: 'P100000W' }, /at most P400D/],
      [{ to: '9999-01-01T00:00:00Z' }, /at most P400D/],
      [{ to: 'tomorrow' }, /'to' must be an ISO 8601 instant/],
      [{ advance: 'PT1H', to: target }, /exactly one/],
      [{}, /exactly one/],
      [{ advance: 3600 }, /'advance' must be a string/],
    ] as const) {
      const r = await s.sim('POST', '/sim/clock', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.error.message).toMatch(message);
    }
    expect((await s.sim('GET', '/sim/clock')).body.now).toBe(target);
  });

  it('GET /sim/stats counts devices and actions; DELETE /sim/fleet removes everything', async () => {
    const stats = await s.sim('GET', '/sim/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.devices).toBe(s.mdm.size);
    expect(stats.body.actions.pending + stats.body.actions.done).toBeGreaterThan(0);
    expect(Object.keys(stats.body.byState)).toContain('offline');
    expect((await s.sim('DELETE', '/sim/fleet')).status).toBe(204);
    expect((await s.sim('GET', '/sim/stats')).body).toMatchObject({ devices: 0, byVariant: {} });
    expect((await s.graph('read-only-operator', 'GET', '/managedDevices?$count=true')).body).toMatchObject({ '@odata.count': 0, value: [] });
    expect((await s.graph('read-only-operator', 'GET', '/remoteActionAudits?$count=true')).body).toMatchObject({ '@odata.count': 0, value: [] });
  });
});
