import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { isGraphError, rawRequest } from './raw-http.js';
import { stallProblems } from './stall-check.js';

let s: TestServer | null = null;
afterEach(async () => {
  await s?.close();
  s = null;
});

/** Opens a socket and sends `bytes`, then keeps it open without sending more. */
function openStalled(url: string, bytes: string): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => {
      socket.write(bytes);
      resolve({ socket, received: () => data, closed });
    });
    let data = '';
    socket.on('data', (chunk) => (data += chunk.toString('utf8')));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
  });
}

const bodyOf = (raw: string) => raw.slice(raw.indexOf('\r\n\r\n') + 4);

describe('slow clients', () => {
  it('a body that never arrives is answered 408 in Graph shape and the connection closed (request timeout)', async () => {
    s = await startTestServer({ admission: { requestTimeoutMs: 600, headersTimeoutMs: 500 } });
    const stalled = await Promise.all(
      Array.from({ length: 20 }, () => openStalled(s!.url, 'POST /oauth2/v2.0/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ng')),
    );
    await Promise.all(stalled.map((c) => c.closed));
    for (const c of stalled) {
      expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
      expect(isGraphError(bodyOf(c.received()))).toBe(true);
    }
  });

  it('headers that never end are cut off by the header timeout', async () => {
    s = await startTestServer({ admission: { headersTimeoutMs: 400, requestTimeoutMs: 500 } });
    const c = await openStalled(s.url, 'GET /sim/clock HTTP/1.1\r\nHost: x\r\nX-Slow: a');
    await c.closed;
    expect(c.received()).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('connections beyond the cap get a Graph-shaped 503 and are closed; the ones within are served', async () => {
    s = await startTestServer({ maxConnections: 4 });
    const held = await Promise.all(Array.from({ length: 4 }, () => openStalled(s!.url, '')));
    const over = await rawRequest(s.url, 'GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(over.status).toBe(503);
    expect(over.headers['retry-after']).toBe('1');
    expect(isGraphError(over.body)).toBe(true);
    for (const h of held) h.socket.destroy();
    await Promise.all(held.map((h) => h.closed));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await rawRequest(s.url, 'GET /openapi.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')).status).toBe(200);
  });

  it('requests beyond the in-flight cap get 429 with Retry-After in Graph shape', async () => {
    s = await startTestServer({ maxInFlight: 2 });
    const token = await s.token('sim-controller');
    // Two requests whose bodies are still on their way hold both slots.
    const slow = await Promise.all(
      [1, 2].map(() => openStalled(s!.url, `POST /sim/clock HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{"advance"`)),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const r = await s.req('sim-controller', 'GET', '/sim/clock');
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.body.error.code).toBe('TooManyRequests');
    for (const c of slow) c.socket.write(':"PT1S"}');
    await Promise.all(slow.map((c) => c.closed));
    expect(slow.map((c) => c.received().slice(0, 12))).toEqual(['HTTP/1.1 200', 'HTTP/1.1 200']);
    for (const c of slow) c.socket.destroy();
    expect((await s.req('sim-controller', 'GET', '/sim/clock')).status).toBe(200);
  });

  it('event-stream subscribers beyond the cap get 429', async () => {
    s = await startTestServer({ maxSubscribers: 3 });
    const token = await s.token('sim-controller');
    const streams = await Promise.all(Array.from({ length: 3 }, () => openStalled(s!.url, `GET /sim/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n\r\n`)));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const over = await rawRequest(s.url, `GET /sim/events HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer ${token}\r\n\r\n`, 3000);
    expect(over.status).toBe(429);
    expect(isGraphError(over.body)).toBe(true);
    for (const c of streams) expect(c.received()).toMatch(/^HTTP\/1\.1 200/);
    streams[0]!.socket.destroy();
    await streams[0]!.closed;
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await fetch(`${s.url}/sim/events`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    await again.body?.cancel();
    for (const c of streams) c.socket.destroy();
  });
});

describe('no stalls', () => {
  it('a large fleet post answers 202 at once and other requests are answered while it is enrolled; the first $filter and a scanning filter yield too', async () => {
    s = await startTestServer({});
    expect(await stallProblems(s, 60_000)).toEqual([]);
    expect(s.mdm.size).toBe(60_000);
  });

  it('the operation is all or nothing: a colliding id fails it before any device is enrolled', async () => {
    s = await startTestServer({});
    expect((await s.sim('POST', '/sim/fleet', { count: 10, seed: 8, startIndex: 15_000 })).status).toBe(201);
    const r = await s.enrollFleet({ count: 20_000, seed: 8 });
    expect(r.body).toMatchObject({ status: 'failed', enrolled: 0, error: { code: 'Conflict' } });
    expect(s.mdm.size).toBe(10);
  });

  it('--max-devices counts fleets still being enrolled', async () => {
    s = await startTestServer({ maxDevices: 30_000 });
    expect((await s.sim('POST', '/sim/fleet', { count: 20_000, seed: 1 })).status).toBe(202);
    const over = await s.sim('POST', '/sim/fleet', { count: 20_000, seed: 2 });
    expect(over.status).toBe(409);
    expect(over.body.error.message).toMatch(/--max-devices/);
  });
});

describe('oversized bodies', () => {
  it('a 413 reaches a client that keeps sending its oversized body (no reset)', async () => {
    s = await startTestServer({});
    const token = await s.token('sim-controller');
    const body = `{"variant":"windows","deviceName":"${'x'.repeat(300_000)}"}`;
    for (const connection of ['keep-alive', 'close']) {
      const r = await rawRequest(
        s.url,
        `POST /sim/devices HTTP/1.1\r\nHost: x\r\nConnection: ${connection}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
      );
      expect(r.status).toBe(413);
      expect(isGraphError(r.body)).toBe(true);
    }
  });
});
