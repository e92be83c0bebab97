import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_NAMES } from '../../contract/roles.js';
import { startTestServer, type Reply, type TestServer } from './test-support/server.js';

let s: TestServer;
let deviceId: string;
beforeAll(async () => {
  s = await startTestServer();
  deviceId = await s.enroll({ variant: 'ae-fully-managed' });
});
afterAll(() => s.close());

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function expectGraphError(r: Reply, status: number, code: string, message?: RegExp) {
  expect(r.status, r.text).toBe(status);
  expect(r.headers.get('content-type')).toMatch(/^application\/json/);
  expect(r.body.error.code).toBe(code);
  expect(typeof r.body.error.message).toBe('string');
  if (message) expect(r.body.error.message).toMatch(message);
  expect(r.body.error.innerError['request-id']).toMatch(UUID);
  expect(r.headers.get('request-id')).toBe(r.body.error.innerError['request-id']);
  expect(Number.isNaN(Date.parse(r.body.error.innerError.date))).toBe(false);
}

describe('Graph error shape on every 4xx', () => {
  const events = () => `/sim/devices/${deviceId}/events`;

  it('malformed JSON is 400', async () => {
    expectGraphError(await s.req('sim-controller', 'POST', events(), { body: '{"type": "checkIn"', headers: { 'content-type': 'application/json' } }), 400, 'BadRequest', /not valid JSON/);
    expectGraphError(await s.req('sim-controller', 'POST', events(), { body: '[1,2]', headers: { 'content-type': 'application/json' } }), 400, 'BadRequest', /JSON object/);
    expectGraphError(await s.req('sim-controller', 'POST', events(), { body: 'null', headers: { 'content-type': 'application/json' } }), 400, 'BadRequest');
    expectGraphError(await s.req('sim-controller', 'POST', events(), { body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), headers: { 'content-type': 'application/json' } }), 400, 'BadRequest', /UTF-8/);
  });

  it('a missing body where one is required is 400', async () => {
    expectGraphError(await s.req('sim-controller', 'POST', events()), 400, 'BadRequest', /body is required/);
  });

  it('a body that is not declared JSON is 415', async () => {
    expectGraphError(await s.req('sim-controller', 'POST', events(), { body: '{"type":"checkIn"}', headers: { 'content-type': 'text/plain' } }), 415, 'UnsupportedMediaType');
    expectGraphError(await s.req('sim-controller', 'POST', events(), { body: 'type=checkIn', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'UnsupportedMediaType');
    expectGraphError(await s.req('global-administrator', 'POST', `/beta/deviceManagement/managedDevices/${deviceId}/wipe`, { body: '<wipe/>', headers: { 'content-type': 'application/xml' } }), 415, 'UnsupportedMediaType');
    expect((await s.req('sim-controller', 'POST', events(), { body: '{"type":"checkIn"}', headers: { 'content-type': 'application/json; charset=utf-8' } })).status).toBe(200);
  });

  it('a body over the limit is 413, by declared length or by actual bytes', async () => {
    const big = JSON.stringify({ type: 'checkIn', pad: 'x'.repeat(70_000) });
    expectGraphError(await s.req('sim-controller', 'POST', events(), { body: big, headers: { 'content-type': 'application/json' } }), 413, 'RequestEntityTooLarge');
    const chunk = new TextEncoder().encode('x'.repeat(16_384));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 6) controller.enqueue(chunk);
        else controller.close();
      },
    });
    expectGraphError(await s.req('sim-controller', 'POST', events(), { body: stream, headers: { 'content-type': 'application/json' } }), 413, 'RequestEntityTooLarge');
    expectGraphError(await s.req(null, 'POST', '/oauth2/v2.0/token', { body: 'a='.padEnd(70_000, 'b'), headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 413, 'RequestEntityTooLarge');
    expect(s.mdm.get(deviceId)!.pending).toBeNull();
  });

  it('an unknown route is 404 ResourceNotFound naming the route', async () => {
    expectGraphError(await s.req(null, 'GET', '/nowhere'), 404, 'ResourceNotFound', /^no route GET \/nowhere$/);
    expectGraphError(await s.req('sim-controller', 'POST', '/sim/teleport', { json: {} }), 404, 'ResourceNotFound');
  });

  it("a Graph path naming no resource is Graph's 400 for the segment; remoteActionAudits is beta-only", async () => {
    expectGraphError(await s.req('global-administrator', 'GET', '/beta/deviceManagement/compliancePolicies'), 400, 'BadRequest', /^Resource not found for the segment 'compliancePolicies'\.$/);
    expectGraphError(await s.req('global-administrator', 'GET', '/v1.0/deviceManagement/remoteActionAudits'), 400, 'BadRequest', /segment 'remoteActionAudits'/);
    expect((await s.req('global-administrator', 'GET', '/beta/deviceManagement/remoteActionAudits')).status).toBe(200);
  });

  it('a wrong method on a known path is 405 with Allow', async () => {
    const r = await s.req('global-administrator', 'DELETE', `/beta/deviceManagement/managedDevices/${deviceId}`);
    expectGraphError(r, 405, 'MethodNotAllowed');
    expect(r.headers.get('allow')).toBe('GET, HEAD');
    const post = await s.req('global-administrator', 'GET', `/v1.0/deviceManagement/managedDevices/${deviceId}/resetPasscode`);
    expectGraphError(post, 405, 'MethodNotAllowed');
    expect(post.headers.get('allow')).toBe('POST');
    const fleet = await s.req('sim-controller', 'GET', '/sim/fleet');
    expect(fleet.headers.get('allow')).toBe('POST, DELETE');
    expectGraphError(await s.req(null, 'PUT', '/openapi.json'), 405, 'MethodNotAllowed');
    expectGraphError(await s.req(null, 'GET', '/oauth2/v2.0/token'), 405, 'MethodNotAllowed');
  });

  it('unknown and wrongly typed fields are 400 and change nothing', async () => {
    expectGraphError(await s.sim('POST', events(), { type: 'checkIn', extra: 1 }), 400, 'BadRequest', /Unknown field 'extra'/);
    expectGraphError(await s.sim('POST', events(), { type: 42 }), 400, 'BadRequest', /'type' must be one of/);
    expectGraphError(await s.sim('POST', '/sim/devices', { variant: 'macos', online: 'false' }), 400, 'BadRequest', /'online' must be a boolean/);
  });

  it('unknown $options on any endpoint are 400', async () => {
    expectGraphError(await s.req('sim-controller', 'GET', '/sim/stats?$top=1'), 400, 'BadRequest', /not supported here/);
    expectGraphError(await s.req('global-administrator', 'POST', `/beta/deviceManagement/managedDevices/${deviceId}/remoteLock?$force=true`), 400, 'BadRequest');
  });
});

