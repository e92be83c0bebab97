import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './serve.js';
import { tlsMaterial } from './tls.js';

let dir: string;
let server: RunningServer;
let ca: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lockstep-tls-test-'));
  server = await startServer({ port: 0, host: '127.0.0.1', devices: 3, seed: 2, clock: 'manual', tls: { kind: 'self-signed', certOut: join(dir, 'ca.pem') } });
  ca = readFileSync(server.certFile!, 'utf8');
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One HTTPS GET with `ca` as the only trusted root (undefined: the system's roots). */
function get(url: string, trust: string | undefined, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: trust, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Raw bytes over a TLS socket: the whole answer, as the server wrote it. */
function rawTls(port: number, bytes: string, trust = ca): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: trust, servername: 'localhost' }, () => socket.write(bytes));
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('lockstep serve --tls', () => {
  it('serves HTTPS that a client trusting the written certificate accepts (and one that does not, refuses)', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const denied = await get(`${server.url}/v1.0/deviceManagement/managedDevices`, ca);
    expect(denied.status).toBe(401);
    expect(denied.body.error.code).toBe('InvalidAuthenticationToken');
    await expect(get(`${server.url}/v1.0/deviceManagement/managedDevices`, undefined)).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it("answers OpenID discovery for any tenant with https endpoints under that tenant", async () => {
    for (const tenant of ['contoso.onmicrosoft.com', '72f988bf-86f1-41af-91ab-2d7cd011db47', 'common']) {
      const { status, body } = await get(`${server.url}/${tenant}/v2.0/.well-known/openid-configuration`, ca);
      expect(status).toBe(200);
      expect(body.token_endpoint).toBe(`${server.url}/${tenant}/oauth2/v2.0/token`);
    }
  });

  it('answers headers too large with a Graph-shaped 431 over TLS too (raw socket)', async () => {
    const port = Number(new URL(server.url).port);
    const answer = await rawTls(port, `GET /v1.0/deviceManagement/managedDevices HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));
    expect(body.error).toMatchObject({ code: 'RequestHeaderFieldsTooLarge', innerError: { 'request-id': expect.any(String), date: expect.any(String) } });
  });

  it('--tls-cert/--tls-key serve the operator\'s own certificate', async () => {
    const made = await tlsMaterial({ kind: 'self-signed', certOut: join(dir, 'own.pem') }, '127.0.0.1');
    writeFileSync(join(dir, 'own.key'), made.key);
    const own = await startServer({ port: 0, host: '127.0.0.1', devices: 0, seed: 1, clock: 'manual', tls: { kind: 'files', certFile: join(dir, 'own.pem'), keyFile: join(dir, 'own.key') } });
    try {
      expect(own.certFile).toBe(join(dir, 'own.pem'));
      expect((await get(`${own.url}/v1.0/deviceManagement/managedDevices`, made.cert)).status).toBe(401);
      await expect(get(`${own.url}/v1.0/deviceManagement/managedDevices`, ca)).rejects.toThrow(/certificate|self[- ]signed/i);
    } finally {
      await own.close();
    }
  });

  it('answers a connection past --max-connections with a Graph-shaped 503 inside TLS', async () => {
    const limited = await startServer({ port: 0, host: '127.0.0.1', devices: 0, seed: 1, clock: 'manual', tls: { kind: 'self-signed', certOut: join(dir, 'limited.pem') }, maxConnections: 1 });
    const trust = readFileSync(limited.certFile!, 'utf8');
    const port = Number(new URL(limited.url).port);
    // The first connection answers and stays open (keep-alive).
    const first = connect({ host: '127.0.0.1', port, ca: trust, servername: 'localhost' });
    try {
      await new Promise<void>((resolve, reject) => {
        first.once('error', reject);
        first.once('secureConnect', () => first.write('GET /openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n'));
        first.once('data', () => resolve());
      });
      const answer = await rawTls(port, 'GET /openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n', trust);
      expect(answer).toMatch(/^HTTP\/1\.1 503 /);
      expect(answer).toMatch(/\r\nretry-after: \d+\r\n/i);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('ServiceUnavailable');
    } finally {
      first.destroy();
      await limited.close();
    }
  });
});
