import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../simulator/mdm/test-support/server.js';
import { LockstepClient } from './client.js';

let s: TestServer;
beforeAll(async () => {
  // Two requests per second per client: the third in a burst waits about a second.
  s = await startTestServer({ throttle: { requests: 2, windowSeconds: 1 } });
});
afterAll(() => s.close());

describe('lockstep serve --throttle', () => {
  it("answers a client past its rate with Graph's 429 TooManyRequests and Retry-After; other clients go on", async () => {
    const path = '/beta/deviceManagement/managedDevices?$top=1';
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<TestServer['req']>> | undefined;
    for (let i = 0; i < 4; i++) {
      const r = await s.req('helpdesk-operator', 'GET', path);
      statuses.push(r.status);
      if (r.status === 429) throttled ??= r;
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200]);
    expect(throttled, statuses.join(',')).toBeDefined();
    expect(throttled!.body.error).toMatchObject({ code: 'TooManyRequests', message: expect.stringMatching(/at most 2 per 1 s/) });
    expect(Number(throttled!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect((await s.req('read-only-operator', 'GET', path)).status).toBe(200);
    // The token endpoint and the simulation API are not throttled.
    for (let i = 0; i < 4; i++) expect((await s.sim('GET', '/sim/clock')).status).toBe(200);
  });

  it("lockstep's own client waits out Retry-After and gets its answer", async () => {
    const client = new LockstepClient({ baseUrl: s.url });
    const started = Date.now();
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await client.request('intune-administrator', 'GET', client.graphPath('/managedDevices?$top=1')));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });
});