describe('request ids and logging', () => {
  it('sets request-id on every response and echoes a client-request-id', async () => {
    const ok = await s.req('global-administrator', 'GET', '/beta/deviceManagement/managedDevices?$top=1', { headers: { 'client-request-id': 'abc-123' } });
    expect(ok.headers.get('request-id')).toMatch(UUID);
    expect(ok.headers.get('client-request-id')).toBe('abc-123');
    const err = await s.req(null, 'GET', '/nope', { headers: { 'client-request-id': 'abc-456' } });
    expect(err.body.error.innerError['client-request-id']).toBe('abc-456');
    expect((await s.req(null, 'GET', '/openapi.json')).headers.get('request-id')).toMatch(UUID);
  });

  it('logs one line per request with method, path, status, ms and request id, and never a secret', async () => {
    const id = await s.enroll({ variant: 'ae-dedicated' });
    const before = s.lines.length;
    const token = await s.token('global-administrator');
    const reset = await s.graph('global-administrator', 'POST', `/managedDevices/${id}/resetPasscode`);
    await s.sim('POST', `/sim/devices/${id}/events`, { type: 'checkIn' });
    const read = await s.graph('global-administrator', 'GET', `/managedDevices/${id}`);
    const passcode = read.body.deviceActionResults[0].passcode as string;
    expect(passcode).toMatch(/^\d+$/);
    await s.sim('POST', `/sim/devices/${id}/events`, { type: 'enterPasscode', passcode });
    const lines = s.lines.slice(before);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    expect(lines).toContain(`POST /beta/deviceManagement/managedDevices/${id}/resetPasscode 204 ${lines.find((l) => l.includes('resetPasscode'))!.split(' ')[3]} ${reset.headers.get('request-id')}`);
    for (const line of lines) {
      expect(line).toMatch(/^[A-Z]+ \/\S* \d{3} \d+\.\dms [0-9a-f-]{36}$/);
      expect(line).not.toContain(passcode);
      expect(line).not.toContain(token);
      expect(line).not.toMatch(/Bearer/i);
    }
  });
});

