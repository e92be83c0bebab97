/**
 * The apple section of `npm run bench` (`--only apple`): simulated Apple devices enrolling in a
 * real NanoMDM (NANOMDM_BIN) over its protocol (Authenticate + TokenUpdate, each signed), then one
 * poll each. Skipped, with the reason, when NANOMDM_BIN is not set.
 */
import { log } from './lib/options.js';
import { AppleDeviceFleet } from '../harness/apple/device-fleet.js';
import { RunCa } from '../simulator/apple/identity.js';
import { NANOMDM_MISSING, startNanoMdm } from '../simulator/apple/test-support/nanomdm.js';
import { fmt, type Row } from './lib/stats.js';


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
  } finally {
    await server.stop();
  }
}
