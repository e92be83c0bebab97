import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../../scenarios/requirements.js';
import { MUTANT_GROUPS, MUTANTS } from './index.js';
import { APPLE_MUTANTS } from '../apple/mutants.js';
import { WRONG_APPLE_SERVERS } from '../apple/wrong-servers.js';

describe('the mutant catalogue', () => {
  it('has at least two mutants for every MUST row and one for every SHOULD row', () => {
    // The apple-mdm rows also have wrong servers in front of a real NanoMDM (harness/apple/,
    // caught in harness/apple/mutants.e2e.test.ts); the rows about what a server decides to send
    // or show have wrong reference MDMs here (apple-policy.ts).
    const appleRows = (row: string) => [...WRONG_APPLE_SERVERS.map((w) => w.row), ...APPLE_MUTANTS.flatMap((m) => m.caughtBy)].filter((r) => r === row).length;
    const short = REQUIREMENTS.filter((r) => r.level !== 'REF')
      .map((r) => ({ id: r.id, need: r.level === 'MUST' ? 2 : 1, have: MUTANTS.filter((m) => m.row === r.id).length + (r.area === 'apple-mdm' ? appleRows(r.id) : 0) }))
      .filter((r) => r.have < r.need)
      .map((r) => `${r.id}: ${r.have} of ${r.need}`);
    expect(short).toEqual([]);
  });

  it('names real rows, with unique ids that start with the row, and says what each does wrong', () => {
    const ids = MUTANTS.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of MUTANTS) {
      expect(REQUIREMENTS.some((r) => r.id === m.row), m.id).toBe(true);
      expect(m.id.startsWith(`${m.row.toLowerCase()}/`), m.id).toBe(true);
      expect(m.id).toMatch(/^[a-z0-9-]+\/[a-z0-9-]+$/);
      expect(m.bug.length, m.id).toBeGreaterThan(20);
    }
    // Two mutants of one row are two different bugs, not one bug twice.
    const bugs = MUTANTS.map((m) => m.bug);
    expect(new Set(bugs).size).toBe(bugs.length);
  });

  it('is the union of its groups', () => {
    expect(MUTANT_GROUPS.flatMap((g) => g.mutants)).toEqual(MUTANTS);
    expect(new Set(MUTANT_GROUPS.map((g) => g.name)).size).toBe(MUTANT_GROUPS.length);
  });
});
