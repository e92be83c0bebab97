import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthConfig, signAccessToken, TokenVerifier } from '../auth.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { AuthBackoff } from './auth-backoff.js';

describe('AuthBackoff', () => {
  it('lets five failures through, then makes the client wait, twice as long each time, up to the cap', () => {
    let now = 0;
    const b = new AuthBackoff({ now: () => now, maxDelayMs: 8000 });
    for (let i = 0; i < 5; i++) {
      expect(b.retryAfterSeconds('x')).toBe(0);
      b.failed('x');
    }
    expect(b.retryAfterSeconds('x')).toBe(0);
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      b.failed('x');
      waits.push(b.retryAfterSeconds('x'));
      now += waits.at(-1)! * 1000;
    }
    expect(waits).toEqual([1, 2, 4, 8, 8]);
    expect(b.retryAfterSeconds('other')).toBe(0);
    b.succeeded('x');
    expect(b.retryAfterSeconds('x')).toBe(0);
  });
});

describe('token endpoint', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({});
  });
  afterAll(() => s.close());
  const token = (body: Record<string, string>, headers: Record<string, string> = {}) =>
    s.req(null, 'POST', '/oauth2/v2.0/token', { body: new URLSearchParams(body).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } });

  it('refuses Basic and a form secret together (one client authentication method, RFC 6749 2.3)', async () => {
    const basic = Buffer.from('helpdesk-operator:helpdesk-operator').toString('base64');
    const r = await token({ grant_type: 'client_credentials', client_secret: 'helpdesk-operator' }, { authorization: `Basic ${basic}` });
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('invalid_request');
    expect((await token({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` })).status).toBe(200);
  });

  it('answers 429 with Retry-After after repeated wrong secrets for one client, and only for that client', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await token({ grant_type: 'client_credentials', client_id: 'read-only-operator', client_secret: `guess-${i}` })).status);
    expect(statuses).toEqual([400, 400, 400, 400, 400, 400, 429]);
    const blocked = await token({ grant_type: 'client_credentials', client_id: 'read-only-operator', client_secret: 'read-only-operator' });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.text).not.toContain('read-only-operator"');
    expect((await token({ grant_type: 'client_credentials', client_id: 'helpdesk-operator', client_secret: 'helpdesk-operator' })).status).toBe(200);
  });
});

describe('token clock skew', () => {
  it('accepts nbf/iat up to five minutes ahead (another shard’s clock), refuses further', async () => {
    const auth = createAuthConfig({});
    const verifier = new TokenVerifier(auth);
    const now = Math.floor(Date.now() / 1000);
    const ahead = (s: number) => signAccessToken(auth, { clientId: 'c', role: 'helpdesk-operator', issuedAt: now + s, expiresAt: now + 3600 });
    expect(await verifier.verify(await ahead(60))).not.toBeNull();
    expect(await verifier.verify(await ahead(290))).not.toBeNull();
    expect(await verifier.verify(await ahead(600))).toBeNull();
  });
});
