import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { runBattery, requestFor } from './hostile-battery.js';
import { rawRequest } from './raw-http.js';

let s: TestServer;
let deviceId = '';
let admin = '';
let sim = '';

beforeAll(async () => {
  s = await startTestServer({ devices: 50, maxDevices: 5000 });
  deviceId = await s.enroll({ variant: 'ae-fully-managed' });
  admin = await s.token('helpdesk-operator');
  sim = await s.token('sim-controller');
});
afterAll(() => s.close());

describe('hostile-input battery', () => {
  it('answers at least 200 hostile requests with 0 5xx and every 4xx in Graph error shape (OAuth shape at the token endpoint)', async () => {
    const { requests, problems, statuses } = await runBattery({ url: s.url, deviceId, admin, sim });
    expect(requests).toBeGreaterThanOrEqual(200);
    expect(problems).toEqual([]);
    // The battery reaches the answers it is about, not only one kind.
    for (const status of [400, 401, 404, 405, 409, 413, 431]) expect(statuses.get(status) ?? 0, `HTTP ${status}`).toBeGreaterThan(0);
  });

  it('never reflects the Host header into @odata.context or @odata.nextLink', async () => {
    const request = requestFor('evil.example');
    const r = await rawRequest(s.url, request('GET', '/beta/deviceManagement/managedDevices?$top=1', { authorization: `Bearer ${admin}` }));
    expect(r.status).toBe(200);
    const body = JSON.parse(r.body) as Record<string, string>;
    expect(body['@odata.context']).toMatch(new RegExp(`^${s.url}/`));
    expect(body['@odata.nextLink']).toMatch(new RegExp(`^${s.url}/`));
  });

  it('refuses the spoofing characters and clock jumps of the issue with a message naming them', async () => {
    const name = await s.sim('POST', '/sim/devices', { variant: 'windows', deviceName: 'gpj\u202Eexe' });
    expect(name.status).toBe(400);
    expect(name.body.error.message).toMatch(/U\+202E/);
    const jump = await s.sim('POST', '/sim/clock', { advance: 'P100000W' });
    expect(jump.status).toBe(400);
    expect(jump.body.error.message).toMatch(/P400D/);
    const ok = await s.sim('POST', '/sim/clock', { advance: 'P400D' });
    expect(ok.status).toBe(200);
  });
});
