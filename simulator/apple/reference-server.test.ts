import { describe, expect, it } from 'vitest';
import { generateDevice } from '../fleet-generator.js';
import { AgentError, AppleDeviceAgent, type AppleVariant, type Fetch } from './agent.js';
import { RunCa } from './identity.js';
import { commandPlist } from './protocol.js';
import { appleMdmRoutes } from './reference-routes.js';
import { AppleMdmServer, type CommandOutcome } from './reference-server.js';

const TOPIC = 'com.apple.mgmt.External.lockstep-test';
const API = 'test-key';
const BASIC = `Basic ${Buffer.from(`nanomdm:${API}`).toString('base64')}`;

async function setup(identityMode: 'signature' | { header: string } = 'signature') {
  const ca = await RunCa.create();
  const outcomes: CommandOutcome[] = [];
  const server = new AppleMdmServer({ caPem: ca.pem, identityMode, onResult: (o) => outcomes.push(o) });
  const app = appleMdmRoutes(server, { apiKey: API });
  // In process: the agent's requests go through the Hono app, bytes and all.
  const fetch: Fetch = (url, init) => Promise.resolve(app.request(new URL(url).pathname, { method: init.method, headers: init.headers, body: init.body }));
  let n = 0;
  const agent = async (variant: AppleVariant, unlockToken: 'good' | 'bad' | 'missing' = 'good', from = ca) => {
    const base = generateDevice(7, n++, variant);
    const profile = { ...base, facts: { ...base.facts, unlockToken, devicePasscodeSet: true } };
    return new AppleDeviceAgent(profile, { serverUrl: 'http://reference.test/mdm', topic: TOPIC, identity: await from.issue(profile.id), identityMode, fetch });
  };
  const enqueue = async (id: string, uuid: string, requestType: string, payload: Record<string, unknown> = {}, authorization = BASIC) =>
    app.request(`/v1/enqueue/${id}`, { method: 'PUT', headers: { authorization }, body: commandPlist(uuid, requestType, payload as never) });
  return { ca, server, app, outcomes, agent, enqueue };
}

describe('the reference Apple MDM endpoint, driven by device agents in process', () => {
  for (const mode of ['signature', { header: 'X-Client-Cert' }] as const) {
    it(`enrolls, escrows the UnlockToken and settles ClearPasscode (${typeof mode === 'string' ? 'Mdm-Signature' : 'certificate header'})`, async () => {
      const { server, outcomes, agent, enqueue } = await setup(mode);
      const good = await agent('ios-device', 'good');
      const bad = await agent('ios-device', 'bad');
      await good.enroll();
      await bad.enroll();
      expect(server.enrollments.get(good.enrollmentId)?.tokenUpdates).toBe(1);
      for (const device of [good, bad]) {
        const response = await enqueue(device.enrollmentId, `CP-${device.enrollmentId}`, 'ClearPasscode', { UnlockToken: server.escrowedUnlockToken(device.enrollmentId) });
        expect(response.status).toBe(200);
      }
      expect((await good.poll())[0]).toMatchObject({ requestType: 'ClearPasscode', status: 'Acknowledged', tokenIsEscrowed: true });
      expect((await bad.poll())[0]).toMatchObject({ status: 'Error', errorReason: 'BAD_UNLOCK_TOKEN' });
      expect(good.truth().devicePasscode).toBe('none');
      expect(bad.truth().devicePasscode).not.toBe('none');
      expect(outcomes.map((o) => [o.requestType, o.status])).toEqual([
        ['ClearPasscode', 'Acknowledged'],
        ['ClearPasscode', 'Error'],
      ]);
      expect(outcomes[1]!.errorChain[0]).toMatchObject({ ErrorDomain: expect.any(String), ErrorCode: expect.any(Number) });
      expect(await good.poll()).toEqual([]);
    });
  }

  it('keeps the escrowed token over a TokenUpdate without one, takes a rotated one, and a User Enrollment escrows none', async () => {
    const { server, agent } = await setup();
    const phone = await agent('ios-device');
    const ue = await agent('ios-user-enrollment');
    await phone.enroll();
    await ue.enroll();
    const first = server.escrowedUnlockToken(phone.enrollmentId);
    await phone.tokenUpdate({ withoutUnlockToken: true });
    expect(server.escrowedUnlockToken(phone.enrollmentId)).toEqual(first);
    await phone.tokenUpdate({ rotateUnlockToken: true });
    expect(server.escrowedUnlockToken(phone.enrollmentId)).not.toEqual(first);
    expect(server.enrollments.get(ue.enrollmentId)).toMatchObject({ userEnrollment: true, unlockToken: null });
  });

  it('offers a NotNow command again only after the next Idle; a Mac locks with its 6-digit PIN; unknown commands are Errors', async () => {
    const { outcomes, agent, enqueue } = await setup();
    const mac = await agent('macos');
    await mac.enroll();
    await enqueue(mac.enrollmentId, 'LOCK-1', 'DeviceLock', { PIN: '123456', Message: 'lost' });
    await enqueue(mac.enrollmentId, 'X-1', 'MadeUpCommand');
    mac.deferNext(1);
    const first = await mac.poll();
    expect(first.map((r) => [r.commandUuid, r.status])).toEqual([
      ['LOCK-1', 'NotNow'],
      ['X-1', 'Error'],
    ]);
    const second = await mac.poll();
    expect(second.map((r) => [r.commandUuid, r.status])).toEqual([['LOCK-1', 'Acknowledged']]);
    expect(mac.truth().lockPinDigest).not.toBeNull();
    expect(outcomes.map((o) => o.commandUuid)).toEqual(['X-1', 'LOCK-1']);
  });

  it('refuses an untrusted identity with a 4xx and changes nothing; the admin API needs its key; CheckOut drops the queue', async () => {
    const { server, agent, enqueue } = await setup();
    const stranger = await agent('ios-device', 'good', await RunCa.create('another CA'));
    await expect(stranger.enroll()).rejects.toBeInstanceOf(AgentError);
    expect(server.enrollments.size).toBe(0);
    const phone = await agent('ios-device');
    await phone.enroll();
    expect((await enqueue(phone.enrollmentId, 'A', 'SecurityInfo', {}, 'Basic bm9wZQ==')).status).toBe(401);
    expect((await enqueue('no-such-device', 'A', 'SecurityInfo')).status).toBe(400);
    expect((await enqueue(phone.enrollmentId, 'A', 'SecurityInfo')).status).toBe(200);
    await phone.checkOut();
    expect(server.enrollments.get(phone.enrollmentId)).toMatchObject({ checkedOut: true, queue: [] });
    expect((await enqueue(phone.enrollmentId, 'B', 'SecurityInfo')).status).toBe(400);
  });
});

describe('Mdm-Signature checking', () => {
  it('accepts the body that was signed and refuses any other', async () => {
    const { checkSignature } = await import('./identity-check.js');
    const ca = await RunCa.create();
    const identity = await ca.issue('0f0e0d0c-0b0a-4908-8706-050403020100');
    const body = new TextEncoder().encode('<plist>signed</plist>');
    const cms = Buffer.from(await identity.signature(body), 'base64');
    expect(typeof checkSignature(cms, body)).toBe('object');
    expect(checkSignature(cms, new TextEncoder().encode('<plist>changed</plist>'))).toBe('Mdm-Signature does not sign this body');
    expect(checkSignature(new Uint8Array([1, 2, 3]), body)).toBe('Mdm-Signature is not a CMS SignedData');
  });
});
