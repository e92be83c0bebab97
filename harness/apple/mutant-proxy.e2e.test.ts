import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECKIN_CONTENT_TYPE, COMMAND_CONTENT_TYPE, commandPlist, decodeCommand, encodePlist } from '../../simulator/apple/protocol.js';
import { appleMutantRewrite, checkoutGuard, startMutantProxy, type AnswerRewrite } from './mutants.js';

/** A stand-in server: every Idle gets the same ClearPasscode; check-ins from 'stranger' get 403; anything else is empty. */
describe('the wrong-server proxy (no NanoMDM needed)', () => {
  let upstream: Server;
  let origin: string;
  const seen: { path: string; auth?: string; body: string }[] = [];
  const token = Uint8Array.from([1, 2, 3, 4]);
  beforeAll(async () => {
    upstream = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        seen.push({ path: request.url ?? '', ...(request.headers.authorization ? { auth: request.headers.authorization } : {}), body });
        if (body.includes('<string>stranger</string>')) return void response.writeHead(403).end('untrusted');
        if (body.includes('<string>Idle</string>')) return void response.end(Buffer.from(commandPlist('C-1', 'ClearPasscode', { UnlockToken: token })));
        response.end();
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => upstream.close(() => resolve())));

  async function put(proxy: string, type: string, message: Record<string, string>) {
    const response = await fetch(`${proxy}/mdm`, { method: 'PUT', headers: { 'content-type': type, 'mdm-signature': 'sig' }, body: encodePlist(message) });
    return { status: response.status, body: new Uint8Array(await response.arrayBuffer()) };
  }
  async function through(rewrites: AnswerRewrite[], run: (url: string) => Promise<void>) {
    const proxy = await startMutantProxy(origin, rewrites);
    try {
      await run(proxy.url);
    } finally {
      await proxy.close();
    }
  }
  const mutant = (id: string) => appleMutantRewrite(id)!;

  it('passes everything through unchanged without rewrites, the admin API included', async () => {
    await through([], async (url) => {
      const answer = await put(url, COMMAND_CONTENT_TYPE, { UDID: 'd1', Status: 'Idle' });
      const command = decodeCommand(answer.body);
      expect(command).toMatchObject({ RequestType: 'ClearPasscode', payload: { UnlockToken: token } });
      const admin = await fetch(`${url}/v1/enqueue/d1`, { method: 'PUT', headers: { authorization: 'Basic x' }, body: 'plist' });
      expect(admin.status).toBe(200);
      expect(seen.at(-1)).toEqual({ path: '/v1/enqueue/d1', auth: 'Basic x', body: 'plist' });
      expect((await put(url, CHECKIN_CONTENT_TYPE, { UDID: 'stranger', MessageType: 'Authenticate' })).status).toBe(403);
    });
  });

  it('ap-1/mangled-unlock-token (wrong-servers.ts) changes the token; ap-1/unlock-token-dropped removes it', async () => {
    await through([mutant('ap-1/mangled-unlock-token')], async (url) => {
      const command = decodeCommand((await put(url, COMMAND_CONTENT_TYPE, { UDID: 'd1', Status: 'Idle' })).body);
      expect(typeof command === 'object' && command?.payload.UnlockToken).toEqual(Uint8Array.from([1, 2, 3]));
    });
    await through([mutant('ap-1/unlock-token-dropped')], async (url) => {
      const command = decodeCommand((await put(url, COMMAND_CONTENT_TYPE, { UDID: 'd1', Status: 'Idle' })).body);
      expect(typeof command === 'object' && command?.payload).toEqual({});
    });
  });

  it('ap-7/hides-identity-refusals (wrong-servers.ts) answers 200 where the server refused', async () => {
    await through([mutant('ap-7/hides-identity-refusals')], async (url) => {
      expect((await put(url, CHECKIN_CONTENT_TYPE, { UDID: 'stranger', MessageType: 'Authenticate' })).status).toBe(200);
    });
  });

  it('ap-5/notnow-never-redelivered hides a deferred command; checkoutGuard hides commands after CheckOut', async () => {
    await through([mutant('ap-5/notnow-never-redelivered')], async (url) => {
      await put(url, COMMAND_CONTENT_TYPE, { UDID: 'd1', Status: 'NotNow', CommandUUID: 'C-1' });
      expect((await put(url, COMMAND_CONTENT_TYPE, { UDID: 'd1', Status: 'Idle' })).body.length).toBe(0);
    });
    await through([checkoutGuard()], async (url) => {
      expect((await put(url, COMMAND_CONTENT_TYPE, { UDID: 'd2', Status: 'Idle' })).body.length).toBeGreaterThan(0);
      await put(url, CHECKIN_CONTENT_TYPE, { UDID: 'd2', MessageType: 'CheckOut' });
      expect((await put(url, COMMAND_CONTENT_TYPE, { UDID: 'd2', Status: 'Idle' })).body.length).toBe(0);
      expect((await put(url, COMMAND_CONTENT_TYPE, { UDID: 'd3', Status: 'Idle' })).body.length).toBeGreaterThan(0);
    });
  });
});
