import { describe, expect, it } from 'vitest';
import { INTUNE_LIMIT, parseThrottleSpec, Throttle } from './throttle.js';

describe('Throttle', () => {
  it('lets a client make N requests per window, then says how long to wait; clients do not share', () => {
    let now = 1_000_000;
    const throttle = new Throttle({ requests: 5, windowSeconds: 10 }, () => now);
    for (let i = 0; i < 5; i++) expect(throttle.take('a')).toBe(0);
    expect(throttle.take('a')).toBe(2); // one token refills in 2 s
    expect(throttle.take('b')).toBe(0);
    now += 2000;
    expect(throttle.take('a')).toBe(0);
    expect(throttle.take('a')).toBeGreaterThanOrEqual(1);
    now += 10_000;
    for (let i = 0; i < 5; i++) expect(throttle.take('a')).toBe(0);
  });

  it('parses N/Ws and the Intune preset, and refuses the rest', () => {
    expect(parseThrottleSpec('intune')).toEqual(INTUNE_LIMIT);
    expect(parseThrottleSpec('30/10s')).toEqual({ requests: 30, windowSeconds: 10 });
    for (const bad of ['0/10s', '10/0s', '10', '10/10', 'ten/10s', '-1/10s']) expect(parseThrottleSpec(bad), bad).toBeNull();
  });
});
