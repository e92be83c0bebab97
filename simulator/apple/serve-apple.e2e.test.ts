import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDevice } from '../fleet-generator.js';
import type { ServeOptions } from '../mdm/serve.js';
import { startTestServer, type TestServer } from '../mdm/test-support/server.js';
import { NanoMdmAdmin } from './admin.js';
import { AgentError, AppleDeviceAgent } from './agent.js';
import { loadOrCreateCa, RunCa } from './identity.js';
import { commandPlist } from './protocol.js';

const dir = mkdtempSync(join(tmpdir(), 'lockstep-serve-apple-'));
const servers: TestServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

const QUEUED = '0A0B0C0D-0000-4000-A000-000000000002';

/**
 * A device from outside enrolls into a `--data-dir` server and gets a command queued; the server
 * stops and starts again on the same port (after `between`, where a wrong server does its harm).
 */
async function restarted(name: string, between: (dataDir: string) => void = () => {}, restart: Partial<ServeOptions> = {}) {
  const dataDir = join(dir, name);
  const options = { dataDir, appleApiKey: 'durable-key' };
  const first = await startTestServer(options);
  const { ca } = await loadOrCreateCa(join(dataDir, 'apple-ca'));
  const profile = generateDevice(3, 4, 'ios-device');
  const device = { ...profile, facts: { ...profile.facts, devicePasscodeSet: true } };
  const agent = new AppleDeviceAgent(device, { serverUrl: `${first.url}/mdm`, topic: 'com.apple.mgmt.test', identity: await ca.issue(profile.id), identityMode: 'signature' });
  await agent.enroll();
  await new NanoMdmAdmin(first.url, 'durable-key').enqueue(agent.enrollmentId, commandPlist(QUEUED, 'SecurityInfo'), QUEUED);
  await first.close();
  between(dataDir);
  const second = await startTestServer({ ...options, ...restart, port: Number(new URL(first.url).port) });
  servers.push(second);
  return { first, second, agent };
}

