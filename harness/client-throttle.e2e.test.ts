import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../simulator/mdm/test-support/server.js';
import { LockstepClient } from './client.js';

// The throttle's wall clock, injected: the client's waits move it, so nothing sleeps.
let now = 1_700_000_000_000;
let s: TestServer;
beforeAll(async () => {
  // Two requests per second per client: the third in a burst is told to wait a second.
  s = await startTestServer({ throttle: { requests: 2, windowSeconds: 1 }, throttleClock: () => now });
});
afterAll(() => s.close());

describe('lockstep serve --throttle', () => {
  it("answers a client past its rate with Graph's 429 TooManyRequests and Retry-After; other clients go on", async () => {
    const path = '/beta/deviceManagement/managedDevices?$top=1';
    const statuses: number[] = [];
    let throttled: Awaited<ReturnType<TestServer['req']>> | undefined;
    for (let i = 0; i < 4; i++) {
      const r = await s.req('helpdesk-operator', 'GET', path, { headers: { 'client-request-id': `burst-${i}` } });
      statuses.push(r.status);
      if (r.status === 429) throttled ??= r;
    }
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(throttled!.body.error).toMatchObject({ code: 'TooManyRequests', message: expect.stringMatching(/at most 2 per 1 s/) });
    expect(throttled!.body.error.innerError).toMatchObject({ 'request-id': throttled!.headers.get('request-id'), 'client-request-id': 'burst-2' });
    expect(throttled!.headers.get('retry-after')).toBe('1');
    expect((await s.req('read-only-operator', 'GET', path)).status).toBe(200);
    // The token endpoint and the simulation API are not throttled.
    for (let i = 0; i < 4; i++) expect((await s.sim('GET', '/sim/clock')).status).toBe(200);
    now += 1000;
    expect((await s.req('helpdesk-operator', 'GET', path)).status).toBe(200);
  });

  it("lockstep's own client waits out Retry-After (on the injected clock) and gets its answer", async () => {
    now += 60_000;
    const waits: number[] = [];
    const client = new LockstepClient({
      baseUrl: s.url,
      wait: async (ms) => {
        waits.push(ms);
        now += ms;
      },
    });
    const replies = [];
    for (let i = 0; i < 5; i++) replies.push(await client.request('intune-administrator', 'GET', client.graphPath('/managedDevices?$top=1')));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    // A one-second wait refills two requests: the 3rd and the 5th wait.
    expect(waits).toEqual([1000, 1000]);
  });

  it('a client that never waits keeps getting 429 (the server does not let it through early)', async () => {
    now += 60_000;
    const client = new LockstepClient({ baseUrl: s.url, wait: async () => undefined });
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await client.request('intune-administrator', 'GET', client.graphPath('/managedDevices?$top=1')));
    expect(replies.map((r) => r.status)).toEqual([200, 200, 429]);
  });
});
