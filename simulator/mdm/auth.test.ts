import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sign } from 'hono/jwt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { authenticateClient, createAuthConfig, parseClientsFile, signAccessToken, TOKEN_LIFETIME_SECONDS } from './auth.js';
import { isLoopback, startServer } from './serve.js';
import { UsageError } from '../../contract/usage-error.js';
import { startTestServer, type TestServer } from './test-support/server.js';

let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.close());

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const tokenRequest = (body: string, path = '/oauth2/v2.0/token', headers: Record<string, string> = {}) =>
  s.req(null, 'POST', path, { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

describe('token endpoint', () => {
  it('issues a signed bearer token carrying role, sub, iat and a one-hour wall-clock exp', async () => {
    const r = await tokenRequest(form({ grant_type: 'client_credentials', client_id: 'helpdesk-operator', client_secret: 'helpdesk-operator', scope: 'https://graph.microsoft.com/.default' }));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    const [, payload] = (r.body.access_token as string).split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expect(claims).toMatchObject({ sub: 'helpdesk-operator', role: 'helpdesk-operator' });
    expect(claims.exp - claims.iat).toBe(TOKEN_LIFETIME_SECONDS);
    expect(Math.abs(claims.iat - Date.now() / 1000)).toBeLessThan(60);
  });

  it('accepts the token path under a tenant prefix and HTTP Basic client authentication', async () => {
    const r = await tokenRequest(form({ grant_type: 'client_credentials', client_id: 'sim-controller', client_secret: 'sim-controller' }), '/contoso.onmicrosoft.com/oauth2/v2.0/token');
    expect(r.status).toBe(200);
    const basic = Buffer.from('read-only-operator:read-only-operator').toString('base64');
    const b = await tokenRequest(form({ grant_type: 'client_credentials' }), '/oauth2/v2.0/token', { authorization: `Basic ${basic}` });
    expect(b.status).toBe(200);
  });

  it.each([
    ['a wrong secret', { grant_type: 'client_credentials', client_id: 'global-administrator', client_secret: 'nope' }, 'invalid_client'],
    ['an unknown client', { grant_type: 'client_credentials', client_id: 'mallory', client_secret: 'mallory' }, 'invalid_client'],
    ['another grant type', { grant_type: 'password', client_id: 'global-administrator', client_secret: 'global-administrator' }, 'invalid_client'],
    ['no client secret', { grant_type: 'client_credentials', client_id: 'global-administrator' }, 'invalid_client'],
    ['no grant type', { client_id: 'global-administrator', client_secret: 'global-administrator' }, 'invalid_request'],
  ])('refuses %s with 400 in the OAuth2 shape', async (_what, fields, code) => {
    const r = await tokenRequest(form(fields));
    expect(r.status).toBe(400);
    expect(r.body.error).toBe(code);
    expect(typeof r.body.error_description).toBe('string');
    expect(r.body).not.toHaveProperty('access_token');
  });

  it('refuses a body that is not form-encoded, and a repeated parameter', async () => {
    const json = await s.req(null, 'POST', '/oauth2/v2.0/token', { json: { grant_type: 'client_credentials' } });
    expect(json.status).toBe(400);
    expect(json.body.error).toBe('invalid_request');
    const twice = await tokenRequest('grant_type=client_credentials&client_id=a&client_id=b&client_secret=x');
    expect(twice.status).toBe(400);
  });

  it('compares secrets without failing on different lengths', () => {
    const auth = createAuthConfig();
    expect(authenticateClient(auth, 'global-administrator', 'global-administrator')?.role).toBe('global-administrator');
    expect(authenticateClient(auth, 'global-administrator', 'g')).toBeNull();
    expect(authenticateClient(auth, 'global-administrator', 'global-administrator-and-more')).toBeNull();
  });
});

describe('bearer tokens', () => {
  const path = '/beta/deviceManagement/managedDevices';
  const expect401 = (r: { status: number; headers: Headers; body: any }) => {
    expect(r.status).toBe(401);
    expect(r.body.error.code).toBe('InvalidAuthenticationToken');
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(r.headers.get('request-id')).toBe(r.body.error.innerError['request-id']);
  };

  it('401 without a token, with a malformed one, with another scheme', async () => {
    expect401(await s.req(null, 'GET', path));
    expect401(await s.req(null, 'GET', path, { token: 'not-a-jwt' }));
    expect401(await s.req(null, 'GET', path, { headers: { authorization: 'Basic Z2xvYmFsOmdsb2JhbA==' } }));
    expect401(await s.req(null, 'GET', path, { token: 'a.b.c' }));
  });

  it('401 for an expired token and for a badly signed one', async () => {
    const past = Math.floor(Date.now() / 1000) - 7200;
    expect401(await s.req(null, 'GET', path, { token: await signAccessToken(s.auth, { clientId: 'global-administrator', role: 'global-administrator', issuedAt: past, expiresAt: past + 3600 }) }));
    const forged = await signAccessToken(createAuthConfig(), { clientId: 'global-administrator', role: 'global-administrator' });
    expect401(await s.req(null, 'GET', path, { token: forged }));
    const unknownRole = await sign({ sub: 'x', role: 'emperor', iss: 'lockstep', iat: past, exp: past + 99999 }, s.auth.signingKey, 'HS256');
    expect401(await s.req(null, 'GET', path, { token: unknownRole }));
    const good = await signAccessToken(s.auth, { clientId: 'global-administrator', role: 'global-administrator' });
    expect((await s.req(null, 'GET', path, { token: good })).status).toBe(200);
  });

  it('refuses a token that was just admitted once it has expired on the wall clock', async () => {
    const now = Date.now();
    const token = await signAccessToken(s.auth, { clientId: 'global-administrator', role: 'global-administrator', expiresAt: Math.floor(now / 1000) + 60 });
    expect((await s.req(null, 'GET', path, { token })).status).toBe(200);
    expect((await s.req(null, 'GET', path, { token })).status).toBe(200);
    const later = vi.spyOn(Date, 'now').mockReturnValue(now + 120_000);
    try {
      expect401(await s.req(null, 'GET', path, { token }));
    } finally {
      later.mockRestore();
    }
  });

  it('a token does not expire with simulated time', async () => {
    const token = await s.token('read-only-operator');
    await s.sim('POST', '/sim/clock', { advance: 'P30D' });
    expect((await s.req(null, 'GET', path, { token })).status).toBe(200);
  });

  it('403 for sim-controller on Graph routes and for Graph roles on /sim', async () => {
    const graph = await s.req('sim-controller', 'GET', path);
    expect(graph.status).toBe(403);
    expect(graph.body.error.code).toBe('Forbidden');
    for (const role of ['global-administrator', 'read-only-operator'] as const) {
      const sim = await s.req(role, 'GET', '/sim/stats');
      expect(sim.status).toBe(403);
      expect(sim.body.error.code).toBe('Forbidden');
    }
  });
});

describe('clients file', () => {
  it('replaces the built-in clients', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-clients-'));
    const file = join(dir, 'clients.json');
    writeFileSync(file, JSON.stringify([{ clientId: 'ops', clientSecret: 's3cret-value', role: 'helpdesk-operator' }]));
    const server = await startServer({ port: 0, host: '127.0.0.1', devices: 0, seed: 1, clock: 'manual', clientsFile: file });
    try {
      const token = (fields: Record<string, string>) =>
        fetch(`${server.url}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form({ grant_type: 'client_credentials', ...fields }) });
      expect((await token({ client_id: 'ops', client_secret: 's3cret-value' })).status).toBe(200);
      expect((await token({ client_id: 'global-administrator', client_secret: 'global-administrator' })).status).toBe(400);
    } finally {
      await server.close();
    }
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['not an array', '{}', /non-empty JSON array/],
    ['empty', '[]', /non-empty JSON array/],
    ['unknown role', '[{"clientId":"a","clientSecret":"b","role":"king"}]', /entry 1: role must be one of/],
    ['unknown field', '[{"clientId":"a","clientSecret":"b","role":"sim-controller","x":1}]', /unknown field 'x'/],
    ['missing secret', '[{"clientId":"a","role":"sim-controller"}]', /clientSecret must be a non-empty string/],
    ['duplicate id', '[{"clientId":"a","clientSecret":"b","role":"sim-controller"},{"clientId":"a","clientSecret":"c","role":"sim-controller"}]', /entry 2: clientId 'a' appears twice/],
  ])('rejects a file that is %s with a clear message', (_what, text, message) => {
    expect(() => parseClientsFile(text)).toThrow(message);
  });

  it('turns an unreadable or invalid file into a UsageError', async () => {
    await expect(startServer({ port: 0, host: '127.0.0.1', devices: 0, seed: 1, clock: 'manual', clientsFile: '/nonexistent/clients.json' })).rejects.toThrow(UsageError);
  });
});

describe('serve options', () => {
  it('refuses a non-loopback address with the built-in credentials unless allowed', async () => {
    await expect(startServer({ port: 0, host: '0.0.0.0', devices: 0, seed: 1, clock: 'manual' })).rejects.toThrow(/refusing to listen on 0\.0\.0\.0 with the built-in/);
    const allowed = await startServer({ port: 0, host: '0.0.0.0', devices: 0, seed: 1, clock: 'manual', allowNonLoopback: true });
    expect(allowed.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
    await allowed.close();
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) expect(isLoopback(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.2', 'example.com']) expect(isLoopback(h)).toBe(false);
  });

});
