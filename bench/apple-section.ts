/**
 * The apple section of `npm run bench` (`--only apple`): simulated Apple devices enrolling in a
 * real NanoMDM (NANOMDM_BIN) over its protocol (Authenticate + TokenUpdate, each signed), then one
 * poll each. Skipped, with the reason, when NANOMDM_BIN is not set.
 */
import { log, SEED } from './lib/options.js';
import { ReferenceMdm } from '../simulator/mdm/reference-mdm.js';
import { AppleFleetWire } from '../simulator/apple/fleet-wire.js';
import { generateFleet } from '../simulator/fleet-generator.js';
import { runFleetReset } from './fleet-reset.js';
import { AppleDeviceFleet } from '../harness/apple/device-fleet.js';
import { RunCa } from '../simulator/apple/identity.js';
import { NANOMDM_MISSING, startNanoMdm, type NanoMdm } from '../simulator/apple/test-support/nanomdm.js';
import { NanoMdmAdmin } from '../simulator/apple/admin.js';
import { commandPlist } from '../simulator/apple/protocol.js';
import { bareCeiling, listen } from './apple-reference.js';
import { fmt, pct, type Row } from './lib/stats.js';


export async function appleSection(o: { quick: boolean }, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const count = o.quick ? 2000 : 10_000;
  if (NANOMDM_MISSING) {
    rows.push({ section: 'apple', figure: `${fmt(count)} Apple devices enrolled into NanoMDM`, value: 'skipped', ceiling: '', ratio: '', target: '< 60 s', ok: null, note: NANOMDM_MISSING });
    return;
  }
  const ca = await RunCa.create();
  const server = await startNanoMdm(ca.pem);
  try {
    const fleet = new AppleDeviceFleet({ mdmUrl: `${server.url}/mdm`, count, variants: ['ios-device', 'ios-user-enrollment', 'macos'], seed: 1, ca, identityMode: 'signature', topic: 'com.apple.mgmt.External.lockstep-bench', concurrency: 64 });
    log(`apple: enrolling ${count} devices into NanoMDM`);
    let started = performance.now();
    await fleet.enroll();
    const enrollMs = performance.now() - started;
    const enrolled = fleet.figures();
    log(`apple: ${enrolled.enrolled} enrolled in ${fmt(enrollMs / 1000)} s${enrolled.failed ? `, ${enrolled.failed} failed: ${enrolled.firstFailure}` : ''}`);
    started = performance.now();
    await fleet.pollAll();
    const pollMs = performance.now() - started;
    raw.apple = { count, enrollMs, pollMs, failed: enrolled.failed };
    rows.push({
      section: 'apple',
      figure: `${fmt(count)} Apple devices enrolled into NanoMDM (signed Authenticate + TokenUpdate)`,
      value: fmt(enrollMs / 1000, 's'),
      ceiling: '',
      ratio: '',
      target: '< 60 s',
      ok: enrolled.failed === 0 && enrollMs < 60_000,
      note: `${fmt((enrolled.enrolled * 2 * 1000) / enrollMs)} check-ins/s, 64 at a time${enrolled.failed ? `; ${enrolled.failed} failed` : ''}`,
    });
    rows.push({ section: 'apple', figure: '  one signed Idle poll per device (empty queue)', value: fmt((enrolled.enrolled * 1000) / pollMs, 'polls/s'), ceiling: '', ratio: '', target: '', ok: null });
    await nanoMdmCycles(server, fleet, ca, count, rows, raw);
  } finally {
    await server.stop();
  }
}

/**
 * The fleet-wide reset with the reference's Apple devices on the Apple MDM protocol (the
 * default), beside the same fleet with their commands applied in-process (`--apple-commands
 * direct`, what the scale figures use): what the wire costs per Apple command.
 */
