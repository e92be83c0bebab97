import { describe, expect, it } from 'vitest';
import { VARIANT_KEYS as VARIANTS } from '../../contract/variants.js';
import { sweepSequence, sweepSpecs } from './sweep.js';

describe('the sweep', () => {
  it('covers every variant, boundary OS spellings with a patch part, and each fact off its default', () => {
    const specs = sweepSpecs();
    for (const v of VARIANTS) expect(specs.some((s) => s.variant === v), v).toBe(true);
    expect(specs).toContainEqual(expect.objectContaining({ variant: 'ae-work-profile-personal', osVersion: '7.1.2' }));
    expect(specs).toContainEqual(expect.objectContaining({ variant: 'android-da-modern', osVersion: '7.1.2' }));
    expect(specs).toContainEqual(expect.objectContaining({ variant: 'aosp-userless', passcodePolicy: false }));
    expect(specs).toContainEqual(expect.objectContaining({ variant: 'ios-device', unlockToken: 'bad' }));
    expect(specs).toContainEqual(expect.objectContaining({ variant: 'macos', online: false }));
  });

  it('walks a multi-step sequence on purpose: reset, type what the admin saw, the seven days from the request, lock twice, wipe', () => {
    const ops = sweepSequence({ variant: 'ae-fully-managed', online: false }).map((s) => (s.op === 'act' ? `${s.action}:${s.role}` : s.op === 'event' ? s.event.type : s.op === 'advance' ? s.duration : s.op));
    expect(ops.indexOf('P3D')).toBeLessThan(ops.indexOf('goOnline'));
    expect(ops).toContain('enterPasscode');
    expect(ops.filter((o) => o.startsWith('remoteLock:')).length).toBe(2);
    expect(ops[ops.length - 1]).toBe('audits');
  });
});