describe('lockstep serve is an Apple MDM server too (PUT /mdm, the NanoMDM-style admin API)', () => {
  it('a device from outside enrolls over HTTP with a certificate of the --apple-ca CA, takes a command queued through the admin API, and its answer is read', async () => {
    const caDir = join(dir, 'ca');
    const s = await startTestServer({ appleCaDir: caDir, appleApiKey: 'test-api-key' });
    servers.push(s);
    expect(s.appleCa).toEqual({ certFile: join(caDir, 'ca.pem'), created: true });
    const { ca } = await loadOrCreateCa(caDir);
    const profile = generateDevice(3, 1, 'ios-device');
    const agent = new AppleDeviceAgent({ ...profile, facts: { ...profile.facts, devicePasscodeSet: true } }, { serverUrl: `${s.url}/mdm`, topic: 'com.apple.mgmt.test', identity: await ca.issue(profile.id), identityMode: 'signature' });
    await agent.enroll();
    const admin = new NanoMdmAdmin(s.url, 'test-api-key');
    await admin.enqueue(agent.enrollmentId, commandPlist('0A0B0C0D-0000-4000-A000-000000000001', 'SecurityInfo'), '0A0B0C0D-0000-4000-A000-000000000001');
    const push = await fetch(`${s.url}/v1/push/${agent.enrollmentId}`, { headers: { authorization: `Basic ${Buffer.from('nanomdm:test-api-key').toString('base64')}` } });
    expect(await push.json()).toEqual({ status: { [agent.enrollmentId]: {} } });
    const handled = await agent.poll();
    expect(handled).toMatchObject([{ requestType: 'SecurityInfo', status: 'Acknowledged' }]);
    expect(s.mdm.appleWire!.server.enrollments.get(agent.enrollmentId)).toMatchObject({ tokenUpdates: 1, queue: [] });
    // A device from outside is an enrollment of the server, not one of the fleet's devices.
    expect((await s.sim('GET', '/sim/stats')).body.appleMdm).toEqual({ enrolled: 0, enrollments: 1, commands: { SecurityInfo: { Acknowledged: 1 } } });
  });

  it('with --data-dir, a device from outside is still enrolled after a restart, with the command queued for it (its messages and the admin API are replayed)', async () => {
    const { first, second, agent } = await restarted('data');
    // No --apple-ca: a durable server keeps its CA in the data directory.
    expect(first.appleCa).toEqual({ certFile: join(dir, 'data', 'apple-ca', 'ca.pem'), created: true });
    expect(second.appleCa).toMatchObject({ created: false });
    const enrollment = second.mdm.appleWire!.server.enrollments.get(agent.enrollmentId);
    expect(enrollment).toMatchObject({ tokenUpdates: 1 });
    expect(enrollment!.queue).toHaveLength(1);
    expect(await agent.poll()).toMatchObject([{ commandUuid: QUEUED, requestType: 'SecurityInfo', status: 'Acknowledged' }]);
  });

  it('the restart check catches wrong servers: a journal without the devices\' signatures, a new CA at each start', async () => {
    const stripped = await restarted('stripped', (dataDir) => {
      const db = new Database(join(dataDir, 'lockstep.sqlite'));
      db.exec('UPDATE requests SET headers = NULL');
      db.close();
    });
    expect(stripped.second.mdm.appleWire!.server.enrollments.get(stripped.agent.enrollmentId)).toBeUndefined();
    const newCa = await restarted('new-ca', () => {}, { appleCaDir: join(dir, 'another-ca') });
    expect(newCa.second.mdm.appleWire!.server.enrollments.get(newCa.agent.enrollmentId)).toBeUndefined();
  });

  it('refuses what a real server refuses, Graph-shaped: an untrusted device (401), a wrong admin key (401), an unknown enrollment (400)', async () => {
    const s = await startTestServer({ appleApiKey: 'another-key' });
    servers.push(s);
    const stranger = await RunCa.create('not trusted');
    const profile = generateDevice(3, 2, 'macos');
    const intruder = new AppleDeviceAgent(profile, { serverUrl: `${s.url}/mdm`, topic: 't', identity: await stranger.issue(profile.id), identityMode: 'signature' });
    const refused = await intruder.enroll().catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AgentError);
    expect((refused as AgentError).status).toBe(401);
    const badKey = await fetch(`${s.url}/v1/enqueue/ABC`, { method: 'PUT', headers: { authorization: `Basic ${Buffer.from('nanomdm:wrong-key').toString('base64')}` }, body: commandPlist('X', 'SecurityInfo') });
    expect(badKey.status).toBe(401);
    expect(await badKey.json()).toMatchObject({ error: { code: 'Unauthorized' } });
    const unknown = await fetch(`${s.url}/v1/enqueue/NOPE`, { method: 'PUT', headers: { authorization: `Basic ${Buffer.from('nanomdm:another-key').toString('base64')}` }, body: commandPlist('X', 'SecurityInfo') });
    expect(unknown.status).toBe(400);
    const garbage = await fetch(`${s.url}/mdm`, { method: 'PUT', body: 'not a plist' });
    expect(garbage.status).toBe(401);
    expect(((await garbage.json()) as { error: { message: string } }).error.message).toBe('no Mdm-Signature header');
  });

  it('a Graph resetPasscode on a fleet iPhone is a ClearPasscode on the wire; /sim/stats counts it; --apple-commands direct has no Apple endpoint', async () => {
    const s = await startTestServer({});
    servers.push(s);
    const id = await s.enroll({ variant: 'ios-device', devicePasscodeSet: true, unlockToken: 'good' });
    expect((await s.graph('helpdesk-operator', 'POST', `/managedDevices/${id}/resetPasscode`)).status).toBe(204);
    expect((await s.sim('POST', '/sim/clock', { advance: 'PT1M' })).status).toBe(200);
    const stats = await s.sim('GET', '/sim/stats');
    expect(stats.body.appleMdm).toEqual({ enrolled: 1, enrollments: 1, commands: { ClearPasscode: { Acknowledged: 1 } } });
    const direct = await startTestServer({ appleCommands: 'direct' });
    servers.push(direct);
    const none = await fetch(`${direct.url}/mdm`, { method: 'PUT', body: 'x' });
    expect(none.status).toBe(404);
    expect((await direct.sim('GET', '/sim/stats')).body.appleMdm).toBeUndefined();
  });
});
