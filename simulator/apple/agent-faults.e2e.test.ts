import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDevice } from '../fleet-generator.js';
import { AgentError, AppleDeviceAgent, type AppleVariant } from './agent.js';
import { RunCa } from './identity.js';
import { commandPlist, decodePlistDict, encodePlist, type PlistDict } from './protocol.js';

/**
 * A wrong server over loopback HTTP: check-ins are taken, and the first Idle of each poll gets
 * whatever `next` holds (bytes, or an HTTP status). Every command result the device sends is kept.
 */
describe('a device agent facing a server that answers badly (over loopback HTTP)', () => {
  let server: Server;
  let url: string;
  let ca: RunCa;
  let next: Uint8Array | number = new Uint8Array(0);
  const results: PlistDict[] = [];
  beforeAll(async () => {
    ca = await RunCa.create();
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const message = decodePlistDict(Buffer.concat(chunks));
        if (typeof message === 'string' || message.MessageType) return void response.end();
        if (message.Status !== 'Idle') {
          results.push(message);
          return void response.end();
        }
        const answer = next;
        next = new Uint8Array(0);
        if (typeof answer === 'number') return void response.writeHead(answer).end('<html>oops</html>');
        response.end(Buffer.from(answer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mdm`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  let n = 0;
  async function device(variant: AppleVariant): Promise<AppleDeviceAgent> {
    const base = generateDevice(3, n++, variant);
    const profile = { ...base, facts: { ...base.facts, devicePasscodeSet: true, unlockToken: 'good' as const } };
    const agent = new AppleDeviceAgent(profile, { serverUrl: url, topic: 'com.apple.mgmt.test', identity: await ca.issue(profile.id), identityMode: 'signature' });
    await agent.enroll();
    results.length = 0;
    return agent;
  }
  const text = (s: string) => new TextEncoder().encode(s);

  it.each([
    ['bytes that are not a property list', text('\u0000\u0001garbage<plist><dict><key>PIN</key><string>123456')],
    ['a property list that is not a dictionary', encodePlist(['ClearPasscode'] as never)],
    ['a dictionary without a CommandUUID', encodePlist({ Command: { RequestType: 'DeviceLock' } })],
  ])('%s: logged as unreadable, nothing answered (it names no command), nothing changes, no throw', async (_what, body) => {
    const agent = await device('ios-device');
    next = body;
    const handled = await agent.poll();
    expect(handled).toEqual([{ commandUuid: '', requestType: '(unreadable)', keys: {}, status: 'CommandFormatError', afterCheckOut: false, errorReason: expect.any(String) }]);
    expect(handled[0]!.errorReason).not.toContain('123456');
    expect(results).toEqual([]);
    expect(agent.truth()).toMatchObject({ enrolled: true, devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it.each([
    ['no Command dictionary', encodePlist({ CommandUUID: 'C-1', Command: 'DeviceLock' })],
    ['a Command without RequestType', encodePlist({ CommandUUID: 'C-1', Command: { PIN: '123456' } })],
  ])('a command with %s is answered CommandFormatError with its CommandUUID', async (_what, body) => {
    const agent = await device('macos');
    next = body;
    expect(await agent.poll()).toMatchObject([{ commandUuid: 'C-1', status: 'CommandFormatError' }]);
    expect(results).toEqual([expect.objectContaining({ CommandUUID: 'C-1', Status: 'CommandFormatError', UDID: agent.enrollmentId })]);
    expect(agent.truth().lockScreen).toBe('unlocked');
  });

  it.each([
    ['an unknown RequestType', 'ios-device', commandPlist('C-2', 'Frobnicate', { Level: 3 }), 'UNKNOWN_COMMAND'],
    ['ClearPasscode without an UnlockToken', 'ios-device', commandPlist('C-3', 'ClearPasscode'), undefined],
    ['DeviceLock to a Mac with a four-digit PIN', 'macos', commandPlist('C-4', 'DeviceLock', { PIN: '1234' }), 'PIN_REQUIRED'],
    ['EraseDevice to a Mac without a PIN', 'macos', commandPlist('C-5', 'EraseDevice'), 'PIN_REQUIRED'],
  ] as const)('%s: the device answers Error with an ErrorChain and nothing changes', async (_what, variant, body, reason) => {
    const agent = await device(variant);
    next = body;
    const [handled] = await agent.poll();
    expect(handled).toMatchObject({ status: 'Error', ...(reason ? { errorReason: reason } : {}) });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ Status: 'Error', ErrorChain: [expect.objectContaining({ ErrorCode: expect.any(Number), ErrorDomain: expect.any(String) })] });
    expect(agent.truth()).toMatchObject({ enrolled: true, devicePasscode: 'user', lockScreen: 'unlocked' });
  });

  it('a 5xx to Idle is an AgentError carrying the status (the run makes it a finding); an unreachable server is one without', async () => {
    const agent = await device('ios-device');
    next = 503;
    const error = await agent.poll().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentError);
    expect(error).toMatchObject({ status: 503, message: expect.stringContaining('HTTP 503') });
    const base = generateDevice(3, 99, 'macos');
    const lost = new AppleDeviceAgent(base, { serverUrl: 'http://127.0.0.1:1/mdm', topic: 't', identity: await ca.issue(base.id), identityMode: 'signature' });
    const unreachable = await lost.enroll().catch((e: unknown) => e);
    expect(unreachable).toBeInstanceOf(AgentError);
    expect((unreachable as AgentError).status).toBeUndefined();
  });
});
