import { describe, expect, it } from 'vitest';
import { generateFleet } from '../fleet-generator.js';
import { AUDIT_RETENTION_MS, ReferenceMdm } from './reference-mdm.js';

function fleet(maxAudits: number) {
  const mdm = new ReferenceMdm({ seed: 2, maxAudits });
  for (const p of generateFleet({ count: 50, seed: 2, mix: { windows: 1 } })) mdm.enroll(p);
  return mdm;
}

describe('audit retention', () => {
  it('keeps at most the newest maxAudits (plus one batch), dropping the oldest first', () => {
    const mdm = fleet(80);
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const outcome = mdm.requestAction(mdm.deviceAt(i % 50)!.profile.id, 'remoteLock', 'admin');
      if (outcome.kind !== 'notFound') ids.push(outcome.action.auditId);
      if (i % 50 === 49) mdm.clock.advance(60_000);
    }
    expect(mdm.auditCount).toBeLessThanOrEqual(80 + 10);
    expect(mdm.allAudits().map((a) => a.auditId)).toEqual(ids.slice(ids.length - mdm.auditCount));
  });

  it('drops audits older than the window (30 simulated days) and bumps the audit epoch', () => {
    const mdm = fleet(8);
    for (let i = 0; i < 8; i++) mdm.requestAction(mdm.deviceAt(i)!.profile.id, 'remoteLock', 'admin');
    const epoch = mdm.auditEpoch;
    mdm.clock.advance(AUDIT_RETENTION_MS + 1);
    mdm.requestAction(mdm.deviceAt(9)!.profile.id, 'remoteLock', 'admin');
    expect(mdm.auditCount).toBe(1);
    expect(mdm.auditEpoch).not.toBe(epoch);
  });
});