describe('no input produces a 5xx', () => {
  it('random methods, paths, queries, bodies and credentials always get a non-5xx answer (property)', async () => {
    const tokens = Object.fromEntries(await Promise.all(ROLE_NAMES.map(async (r) => [r, await s.token(r)] as const)));
    const segment = fc.oneof(
      fc.constantFrom('beta', 'v1.0', 'deviceManagement', 'managedDevices', 'remoteActionAudits', 'resetPasscode', 'remoteLock', 'wipe', 'sim', 'devices', 'events', 'fleet', 'clock', 'stats', 'oauth2', 'v2.0', 'token', 'openapi.json', deviceId, '%', '%zz', '..', '%2F', 'é', '{id}'),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const path = fc.array(segment, { minLength: 0, maxLength: 6 }).map((parts) => `/${parts.join('/')}`);
    const query = fc.oneof(
      fc.constant(''),
      fc
        .array(fc.tuple(fc.constantFrom('$top', '$skiptoken', '$filter', '$select', '$count', '$x', 'x', '$top'), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom("operatingSystem eq 'iOS'", '0', '1000', 'true', 'ZC4wLjA', "deviceName eq 'a''b'"))), { maxLength: 4 })
        .map((pairs) => `?${pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&')}`),
      fc.string({ maxLength: 20 }).map((q) => `?${q}`),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json({ maxDepth: 3 }),
      fc.string({ maxLength: 100 }),
      fc.record({ type: fc.constantFrom('checkIn', 'enterPasscode', 'setPasscode', 'reboot', 'x'), passcode: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()), scope: fc.string({ maxLength: 12 }) }, { requiredKeys: ['type'] }).map((o) => JSON.stringify(o)),
      fc.record({ variant: fc.constantFrom('ios-device', 'macos', 'windows', 'aosp-userless', 'bogus'), osVersion: fc.string({ maxLength: 6 }), online: fc.oneof(fc.boolean(), fc.string()) }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
      fc.record({ advance: fc.string({ maxLength: 10 }), to: fc.string({ maxLength: 25 }), count: fc.integer({ min: -2, max: 30 }), seed: fc.integer() }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    );
    const contentType = fc.constantFrom(undefined, 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', '', 'multipart/form-data; boundary=x');
    const auth = fc.oneof(fc.constant(undefined), fc.constantFrom(...ROLE_NAMES).map((r) => `Bearer ${tokens[r]}`), fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }).map((t) => `Bearer ${t}`));
    const method = fc.constantFrom('GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'OPTIONS', 'HEAD');

    await fc.assert(
      fc.asyncProperty(method, path, query, body, contentType, auth, async (m, p, q, b, ct, a) => {
        const headers: Record<string, string> = {};
        if (ct !== undefined) headers['content-type'] = ct;
        if (a !== undefined) headers.authorization = a.replace(/[^\x20-\x7e]/g, '');
        const hasBody = b !== undefined && m !== 'GET' && m !== 'HEAD';
        let r: Response;
        try {
          r = await fetch(s.url + p + q, { method: m, headers, body: hasBody ? b : null });
        } catch {
          return true; // the client refused to build the request (e.g. an invalid URL); nothing reached the server
        }
        const text = await r.text();
        if (r.status >= 500) throw new Error(`${m} ${p}${q} -> ${r.status} ${text}`);
        if (r.status >= 400 && m !== 'HEAD' && !p.includes('oauth2')) expect(JSON.parse(text).error.code).toBeTypeOf('string');
        return true;
      }),
      { numRuns: 200, seed: 20260105 },
    );
  });
});
