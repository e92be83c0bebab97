import { describe, expect, it } from 'vitest';
import { AppleFleetWire } from '../apple/fleet-wire.js';
import { createApp } from './app.js';
import { createAuthConfig } from './auth.js';
import { ReferenceMdm } from './reference-mdm.js';

async function app(wired = true) {
  const mdm = new ReferenceMdm({ seed: 4, ...(wired ? { appleWire: await AppleFleetWire.create(4) } : {}) });
  const hono = createApp({ mdm, auth: createAuthConfig() });
  const token = async () => {
    const r = await hono.request('/oauth2/v2.0/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials&client_id=sim-controller&client_secret=sim-controller' });
    return ((await r.json()) as { access_token: string }).access_token;
  };
  const bearer = `Bearer ${await token()}`;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await hono.request(path, { method, headers: { authorization: bearer, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    return { status: r.status, body: (await r.json()) as any };
  };
  const enroll = async (spec: Record<string, unknown>) => (await call('POST', '/sim/devices', spec)).body.id as string;
  return { call, enroll };
}

describe('/sim/devices/{id}/apple: an Apple device acting on the protocol', () => {
  it('enroll, poll, checkOut: the device side shows it; a poll after CheckOut is a 409, not a crash', async () => {
    const { call, enroll } = await app();
    const id = await enroll({ variant: 'ios-device', devicePasscodeSet: true });
    expect((await call('GET', `/sim/devices/${id}/apple`)).body).toMatchObject({ id, enrolled: false, received: [] });
    expect((await call('POST', `/sim/devices/${id}/apple`, { action: 'enroll' })).body).toEqual({ id, handled: [] });
    expect((await call('GET', `/sim/devices/${id}/apple`)).body).toMatchObject({ enrolled: true, checkedOut: false, enrollmentId: id.toUpperCase() });
    expect((await call('POST', `/sim/devices/${id}/apple`, { action: 'poll' })).body.handled).toEqual([]);
    expect((await call('POST', `/sim/devices/${id}/apple`, { action: 'checkOut' })).status).toBe(200);
    const after = await call('POST', `/sim/devices/${id}/apple`, { action: 'poll' });
    expect(after.status).toBe(409);
    expect(after.body.error.message).toMatch(/NOT_ENROLLED/);
  });

  it.each([
    [{}, /Field 'action' is required/],
    [{ action: 'dance' }, /action/],
    [{ action: 'notNow' }, /notNow needs 'count'/],
    [{ action: 'notNow', count: 0 }, /notNow needs 'count'/],
    [{ action: 'poll', count: 2 }, /'count' only applies to notNow/],
    [{ action: 'tokenUpdate', rotateUnlockToken: true, withoutUnlockToken: true }, /cannot both/],
    [{ action: 'enroll', extra: 1 }, /extra/],
  ])('refuses %j with a Graph 400', async (body, message) => {
    const { call, enroll } = await app();
    const id = await enroll({ variant: 'macos' });
    const r = await call('POST', `/sim/devices/${id}/apple`, body);
    expect(r.status).toBe(400);
    expect(r.body.error.message).toMatch(message);
  });

  it('is a 409 for an Android device, and for every device when Apple commands are in-process; 404 for an unknown id', async () => {
    const { call, enroll } = await app();
    const android = await enroll({ variant: 'ae-fully-managed' });
    expect((await call('GET', `/sim/devices/${android}/apple`)).status).toBe(409);
    expect((await call('POST', `/sim/devices/${android}/apple`, { action: 'poll' })).status).toBe(409);
    expect((await call('GET', '/sim/devices/00000000-0000-4000-8000-000000000000/apple')).status).toBe(404);
    const direct = await app(false);
    const mac = await direct.enroll({ variant: 'macos' });
    const r = await direct.call('POST', `/sim/devices/${mac}/apple`, { action: 'enroll' });
    expect(r.status).toBe(409);
    expect(r.body.error.message).toMatch(/--apple-commands direct/);
    expect((await direct.call('POST', `/sim/devices/${mac}/apple`, '{not json')).status).toBe(400);
  });
});
