import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from '../../scenarios/requirements.js';
import { MUTANT_GROUPS, MUTANTS } from './index.js';
import { APPLE_MUTANTS } from '../apple/mutants.js';
import { WRONG_APPLE_SERVERS } from '../apple/wrong-servers.js';

/**
 * Apple rows with no wrong server yet, and why. AP-2, AP-3, AP-4 and AP-9 are about what a server
 * decides to send or show; NanoMDM (the only Apple server here) is a raw queue that decides
 * nothing, so a wrong one needs a deciding server (the reference does not speak the Apple protocol
 * yet). AP-6's wrong server is NanoMDM itself: it sends a checked-out enrollment its commands,
 * and apple-run.e2e.test.ts shows the area catches it.
 */
const APPLE_ROWS_WITHOUT_WRONG_SERVER: Readonly<Record<string, string>> = {
  'AP-2': 'needs a server that decides what to send',
  'AP-3': 'needs a server that decides what to send',
  'AP-4': 'needs a server that decides what to send',
  'AP-9': 'needs a server with an admin view',
  'AP-6': 'NanoMDM itself is the wrong server (apple-run.e2e.test.ts)',
};

describe('the mutant catalogue', () => {
  it('has at least two mutants for every MUST row and one for every SHOULD row', () => {
    // The apple-mdm rows are judged on a real Apple MDM server: their wrong servers are proxies in
    // front of NanoMDM (harness/apple/), caught in harness/apple/mutants.e2e.test.ts.
    const appleRows = (row: string) => [...WRONG_APPLE_SERVERS.map((w) => w.row), ...APPLE_MUTANTS.flatMap((m) => m.caughtBy)].filter((r) => r === row).length;
    const short = REQUIREMENTS.filter((r) => r.level !== 'REF' && !APPLE_ROWS_WITHOUT_WRONG_SERVER[r.id])
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
