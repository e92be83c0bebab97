import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT, NOT_BUILT_REASON, startChildServer, tokenFor, type ChildServer } from './child-server.js';
import { isGraphError, rawRequest } from './raw-http.js';

const children: ChildServer[] = [];
afterAll(() => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
});

describe.skipIf(!BUILT)('SIGTERM drain', () => {
  it.skipIf(!BUILT)(BUILT ? 'finishes the request in flight, answers new ones 503 in Graph shape, then exits 0' : NOT_BUILT_REASON, async () => {
    const server = await startChildServer(['--clock', 'manual']);
    children.push(server);
    const token = await tokenFor(server.url, 'sim-controller');
    const { hostname, port } = new URL(server.url);
    // A request in flight: headers sent, body still on its way.
    const socket = connect({ host: hostname, port: Number(port) });
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const body = '{"advance":"PT1H"}';
    socket.write(`POST /sim/clock HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n{"adv`);
    await new Promise((resolve) => setTimeout(resolve, 100));

    server.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const late = await rawRequest(server.url, 'GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(late.status).toBe(503);
    expect(late.headers.connection).toBe('close');
    expect(isGraphError(late.body)).toBe(true);
    expect(server.process.exitCode).toBeNull();

    socket.write(body.slice(5));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"now":"2026-01-05T10:00:00.000Z"');
    expect(await server.exited).toBe(0);
    expect(server.output()).toMatch(/stopped/);
  });
});
