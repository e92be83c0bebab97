import type { Scenario } from '../../../scenarios/dsl.js';
import type { Finding, Outcome, ScenarioResult } from '../../../contract/result-model.js';

export function fakeScenario(id: string, area: string, variant?: Scenario['variant'], action?: Scenario['action']): Scenario {
  return {
    id,
    title: `title of ${id}`,
    area,
    requirements: ['DL-1'],
    tags: [],
    ...(variant ? { variant } : {}),
    ...(action ? { action } : {}),
    run: async () => undefined,
  };
}

export const MUST_FINDING: Finding = {
  requirement: 'DL-6',
  level: 'MUST',
  statement: 'A reset on a legacy device administrator device sets the temporary passcode.',
  check: 'actionState of resetPasscode',
  expected: 'done',
  observed: 'failed',
};

export function resultOf(scenario: Scenario, outcome: Outcome, findings: Finding[] = []): ScenarioResult {
  return {
    id: scenario.id,
    title: scenario.title,
    area: scenario.area,
    requirements: scenario.requirements,
    tags: scenario.tags,
    level: 'MUST',
    ...(scenario.variant ? { variant: scenario.variant } : {}),
    ...(scenario.action ? { action: scenario.action } : {}),
    outcome,
    expectation: 'none',
    durationMs: 12,
    findings,
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]/g;

export function plain(text: string | undefined): string {
  return (text ?? '').replace(ANSI, '');
}

/** Polls until `check` holds (bounded), returning the last value of `read`. */
export async function waitFor(check: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export const KEY = { up: '\u001B[A', down: '\u001B[B', enter: '\r', escape: '\u001B' } as const;
