import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { fmt, pct, type Row } from './lib/stats.js';

/**
 * Apple MDM over the wire against a real NanoMDM (NANOMDM_BIN): devices enrolled per second
 * (Authenticate + TokenUpdate, each signed with Mdm-Signature) and full poll cycles per second
 * (signed Idle -> command -> signed answer -> empty), each beside a ceiling measured in the same
 * run: the same agents against a bare node:http route that answers a fixed plist (an empty body
 * to a check-in, one command to an Idle, nothing to a result).
 */
export async function appleSection(o: { quick: boolean; runs: number }, rows: Row[], raw: Record<string, unknown>, log: (line: string) => void): Promise<void> {
  const at = (path: string) => new URL(path, import.meta.url).href;
  const nano = (await import(at('../simulator/apple/test-support/nanomdm.js'))) as typeof import('../simulator/apple/test-support/nanomdm.js');
  if (nano.NANOMDM_MISSING) {
    rows.push({ section: 'apple', figure: 'devices enrolled into NanoMDM', value: 'skipped', ceiling: '', ratio: '', target: '10,000 < 60 s', ok: null, note: nano.NANOMDM_MISSING });
    return;
  }
  const { RunCa } = (await import(at('../simulator/apple/identity.js'))) as typeof import('../simulator/apple/identity.js');
  const { AppleDeviceAgent, APPLE_VARIANTS } = (await import(at('../simulator/apple/agent.js'))) as typeof import('../simulator/apple/agent.js');
  const { NanoMdmAdmin } = (await import(at('../simulator/apple/admin.js'))) as typeof import('../simulator/apple/admin.js');
  const { commandPlist } = (await import(at('../simulator/apple/protocol.js'))) as typeof import('../simulator/apple/protocol.js');
  const { generateDevice } = (await import(at('../simulator/fleet-generator.js'))) as typeof import('../simulator/fleet-generator.js');

  const count = o.quick ? 1000 : 10_000;
  const concurrency = 64;
  const topic = 'com.apple.mgmt.External.lockstep-bench';
  const ca = await RunCa.create();
  const inParallel = async <T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<number> => {
    const started = performance.now();
    let next = 0;
    await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }));
    return (performance.now() - started) / 1000;
  };

  const profiles = Array.from({ length: count }, (_, i) => generateDevice(1, i, APPLE_VARIANTS[i % APPLE_VARIANTS.length]));
  const identities = new Map<string, Awaited<ReturnType<typeof ca.issue>>>();
  const issueSeconds = await inParallel(profiles, async (p) => identities.set(p.id, await ca.issue(p.id)));
  log(`apple: ${count} device identities in ${issueSeconds.toFixed(1)} s`);
  const agentsFor = (serverUrl: string) => profiles.map((p) => new AppleDeviceAgent(p, { serverUrl, topic, identity: identities.get(p.id)!, identityMode: 'signature' }));

  // The ceiling: a bare route answering fixed plists, same agents, same signatures.
  const fixedCommand = Buffer.from(commandPlist('BENCH-CEILING', 'DeviceInformation', { Queries: ['OSVersion'] }));
  const bare = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const idle = String(request.headers['content-type']).includes('aspen-mdm') && Buffer.concat(chunks).includes('<string>Idle</string>');
      response.end(idle ? fixedCommand : undefined);
    });
  });
  await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', () => resolve()));
  const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/mdm`;
  const server = await nano.startNanoMdm(ca.pem);
  try {
    const ceilingAgents = agentsFor(bareUrl);
    const ceilingEnroll = await inParallel(ceilingAgents, (a) => a.enroll());
    const ceilingPoll = await inParallel(ceilingAgents, (a) => a.poll());

    const agents = agentsFor(`${server.url}/mdm`);
    const enrollSeconds = await inParallel(agents, (a) => a.enroll());
    log(`apple: ${count} devices enrolled into NanoMDM in ${enrollSeconds.toFixed(1)} s (bare route: ${ceilingEnroll.toFixed(1)} s)`);
    // One queued command per device, then every device polls once: Idle -> command -> result -> empty.
    const admin = new NanoMdmAdmin(server.url, server.apiKey);
    await inParallel(agents, (a) => {
      const uuid = randomUUID();
      return admin.enqueue(a.enrollmentId, commandPlist(uuid, 'DeviceInformation', { Queries: ['OSVersion'] }), uuid);
    });
    const pollSeconds = await inParallel(agents, async (a) => {
      const handled = await a.poll();
      if (handled.length !== 1) throw new Error(`device ${a.enrollmentId} handled ${handled.length} commands in one poll, not 1`);
    });
    const rate = (seconds: number) => count / seconds;
    raw.apple = { count, concurrency, issueSeconds, enrollSeconds, ceilingEnrollSeconds: ceilingEnroll, pollSeconds, ceilingPollSeconds: ceilingPoll };
    rows.push({
      section: 'apple',
      figure: `${fmt(count)} devices enrolled into NanoMDM (Authenticate + TokenUpdate, signed)`,
      value: fmt(rate(enrollSeconds), 'dev/s'),
      ceiling: fmt(rate(ceilingEnroll), 'dev/s'),
      ratio: pct(ceilingEnroll / enrollSeconds),
      target: count === 10_000 ? '< 60 s' : '',
      ok: count === 10_000 ? enrollSeconds < 60 : null,
      note: `${enrollSeconds.toFixed(1)} s; identities (not timed above) ${issueSeconds.toFixed(1)} s; ceiling: bare node:http route`,
    });
    rows.push({
      section: 'apple',
      figure: 'poll cycles against NanoMDM (signed Idle -> command -> signed answer)',
      value: fmt(rate(pollSeconds), 'cycles/s'),
      ceiling: fmt(rate(ceilingPoll), 'cycles/s'),
      ratio: pct(ceilingPoll / pollSeconds),
      target: '',
      ok: null,
      note: `${count} devices, one command each, ${concurrency} in flight`,
    });
  } finally {
    await server.stop();
    await new Promise((resolve) => bare.close(resolve));
  }
}
