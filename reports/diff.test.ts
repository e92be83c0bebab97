import { describe, expect, it } from 'vitest';
import { changesByRequirement, compareRuns, comparisonLines } from './diff.js';
import { runOf, scenario } from './test-support/sample-run.js';

describe('compareRuns', () => {
  const before = runOf([
    scenario({ id: 'a', outcome: 'fail', requirements: ['DL-6'], variant: 'android-da-modern' }),
    scenario({ id: 'b', outcome: 'pass', requirements: ['RB-3'] }),
    scenario({ id: 'c', outcome: 'error', requirements: ['TP-3'] }),
    scenario({ id: 'gone', outcome: 'pass', requirements: ['ST-1'] }),
  ]);
  const after = runOf([
    scenario({ id: 'a', outcome: 'pass', requirements: ['DL-6'], variant: 'android-da-modern' }),
    scenario({ id: 'b', outcome: 'warn', requirements: ['RB-3'] }),
    scenario({ id: 'c', outcome: 'fail', requirements: ['TP-3'] }),
    scenario({ id: 'new-ok', outcome: 'pass', requirements: ['ST-1'] }),
    scenario({ id: 'new-bad', outcome: 'fail', requirements: ['TP-3'] }),
  ]);
  const c = compareRuns(before, after, 'old.json');

  it('sorts scenarios into new failures, fixed, still failing, added and removed', () => {
    expect(c.newFailures.map((s) => s.id)).toEqual(['b', 'new-bad']);
    expect(c.fixed).toEqual([{ id: 'a', variant: 'android-da-modern', requirements: ['DL-6'], before: 'fail', after: 'pass' }]);
    expect(c.stillFailing.map((s) => [s.id, s.before, s.after])).toEqual([['c', 'error', 'fail']]);
    expect(c.added.map((s) => s.id)).toEqual(['new-ok']);
    expect(c.removed.map((s) => s.id)).toEqual(['gone']);
  });

  it('counts by requirement and prints a readable summary', () => {
    const byId = (x: { requirement: string }, y: { requirement: string }) => x.requirement.localeCompare(y.requirement);
    expect([...changesByRequirement(c)].sort(byId)).toEqual([
      { requirement: 'DL-6', newFailures: 0, fixed: 1, stillFailing: 0 },
      { requirement: 'TP-3', newFailures: 1, fixed: 0, stillFailing: 1 },
      { requirement: 'RB-3', newFailures: 1, fixed: 0, stillFailing: 0 },
    ].sort(byId));
    const text = comparisonLines(c, { before: 'old.json', after: 'new.json' }).join('\n');
    expect(text).toMatch(/^comparing old\.json → new\.json: 2 new failures, 1 fixed, 1 still failing/);
    expect(text).toContain('  a  [DL-6] android-da-modern  fail → pass');
  });
});
