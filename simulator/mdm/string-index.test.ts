import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartitionedStringIndex, StringIndex } from './string-index.js';

/** Adds `keys` in order to `index` and to a Map (a key added twice keeps its first value), then gets every key and probe from both. */
function expectSameAsMap(index: { addNew(key: string, value: number): boolean; get(key: string): number | undefined }, keys: readonly string[], probes: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  keys.forEach((k, i) => {
    expect(index.addNew(k, i)).toBe(!map.has(k));
    if (!map.has(k)) map.set(k, i);
  });
  for (const k of [...keys, ...probes]) expect(index.get(k)).toBe(map.get(k));
  return map;
}

describe('StringIndex', () => {
  it('answers like a Map for any keys inserted once', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 40 }), { maxLength: 3000 }), fc.array(fc.string({ maxLength: 40 }), { maxLength: 50 }), (keys, probes) => {
        const index = new StringIndex<number>();
        const map = expectSameAsMap(index, keys, probes);
        expect(index.size).toBe(map.size);
        for (const k of [...keys, ...probes]) expect(index.has(k)).toBe(map.has(k));
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the first value of a key added twice, and forgets everything on clear', () => {
    const index = new StringIndex<string>();
    for (let i = 0; i < 5000; i++) index.addNew(`device-${i}`, `v${i}`);
    expect(index.addNew('device-42', 'again')).toBe(false);
    expect(index.get('device-42')).toBe('v42');
    expect(index.get('device-4999')).toBe('v4999');
    expect(index.get('device-1')).toBe('v1');
    index.clear();
    expect(index.size).toBe(0);
    // device-1 was the last key found: the lookup after clear() must not answer from that memory.
    expect(index.get('device-1')).toBeUndefined();
    expect(index.has('device-1')).toBe(false);
    index.addNew('device-1', 'new');
    expect(index.get('device-1')).toBe('new');
    expect(index.get('device-2')).toBeUndefined();
    expect(index.get('device-1')).toBe('new');
  });

  it('finds every key after reserve() makes room midway, and keeps adding past the reservation', () => {
    const index = new StringIndex<number>();
    for (let i = 0; i < 3000; i++) index.addNew(`d-${i}`, i);
    for (const _ of index.reserving(10_000));
    for (const _ of index.reserving(100)); // less than it holds: nothing to do
    expect(index.size).toBe(3000);
    for (let i = 3000; i < 12_000; i++) expect(index.addNew(`d-${i}`, i)).toBe(true);
    expect(index.size).toBe(12_000);
    for (let i = 0; i < 12_000; i += 7) expect(index.get(`d-${i}`)).toBe(i);
    expect(index.has('d-12000')).toBe(false);
    expect(index.addNew('d-5', -1)).toBe(false);
  });
});

describe('PartitionedStringIndex', () => {
  it('answers like a Map for any keys, a key added twice keeping its first value', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { maxLength: 3000 }), fc.array(fc.string({ maxLength: 30 }), { maxLength: 50 }), (keys, probes) => {
        expectSameAsMap(new PartitionedStringIndex<number>(), keys, probes);
      }),
      { numRuns: 60 },
    );
  });

  it('holds 200 000 keys spread over its parts', () => {
    const index = new PartitionedStringIndex<number>();
    for (let i = 0; i < 200_000; i++) index.addNew(`serial-${i}`, i);
    for (let i = 0; i < 200_000; i += 997) expect(index.get(`serial-${i}`)).toBe(i);
    expect(index.get('serial-200000')).toBeUndefined();
  });
});
