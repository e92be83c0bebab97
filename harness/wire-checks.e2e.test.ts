import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../simulator/mdm/test-support/server.js';
import { pathOf } from './mutants/http.js';
import { WIRE_MUTANTS, type WireMutant } from './mutants/wire.js';
import { checkWire } from './wire-checks.js';

// The throttle's clock, injected: each check run starts with a full bucket.
let now = 1_800_000_000_000;
let s: TestServer;
const options = async () => {
  now += 600_000;
  return { forwardedOrigin: 'https://mdm.example.test:8443', burst: 12, token: await s.token('intune-administrator') };
};

beforeAll(async () => {
  s = await startTestServer({ devices: 3, trustForwarded: true, throttle: { requests: 8, windowSeconds: 10 }, throttleClock: () => now });
});
afterAll(() => s.close());

/** The wrong MDM over a real socket: the mutant's wrapper around a plain forward to lockstep. */
async function serveMutant(mutant: WireMutant): Promise<{ url: string; close(): Promise<void> }> {
  const forward = async (request: Request): Promise<Response> => {
    const headers = new Headers(request.headers);
    headers.delete('host');
    const upstream = await fetch(s.url + pathOf(request) + new URL(request.url).search, { method: request.method, headers });
    const out = new Headers(upstream.headers);
    out.delete('transfer-encoding');
    return new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: out });
  };
  const server = createAdaptorServer({ fetch: mutant.wrap(forward, s.mdm) }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('wire checks: 401 code and shape, links behind a proxy, 429 with Retry-After', () => {
  it('lockstep serve --trust-forwarded --throttle passes them', async () => {
    expect(await checkWire(s.url, await options())).toEqual([]);
  });

  for (const mutant of WIRE_MUTANTS) {
    it(`catch the wrong MDM that ${mutant.bug}`, async () => {
      const wrong = await serveMutant(mutant);
      try {
        const problems = await checkWire(wrong.url, await options());
        expect(problems.map((p) => p.check), JSON.stringify(problems)).toEqual([mutant.caughtBy]);
      } finally {
        await wrong.close();
      }
    });
  }
});
