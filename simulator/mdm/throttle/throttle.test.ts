import { describe, expect, it } from 'vitest';
import { Throttle } from './throttle.js';

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
});
