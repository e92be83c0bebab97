import { createAdaptorServer } from '@hono/node-server';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDevice } from '../fleet-generator.js';
import { NanoMdmAdmin } from './admin.js';
import { AppleDeviceAgent } from './agent.js';
import { RunCa } from './identity.js';
import { commandPlist } from './protocol.js';
import { appleMdmRoutes } from './reference-routes.js';
import { AppleMdmServer } from './reference-server.js';

describe('the reference Apple MDM over loopback HTTP, driven by the NanoMDM admin adapter', () => {
  const closers: Array<() => void> = [];
  afterAll(() => closers.forEach((close) => close()));

  it('takes the same enqueue calls as NanoMDM; a wrong API key is refused', async () => {
    const ca = await RunCa.create();
    const server = new AppleMdmServer({ caPem: ca.pem, identityMode: { header: 'X-Client-Cert' } });
    const http = createAdaptorServer({ fetch: appleMdmRoutes(server, { apiKey: 'secret' }).fetch });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    closers.push(() => http.close());
    const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const profile = generateDevice(9, 0, 'ios-device');
    const device = new AppleDeviceAgent({ ...profile, facts: { ...profile.facts, devicePasscodeSet: true } }, {
      serverUrl: `${url}/mdm`,
      topic: 'com.apple.mgmt.t',
      identity: await ca.issue(profile.id),
      identityMode: { header: 'X-Client-Cert' },
    });
    await device.enroll();
    const uuid = randomUUID().toUpperCase();
    await new NanoMdmAdmin(url, 'secret').enqueue(device.enrollmentId, commandPlist(uuid, 'DeviceInformation', { Queries: ['DeviceName', 'OSVersion'] }), uuid);
    await expect(new NanoMdmAdmin(url, 'wrong').enqueue(device.enrollmentId, commandPlist('X', 'SecurityInfo'), 'X')).rejects.toThrow(/401/);
    const [received] = await device.poll();
    expect(received).toMatchObject({ commandUuid: uuid, requestType: 'DeviceInformation', status: 'Acknowledged', keys: { Queries: 'array' } });
    expect(await device.poll()).toEqual([]);
  });
});