export async function appleWireResetSection(o: { quick: boolean }, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const size = o.quick ? 5000 : 20_000;
  const fleet = async (wired: boolean) => {
    const mdm = new ReferenceMdm({ seed: SEED, ...(wired ? { appleWire: await AppleFleetWire.create(SEED) } : {}) });
    for (const profile of generateFleet({ count: size, seed: SEED })) mdm.enroll(profile);
    return mdm;
  };
  const direct = runFleetReset(await fleet(false));
  const wiredMdm = await fleet(true);
  const wired = runFleetReset(wiredMdm);
  const commands = Object.values(wiredMdm.appleWire!.counts).reduce((n, answers) => n + Object.values(answers).reduce((a, b) => a + b, 0), 0);
  const perCommandMs = commands ? (wired.elapsedMs - direct.elapsedMs) / commands : 0;
  raw.appleWireReset = { size, directMs: direct.elapsedMs, wiredMs: wired.elapsedMs, commands, enrolled: wiredMdm.appleWire!.enrolled };
  log(`apple wire: fleet reset of ${size} in ${fmt(wired.elapsedMs)} ms on the wire, ${fmt(direct.elapsedMs)} ms direct; ${commands} Apple commands`);
  rows.push({
    section: 'apple',
    figure: `fleet-wide resetPasscode, ${fmt(size)} devices, Apple devices on the wire: devices/s`,
    value: fmt((size * 1000) / wired.elapsedMs, 'dev/s'),
    ceiling: fmt((size * 1000) / direct.elapsedMs, 'dev/s'),
    ratio: pct(direct.elapsedMs / wired.elapsedMs),
    target: 'all as expected',
    ok: wired.mismatchCount === 0 && wired.done === direct.done && wired.failed === direct.failed,
    note: `ceiling: the same fleet with Apple commands in-process; ${fmt(commands)} Apple commands (each device enrolling at its first), ${perCommandMs.toFixed(2)} ms more each`,
  });
}

/**
 * The full poll cycle against NanoMDM (signed Idle -> SecurityInfo -> signed Acknowledged ->
 * empty), a command queued for every device through its admin API first (not timed), beside the
 * same cycle against a bare Hono route answering a fixed plist, measured in the same run with the
 * same client (a fleet of the same size, the same transport and concurrency).
 */
async function nanoMdmCycles(server: NanoMdm, fleet: AppleDeviceFleet, ca: RunCa, count: number, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const admin = new NanoMdmAdmin(server.url, server.apiKey);
  const ids = fleet.enrollmentIds();
  let next = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < ids.length) {
        const n = next++;
        const uuid = `0BE4C000-0000-4000-A000-${String(n).padStart(12, '0')}`;
        await admin.enqueue(ids[n]!, commandPlist(uuid, 'SecurityInfo'), uuid);
      }
    }),
  );
  let started = performance.now();
  await fleet.pollAll();
  const perSecond = (ids.length * 1000) / (performance.now() - started);
  const handled = fleet.figures().commands.SecurityInfo?.Acknowledged ?? 0;
  const bare = await listen(bareCeiling());
  try {
    const ceilingFleet = new AppleDeviceFleet({ mdmUrl: `${bare.url}/mdm`, count, variants: ['ios-device', 'ios-user-enrollment', 'macos'], seed: 1, ca, identityMode: 'signature', topic: 'com.apple.mgmt.External.lockstep-bench', concurrency: 64 });
    await ceilingFleet.enroll();
    started = performance.now();
    await ceilingFleet.pollAll();
    const ceiling = (count * 1000) / (performance.now() - started);
    ceilingFleet.stop();
    raw.appleNanoMdmCycles = { devices: ids.length, handled, perSecond, ceiling };
    log(`apple: NanoMDM poll cycle ${fmt(perSecond)} cycles/s, ceiling ${fmt(ceiling)} cycles/s`);
    rows.push({
      section: 'apple',
      figure: `poll cycle against NanoMDM (signed Idle -> SecurityInfo -> signed Acknowledged -> empty), ${fmt(ids.length)} devices`,
      value: fmt(perSecond, 'cycles/s'),
      ceiling: fmt(ceiling, 'cycles/s'),
      ratio: pct(perSecond / ceiling),
      target: '',
      ok: handled === ids.length ? null : false,
      note: `ceiling: the same cycle against a bare Hono route answering a fixed plist; ${fmt(handled)} of ${fmt(ids.length)} commands acknowledged`,
    });
  } finally {
    await bare.close();
  }
}
