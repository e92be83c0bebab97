/**
 * The reference's side of the Apple wire in `npm run bench --only apple`: the full poll cycle
 * (signed Idle -> command -> signed Acknowledged -> empty answer) of simulated devices against the
 * reference's `PUT /mdm` over loopback HTTP, beside a ceiling measured in the same run: the same
 * requests to a bare Hono route that answers a fixed command plist and then an empty body.
 */
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { AppleDeviceAgent, type AppleVariant } from '../simulator/apple/agent.js';
import { RunCa } from '../simulator/apple/identity.js';
import { commandPlist } from '../simulator/apple/protocol.js';
import { appleMdmRoutes } from '../simulator/apple/reference-routes.js';
import { AppleMdmServer } from '../simulator/apple/reference-server.js';
import { generateDevice } from '../simulator/fleet-generator.js';
import { fmt, type Row } from './lib/stats.js';

const VARIANTS: AppleVariant[] = ['ios-device', 'ios-user-enrollment', 'macos'];

export async function listen(app: Hono): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createAdaptorServer({ fetch: app.fetch });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Cycles per second: every device polls `rounds` times, `concurrency` devices at a time; `before` queues a command for each. */
async function cycles(agents: AppleDeviceAgent[], rounds: number, concurrency: number, before: (agent: AppleDeviceAgent, round: number) => void): Promise<number> {
  const started = performance.now();
  for (let round = 0; round < rounds; round++) {
    for (const agent of agents) before(agent, round);
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < agents.length) await agents[next++]!.poll();
      }),
    );
  }
  return (agents.length * rounds * 1000) / (performance.now() - started);
}

/** The ceiling: a route that parses nothing and checks nothing, answering a fixed command to an Idle. */
export function bareCeiling(): Hono {
  const fixed = commandPlist('00000000-0000-4000-A000-000000000000', 'SecurityInfo');
  return new Hono().put('/mdm', async (c) => {
    const text = await c.req.text();
    return text.includes('<string>Idle</string>') ? c.body(new Uint8Array(fixed), 200, { 'content-type': 'application/xml' }) : c.body(null, 200);
  });
}

export async function appleReferenceSection(o: { quick: boolean }, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const count = o.quick ? 200 : 1000;
  const rounds = o.quick ? 2 : 5;
  const ca = await RunCa.create();
  const server = new AppleMdmServer({ caPem: ca.pem });
  const reference = await listen(appleMdmRoutes(server, { apiKey: 'bench' }) as Hono);
  const ceilingServer = await listen(bareCeiling());
  try {
    const make = async (url: string) =>
      Promise.all(
        Array.from({ length: count }, async (_, i) => {
          const profile = generateDevice(3, i, VARIANTS[i % VARIANTS.length]!);
          return new AppleDeviceAgent(profile, { serverUrl: `${url}/mdm`, topic: 'com.apple.mgmt.External.lockstep-bench', identity: await ca.issue(profile.id), identityMode: 'signature' });
        }),
      );
    const agents = await make(reference.url);
    for (const agent of agents) await agent.enroll();
    const ceilingAgents = await make(ceilingServer.url);
    const perSecond = await cycles(agents, rounds, 64, (agent, round) => {
      server.enqueue(agent.enrollmentId, commandPlist(`BENCH-${round}-${agent.enrollmentId}`, 'SecurityInfo'));
    });
    const ceiling = await cycles(ceilingAgents, rounds, 64, () => {});
    raw.appleReference = { count, rounds, perSecond, ceiling };
    rows.push({
      section: 'apple',
      figure: `poll cycle against the reference (signed Idle -> SecurityInfo -> signed Acknowledged -> empty), ${fmt(count)} devices`,
      value: fmt(perSecond, 'cycles/s'),
      ceiling: fmt(ceiling, 'cycles/s'),
      ratio: `${fmt((100 * perSecond) / ceiling)} %`,
      target: '>= 50 % of ceiling',
      ok: perSecond >= ceiling / 2,
      note: 'ceiling: the same requests to a bare Hono route answering a fixed plist',
    });
  } finally {
    await reference.close();
    await ceilingServer.close();
  }
}
