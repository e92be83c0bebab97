import { describe, expect, it } from 'vitest';
import { requirement } from '../scenarios/requirements.js';
import { SUITE, selectScenarios } from '../scenarios/suite.js';
import { runFailed, runSuite } from './runner.js';
import { embeddedTarget } from './targets.js';
import { WRONG_TARGET_BREAKS, WRONG_TARGETS } from './test-support/wrong-targets.js';

/** The suite must catch a wrong MDM: each deliberately wrong target fails a scenario naming the rule it breaks. */
describe.each(Object.keys(WRONG_TARGETS) as (keyof typeof WRONG_TARGETS)[])('the suite against the wrong target %s', (name) => {
  const broken = WRONG_TARGET_BREAKS[name];
  const level = requirement(broken).level;
  const expectedOutcome = level === 'MUST' ? 'fail' : 'warn';

  it(`ends a scenario ${expectedOutcome} with a finding on ${broken} (${level})`, async () => {
    const target = await embeddedTarget({ seed: 1, wrapFetch: WRONG_TARGETS[name] });
    try {
      // The fleet scenarios check the same rules across thousands of devices; the named rows are enough here.
      const scenarios = selectScenarios(SUITE, { requirements: [broken] }).filter((s) => s.area !== 'fleet');
      const run = await runSuite({ scenarios, client: target.client, target: target.description, seed: 1, version: 'test' });
      const caught = run.scenarios.filter((s) => s.outcome === expectedOutcome && s.findings.some((f) => f.requirement === broken));
      expect(caught.map((s) => s.id), `no scenario caught ${name}`).not.toEqual([]);
      const finding = caught[0]!.findings.find((f) => f.requirement === broken)!;
      expect(finding.statement).toBe(requirement(broken).statement);
      expect(finding.expected).not.toBe(finding.observed);
      expect(runFailed(run)).toBe(level === 'MUST');
    } finally {
      await target.close();
    }
  });
});

it('the same scenarios pass against the reference', async () => {
  const target = await embeddedTarget({ seed: 1 });
  try {
    const scenarios = selectScenarios(SUITE, { requirements: Object.values(WRONG_TARGET_BREAKS) }).filter((s) => s.area !== 'fleet');
    const run = await runSuite({ scenarios, client: target.client, target: target.description, seed: 1, version: 'test' });
    expect(run.scenarios.filter((s) => s.outcome !== 'pass').map((s) => s.id)).toEqual([]);
  } finally {
    await target.close();
  }
});
