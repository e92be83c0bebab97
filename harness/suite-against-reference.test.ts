import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunResult } from '../contract/result-model.js';
import { runSuite } from './runner.js';
import { embeddedTarget, type Target } from './targets.js';
import { REQUIREMENT_TRANSITIONS } from '../simulator/requirement-transitions.js';
import { enumerateTransitions } from '../simulator/model-graph.js';
import { SUITE } from '../scenarios/suite.js';

/** The suite is the oracle: the reference MDM must pass every scenario of it. */
describe('the suite against the embedded reference', () => {
  let target: Target;
  let run: RunResult;

  beforeAll(async () => {
    target = await embeddedTarget({ seed: 1, recordCoverage: true });
    run = await runSuite({ scenarios: [...SUITE], client: target.client, target: target.description, seed: 1, version: 'test', transitionCoverage: target.transitionCoverage! });
  });

  afterAll(async () => {
    await target?.close();
  });

  it('runs every scenario', () => {
    expect(run.scenarios.map((s) => s.id)).toEqual(SUITE.map((s) => s.id));
  });

  it('passes every scenario', () => {
    const problems = run.scenarios
      .filter((s) => s.outcome !== 'pass')
      .map((s) => {
        const lines = s.findings.map((f) => `    [${f.requirement} ${f.level}] ${f.check}: expected ${f.expected}, observed ${f.observed}`);
        return [`  ${s.id}: ${s.outcome}${s.message ? ` (${s.message})` : ''}`, ...lines].join('\n');
      });
    expect(problems.length, `scenarios that did not pass against the reference:\n${problems.join('\n')}`).toBe(0);
  });

  it('reaches every machine transition a catalogue row depends on', () => {
    const missed = new Set(run.transitionCoverage!.flatMap((c) => c.missed.map((id) => `${c.variant} ${id}`)));
    const required = Object.entries(REQUIREMENT_TRANSITIONS).flatMap(([req, list]) => list.map(([variant, id]) => ({ req, key: `${variant} ${id}` })));
    for (const { key } of required) expect(enumerateTransitions(key.split(' ')[0] as never), key).toContain(key.split(' ')[1]);
    expect(required.filter((r) => missed.has(r.key)).map((r) => `${r.req}: ${r.key}`)).toEqual([]);
  });
});
