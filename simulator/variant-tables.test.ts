import { describe, expect, it } from 'vitest';
import { FAMILIES } from './device-machine.js';
import { CATALOG } from './fleet-catalog.js';
import { DEFAULT_MIX } from './fleet-generator.js';
import { SUPPORT } from './support-matrix.js';
import { VARIANT_INFO } from './variants.js';
import { VARIANT_KEYS, type VariantKey } from '../contract/variants.js';

/** The keys a table must have (optional keys left out). */
type RequiredKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? never : K }[keyof T];
/** true only when the table requires exactly every variant: a Partial or string-keyed table is false. */
type EveryVariant<T> = [RequiredKeys<T>] extends [VariantKey] ? ([VariantKey] extends [RequiredKeys<T>] ? true : false) : false;

// The README's "Adding a device variant" checklist relies on these tables being full
// Record<VariantKey, …>: each line stops compiling if its table loosens (Partial, Record<string, …>).
const familiesTyped: EveryVariant<typeof FAMILIES> = true;
const supportTyped: EveryVariant<typeof SUPPORT> = true;
const mixTyped: EveryVariant<typeof DEFAULT_MIX> = true;
const catalogTyped: EveryVariant<typeof CATALOG> = true;
const infoTyped: EveryVariant<typeof VARIANT_INFO> = true;
// @ts-expect-error a table missing a variant does not compile (the mechanism the checklist uses)
const missing: Record<VariantKey, number> = { 'android-da-legacy': 1 };
// @ts-expect-error and the check above rejects a Partial table
const partialTyped: EveryVariant<Partial<Record<VariantKey, number>>> = true;

describe('variant tables', () => {
  it('are typed as full Record<VariantKey, …> tables', () => {
    expect([familiesTyped, supportTyped, mixTyped, catalogTyped, infoTyped, partialTyped]).toEqual([true, true, true, true, true, true]);
    expect(Object.keys(missing)).toEqual(['android-da-legacy']);
  });

  it('hold exactly the variants of the one list at run time (no cast let one slip)', () => {
    const expected = [...VARIANT_KEYS].sort();
    for (const [name, table] of Object.entries({ FAMILIES, SUPPORT, DEFAULT_MIX, CATALOG, VARIANT_INFO })) {
      expect(Object.keys(table).sort(), name).toEqual(expected);
    }
  });
});
