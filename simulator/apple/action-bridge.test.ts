import { describe, expect, it } from 'vitest';
import { generateDevice } from '../fleet-generator.js';
import { AppleDeviceAgent, type AppleVariant, type Fetch } from './agent.js';
import { AppleActionBridge, type BridgedAction } from './action-bridge.js';
import { RunCa } from './identity.js';
import { appleMdmRoutes } from './reference-routes.js';
import { AppleMdmServer } from './reference-server.js';

async function setup(seed = 11) {
  const ca = await RunCa.create();
  const server = new AppleMdmServer({ caPem: ca.pem });
  const settled: BridgedAction[] = [];
  const bridge = new AppleActionBridge(server, seed, (a) => settled.push({ ...a }));
  const app = appleMdmRoutes(server, { apiKey: 'k' });
  const fetch: Fetch = (url, init) => Promise.resolve(app.request(new URL(url).pathname, { method: init.method, headers: init.headers, body: init.body }));
  let n = 0;
  const agent = async (variant: AppleVariant, unlockToken: 'good' | 'bad' | 'missing' = 'good') => {
    const base = generateDevice(seed, n++, variant);
    const profile = { ...base, facts: { ...base.facts, unlockToken, devicePasscodeSet: true } };
    const device = new AppleDeviceAgent(profile, { serverUrl: 'http://reference.test/mdm', topic: 'com.apple.mgmt.t', identity: await ca.issue(profile.id), identityMode: 'signature', fetch });
    await device.enroll();
    return device;
  };
  return { server, bridge, settled, agent };
}

describe('Graph actions on protocol-enrolled Apple devices become Apple commands', () => {
  it('resetPasscode sends the escrowed token: done when acknowledged, failed (never done) when the device refuses', async () => {
    const { bridge, settled, agent } = await setup();
    const good = await agent('ios-device', 'good');
    const bad = await agent('ios-device', 'bad');
    const a = bridge.start(good.enrollmentId, 'resetPasscode', 'ios') as BridgedAction;
    const b = bridge.start(bad.enrollmentId, 'resetPasscode', 'ios') as BridgedAction;
    expect([a.state, a.requestType]).toEqual(['pending', 'ClearPasscode']);
    await good.poll();
    await bad.poll();
    expect(bridge.get(a.commandUuid)?.state).toBe('done');
    expect(bridge.get(b.commandUuid)).toMatchObject({ state: 'failed', error: { code: expect.any(Number) } });
    expect(good.truth().devicePasscode).toBe('none');
    expect(settled.map((s) => s.state)).toEqual(['done', 'failed']);
  });

  it('a User Enrollment has no token to send: resetPasscode is refused before anything is queued', async () => {
    const { bridge, agent, server } = await setup();
    const ue = await agent('ios-user-enrollment');
    expect(bridge.start(ue.enrollmentId, 'resetPasscode', 'ios')).toMatch(/no UnlockToken/);
    expect(server.enrollments.get(ue.enrollmentId)?.queue).toEqual([]);
  });

  it('remoteLock on a Mac sends a six-digit PIN the Mac locks with; wipe sends EraseDevice', async () => {
    const { bridge, agent } = await setup();
    const mac = await agent('macos');
    const lock = bridge.start(mac.enrollmentId, 'remoteLock', 'macos') as BridgedAction;
    await mac.poll();
    expect(bridge.get(lock.commandUuid)?.state).toBe('done');
    expect(mac.log[0]).toMatchObject({ requestType: 'DeviceLock', pinLength: 6 });
    expect(mac.truth().lockPinDigest).toBe(lock.pinDigest);
    const phone = await agent('ios-device');
    const wipe = bridge.start(phone.enrollmentId, 'wipe', 'ios') as BridgedAction;
    await phone.poll();
    expect(phone.log[0]).toMatchObject({ requestType: 'EraseDevice', pinLength: null });
    expect(bridge.get(wipe.commandUuid)?.state).toBe('done');
  });

  it('same seed, same command UUIDs and PINs', async () => {
    const run = async () => {
      const { bridge, agent } = await setup(5);
      const mac = await agent('macos');
      const lock = bridge.start(mac.enrollmentId, 'remoteLock', 'macos') as BridgedAction;
      return [lock.commandUuid, lock.pinDigest];
    };
    expect(await run()).toEqual(await run());
  });
});
