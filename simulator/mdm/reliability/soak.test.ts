import { describe, expect, it } from 'vitest';
import { generateFleet } from '../../fleet-generator.js';
import { createApp } from '../app.js';
import { createAuthConfig } from '../auth.js';
import { ReferenceMdm } from '../reference-mdm.js';
import { heapAfterGc, SoakLoad } from './soak-load.js';

/** Heap growth per phase of 6 000 mixed requests after warm-up, by least squares over the phase ends. */
function slope(samples: number[]): number {
  const n = samples.length;
  const mx = (n - 1) / 2;
  const my = samples.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  samples.forEach((y, x) => {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  });
  return num / den;
}

async function soak(maxAudits: number): Promise<{ perPhase: number; errors: number; audits: number }> {
  const mdm = new ReferenceMdm({ seed: 3, maxAudits });
  for (const profile of generateFleet({ count: 2000, seed: 3 })) mdm.enroll(profile);
  const auth = createAuthConfig({});
  const app = createApp({ mdm, auth });
  const load = new SoakLoad(app, auth, mdm.all().map((d) => d.profile.id), 9);
  // Warm-up: fills the audit store to its cap, builds indexes, JIT.
  let errors = await load.run(12_000);
  const samples: number[] = [];
  for (let phase = 0; phase < 5; phase++) {
    errors += await load.run(6_000);
    samples.push(heapAfterGc());
  }
  return { perPhase: slope(samples), errors, audits: mdm.auditCount };
}

describe('soak (short): memory stays flat under mixed load', () => {
  it('grows the heap by less than 256 KB per 6 000 requests after warm-up (audits are retained up to the cap)', async () => {
    const { perPhase, errors, audits } = await soak(Number(process.env.LOCKSTEP_SOAK_MAX_AUDITS ?? 5000));
    expect(errors).toBe(0);
    expect(perPhase).toBeLessThan(256 * 1024);
    expect(audits).toBeLessThanOrEqual(5000 + 5000 / 8);
  });
});
