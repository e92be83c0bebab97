import { describe, expect, it } from 'vitest';
import { newRequestId } from './request-id.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('newRequestId', () => {
  it('gives version 4 UUIDs, all different, across several refills of its random pool', () => {
    const ids = Array.from({ length: 5000 }, () => newRequestId());
    for (const id of ids) expect(id).toMatch(V4);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('uses every hex digit in every free position (the bytes are random, not a counter)', () => {
    const ids = Array.from({ length: 2000 }, () => newRequestId());
    for (const position of [0, 7, 9, 15, 20, 35]) {
      expect(new Set(ids.map((id) => id[position])).size, `position ${position}`).toBe(16);
    }
  });
});
