import type { Finding, Outcome, RunResult, ScenarioResult } from '../../contract/result-model.js';
import { requirement } from '../../scenarios/requirements.js';

/** A finding for a catalogue requirement, with the catalogue's level and statement. */
export function finding(id: string, check: string, expected: string, observed: string): Finding {
  const entry = requirement(id);
  return { requirement: id, level: entry.level, statement: entry.statement, check, expected, observed };
}

export function scenario(partial: Partial<ScenarioResult> & Pick<ScenarioResult, 'id' | 'outcome'>): ScenarioResult {
  return {
    title: `scenario ${partial.id}`,
    area: 'reset',
    requirements: [],
    tags: [],
    level: 'MUST',
    expectation: 'none',
    durationMs: 120,
    findings: [],
    ...partial,
  };
}

/** A run around the given scenarios, with summary and requirement coverage derived from them as the runner does. */
export function runOf(scenarios: ScenarioResult[], overrides: Partial<RunResult> = {}): RunResult {
  const summary = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 } satisfies Record<Outcome, number>;
  for (const s of scenarios) summary[s.outcome] += 1;
  const requirementCoverage: Record<string, string[]> = {};
  for (const s of scenarios) for (const id of s.requirements) (requirementCoverage[id] ??= []).push(s.id);
  return {
    schemaVersion: 1,
    tool: { name: 'lockstep', version: '0.1.0-test' },
    target: { kind: 'embedded' },
    seed: 4242,
    startedAt: '2025-03-01T09:30:00.000Z',
    finishedAt: '2025-03-01T09:30:07.250Z',
    durationMs: 7250,
    scenarios,
    requirementCoverage,
    summary: {
      ...summary,
      total: scenarios.length,
      expectedFailures: scenarios.filter((s) => s.expectation === 'expected-failure').length,
      unexpectedPasses: scenarios.filter((s) => s.expectation === 'unexpected-pass').length,
    },
    ...overrides,
  };
}

/**
 * Every outcome and expectation across several areas, variants and actions.
 * Outcomes: 7 pass (one an unexpected pass), 4 fail (two of them expected failures),
 * 1 warn, 1 info, 1 skip, 1 error. In JUnit: 9 passed, 2 failures, 1 error, 3 skipped.
 */
export function sampleScenarios(): ScenarioResult[] {
  return [
    scenario({
      id: 'reset-da-legacy', title: 'Device admin 6.x reset sets a temporary passcode', area: 'reset',
      requirements: ['DL-1', 'TP-4'], tags: ['reset', 'android'], variant: 'android-da-legacy', action: 'resetPasscode',
      outcome: 'pass', durationMs: 180,
    }),
    scenario({
      id: 'reset-da-modern-unsupported', title: 'Device admin 7.0+ reset is not supported', area: 'reset',
      requirements: ['DL-6', 'ST-3'], tags: ['reset', 'android', 'negative'], variant: 'android-da-modern', action: 'resetPasscode',
      outcome: 'fail', durationMs: 95,
      findings: [finding('DL-6', 'actionState of resetPasscode', 'notSupported or HTTP 400', 'done')],
    }),
    scenario({
      id: 'reset-da-modern-audit', title: 'Device admin 7.0+ reset leaves the passcode unchanged', area: 'reset',
      requirements: ['DL-6'], variant: 'android-da-modern', action: 'resetPasscode', outcome: 'pass', durationMs: 60,
    }),
    scenario({
      id: 'reset-fully-managed', title: 'Fully managed reset shows a temporary passcode', area: 'reset',
      requirements: ['DL-2', 'TP-1'], variant: 'ae-fully-managed', action: 'resetPasscode', outcome: 'pass', durationMs: 210,
    }),
    scenario({
      id: 'wp-reboot-before-activation', title: 'Reboot before activation loses the token', area: 'work-profile',
      requirements: ['AN-4'], level: 'SHOULD', variant: 'ae-work-profile-personal', action: 'resetPasscode', outcome: 'warn',
      durationMs: 340, findings: [finding('AN-4', 'activation notification after reboot', 'shown again', 'not shown')],
    }),
    scenario({
      id: 'wp-personal-reset', title: 'Personally-owned work profile reset on 8.0+', area: 'work-profile',
      requirements: ['WP-1', 'WP-5'], variant: 'ae-work-profile-personal', action: 'resetPasscode', outcome: 'pass', durationMs: 150,
    }),
    scenario({
      id: 'ios-bad-unlock-token', title: 'Removal with a bad unlock token fails', area: 'removal',
      requirements: ['IR-3'], variant: 'ios-device', action: 'resetPasscode', outcome: 'fail', expectation: 'expected-failure',
      durationMs: 400, findings: [finding('IR-3', 'actionState of resetPasscode', 'failed', 'done')],
    }),
    scenario({
      id: 'ios-removal-no-temp', title: 'Removal presents no temporary passcode', area: 'removal',
      requirements: ['IR-1', 'DL-3'], variant: 'ios-device', action: 'resetPasscode', outcome: 'pass', expectation: 'unexpected-pass',
      durationMs: 130,
    }),
    scenario({
      id: 'ios-wipe', title: 'Wipe erases the device and voids the unlock token', area: 'removal',
      requirements: ['IR-5'], level: 'SHOULD', variant: 'ios-device', action: 'wipe', outcome: 'pass', durationMs: 75,
    }),
    scenario({
      id: 'aosp-lock-with-policy', title: 'AOSP lock with a passcode policy', area: 'lock',
      requirements: ['RL-1'], variant: 'aosp-user-associated', action: 'remoteLock', outcome: 'error', durationMs: 5000,
      message: 'target unreachable: connect ECONNREFUSED 127.0.0.1:8080',
    }),
    scenario({
      id: 'windows-lock', title: 'Windows remote lock is refused', area: 'lock',
      requirements: ['RL-3'], level: 'SHOULD', variant: 'windows', action: 'remoteLock', outcome: 'skip', durationMs: 0,
      message: 'filtered out by --tag android',
    }),
    scenario({
      id: 'windows-reset-signal', title: 'Unsupported reset is reported as notSupported', area: 'status',
      requirements: ['ST-3'], level: 'REF', variant: 'windows', action: 'resetPasscode', outcome: 'info', durationMs: 40,
      findings: [finding('ST-3', 'how the target refused', 'HTTP 400 or notSupported', 'HTTP 409')],
    }),
    scenario({
      id: 'roles-helpdesk', title: 'Helpdesk Operator may reset a passcode', area: 'roles',
      requirements: ['RB-1'], tags: ['roles'], outcome: 'pass', durationMs: 30,
    }),
    scenario({
      id: 'roles-read-only', title: `Read Only <script>alert("x")</script> & 'operator' | lock`, area: 'roles',
      requirements: ['RB-3', 'RB-1'], tags: ['roles'], outcome: 'fail', durationMs: 25,
      findings: [finding('RB-1', 'HTTP status for read-only-operator', '403', '204 <no body> & "done"')],
    }),
    scenario({
      id: 'status-device-actions', title: 'Action status is listed', area: 'status',
      requirements: ['ST-1'], outcome: 'fail', expectation: 'expected-failure', durationMs: 20,
      findings: [finding('ST-1', 'deviceActionResults entry', 'present', 'absent')],
    }),
  ];
}

export function sampleRun(): RunResult {
  return runOf(sampleScenarios(), {
    transitionCoverage: [
      { variant: 'android-da-legacy', total: 12, covered: 9, missed: ['locked->reset', 'reset->wiped', 'offline->pending'] },
      { variant: 'ios-device', total: 8, covered: 8, missed: [] },
    ],
  });
}
