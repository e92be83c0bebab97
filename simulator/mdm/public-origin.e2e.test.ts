import { afterAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/server.js';

const servers: TestServer[] = [];
afterAll(() => Promise.all(servers.map((s) => s.close())));
async function server(options: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const s = await startTestServer(options);
  servers.push(s);
  await s.enrollFleet({ count: 5, seed: 3 });
  return s;
}
const list = '/beta/deviceManagement/managedDevices?$top=2&$select=id';

describe('the origin in links: the listen address, --public-url, or X-Forwarded-* with --trust-forwarded', () => {
  it('by default names the listen address, whatever Host or X-Forwarded-* the caller sends', async () => {
    const s = await server({});
    const r = await s.req('read-only-operator', 'GET', list, { headers: { host: 'evil.test', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.test' } });
    expect(r.body['@odata.nextLink']).toMatch(new RegExp(`^${s.url}/beta/deviceManagement/managedDevices\\?`));
    const discovery = await s.req(null, 'GET', '/contoso.example/v2.0/.well-known/openid-configuration');
    expect(discovery.status).toBe(200);
    expect(discovery.body).toMatchObject({
      token_endpoint: `${s.url}/contoso.example/oauth2/v2.0/token`,
      issuer: `${s.url}/contoso.example/v2.0`,
      jwks_uri: `${s.url}/contoso.example/discovery/v2.0/keys`,
    });
    expect((await s.req(null, 'GET', '/contoso.example/discovery/v2.0/keys')).body).toEqual({ keys: [] });
  });

  it('with --public-url names that origin in nextLink, @odata.context and the sign-in discovery', async () => {
    const s = await server({ publicUrl: 'https://mdm.example.test:8443' });
    const r = await s.req('read-only-operator', 'GET', list);
    expect(r.body['@odata.nextLink']).toMatch(/^https:\/\/mdm\.example\.test:8443\/beta\/deviceManagement\/managedDevices\?\$top=2&\$select=id&\$skiptoken=/);
    expect(r.body['@odata.context']).toMatch(/^https:\/\/mdm\.example\.test:8443\/beta\/\$metadata#/);
    const discovery = await s.req(null, 'GET', '/common/v2.0/.well-known/openid-configuration');
    expect(discovery.body.token_endpoint).toBe('https://mdm.example.test:8443/common/oauth2/v2.0/token');
  });

  it('with --trust-forwarded takes the proxy headers (first value), and ignores a malformed host', async () => {
    const s = await server({ trustForwarded: true });
    const forwarded = await s.req('read-only-operator', 'GET', list, { headers: { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'graph.proxy.test' } });
    expect(forwarded.body['@odata.nextLink']).toMatch(/^https:\/\/graph\.proxy\.test\/beta\//);
    const bad = await s.req('read-only-operator', 'GET', list, { headers: { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'bad host/../x' } });
    expect(bad.body['@odata.nextLink']).toMatch(new RegExp(`^https://${new URL(s.url).host}/beta/`));
    const plain = await s.req('read-only-operator', 'GET', list);
    expect(plain.body['@odata.nextLink']).toMatch(new RegExp(`^${s.url}/`));
  });
});
