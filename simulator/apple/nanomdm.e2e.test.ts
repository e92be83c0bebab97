import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDevice } from '../fleet-generator.js';
import { NanoMdmAdmin } from './admin.js';
import { AgentError, AppleDeviceAgent, type AppleVariant } from './agent.js';
import { RunCa } from './identity.js';
import { commandPlist } from './protocol.js';
import { NANOMDM_MISSING, startNanoMdm, type NanoMdm } from './test-support/nanomdm.js';

const TOPIC = 'com.apple.mgmt.External.lockstep-test';

describe.skipIf(NANOMDM_MISSING !== null)(`Apple device agents against a real NanoMDM${NANOMDM_MISSING ? ` (skipped: ${NANOMDM_MISSING})` : ''}`, () => {
  let ca: RunCa;
  const servers: NanoMdm[] = [];
  beforeAll(async () => {
    ca = await RunCa.create();
  });
  afterAll(() => Promise.all(servers.map((s) => s.stop())));

  async function server(certHeader?: string) {
    const s = await startNanoMdm(ca.pem, certHeader ? { certHeader } : {});
    servers.push(s);
    return { s, admin: new NanoMdmAdmin(s.url, s.apiKey) };
  }
  let n = 0;
  async function agent(s: NanoMdm, variant: AppleVariant, unlockToken: 'good' | 'bad' | 'missing' = 'good') {
    const base = generateDevice(42, n++, variant);
    const profile = { ...base, facts: { ...base.facts, unlockToken, devicePasscodeSet: true } };
    const identity = await ca.issue(profile.id);
    return new AppleDeviceAgent(profile, { serverUrl: `${s.url}/mdm`, topic: TOPIC, identity, identityMode: s.certHeader ? { header: s.certHeader } : 'signature' });
  }
  async function send(admin: NanoMdmAdmin, device: AppleDeviceAgent, requestType: string, payload: Record<string, unknown> = {}) {
    const uuid = randomUUID().toUpperCase();
    await admin.enqueue(device.enrollmentId, commandPlist(uuid, requestType, payload as never), uuid);
    return uuid;
  }

  it('enrolls with Mdm-Signature; ClearPasscode with the escrowed token clears the passcode; a wrong one is an Error and the passcode stays', async () => {
    const { s, admin } = await server();
    const good = await agent(s, 'ios-device', 'good');
    const bad = await agent(s, 'ios-device', 'bad');
    await good.enroll();
    await bad.enroll();
    expect(good.truth().devicePasscode).not.toBe('none');
    // The server escrowed each device's token; the admin sends it back in ClearPasscode as NanoMDM users do.
    const escrowed = (agent: AppleDeviceAgent) => (agent as unknown as { escrowed: Uint8Array }).escrowed;
    const u1 = await send(admin, good, 'ClearPasscode', { UnlockToken: escrowed(good) });
    const u2 = await send(admin, bad, 'ClearPasscode', { UnlockToken: escrowed(bad) });
    const [r1] = await good.poll();
    const [r2] = await bad.poll();
    expect(r1).toMatchObject({ commandUuid: u1, requestType: 'ClearPasscode', status: 'Acknowledged', tokenIsEscrowed: true, keys: { UnlockToken: 'data' } });
    expect(good.truth().devicePasscode).toBe('none');
    expect(r2).toMatchObject({ commandUuid: u2, status: 'Error', tokenIsEscrowed: true, errorReason: 'BAD_UNLOCK_TOKEN' });
    expect(bad.truth().devicePasscode).not.toBe('none');
    // Acknowledged and Error are final: the queue is empty now.
    expect(await good.poll()).toEqual([]);
    expect(await bad.poll()).toEqual([]);
    expect(JSON.stringify([good.log, bad.log])).not.toMatch(/ut-|stale-/);
  });

  it('a Mac locks with the six-digit PIN it is sent; NotNow is delivered again; unknown commands get a well-formed Error', async () => {
    const { s, admin } = await server();
    const mac = await agent(s, 'macos');
    await mac.enroll();
    mac.deferNext(1);
    const lock = await send(admin, mac, 'DeviceLock', { PIN: '314159', Message: 'Call IT' });
    expect((await mac.poll()).map((r) => r.status)).toEqual(['NotNow']);
    const again = await mac.poll();
    expect(again).toMatchObject([{ commandUuid: lock, status: 'Acknowledged', pinLength: 6 }]);
    expect(mac.truth().lockScreen).toBe('locked');
    expect(mac.truth().lockPinDigest).not.toBeNull();
    await send(admin, mac, 'InstallProfile', { Payload: new Uint8Array([1, 2]) });
    expect(await mac.poll()).toMatchObject([{ requestType: 'InstallProfile', status: 'Error', errorReason: 'UNKNOWN_COMMAND' }]);
  });

  it('identity by certificate header (-cert-header); an untrusted certificate is refused', async () => {
    const { s, admin } = await server('X-Client-Cert');
    const ue = await agent(s, 'ios-user-enrollment');
    await ue.enroll();
    await send(admin, ue, 'SecurityInfo');
    expect(await ue.poll()).toMatchObject([{ requestType: 'SecurityInfo', status: 'Acknowledged' }]);
    const stranger = await RunCa.create('not the run CA');
    const intruder = new AppleDeviceAgent(generateDevice(42, 999, 'ios-device'), { serverUrl: `${s.url}/mdm`, topic: TOPIC, identity: await stranger.issue('intruder'), identityMode: { header: 'X-Client-Cert' } });
    const refused = await intruder.enroll().then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(AgentError);
    expect((refused as AgentError).status).toBeGreaterThanOrEqual(400);
    expect((refused as AgentError).status).toBeLessThan(500);
  });
});
