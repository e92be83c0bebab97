import type { ReportWriter } from './report-writer.js';
import type { RunResult, ScenarioResult } from '../contract/result-model.js';
import { escapeXml, escapeXmlAttribute } from './escape.js';
import { findingsAsText } from './evidence.js';
import { formatSeconds } from './format.js';
import { verdictOf } from './verdict.js';
import { isExpectedFailure, isUnexpectedPass } from './outcomes.js';

/**
 * JUnit XML in the shape Jenkins, GitLab and the GitHub test-report actions read:
 * one <testsuite> per area, one <testcase> per scenario. Test-case <properties> carry
 * the requirement IDs so a CI annotation can name what broke.
 */

/** How a scenario shows up in JUnit. A listed expected failure is "skipped" so it does not fail CI. */
type JUnitStatus = 'passed' | 'failure' | 'error' | 'skipped';

function junitStatus(scenario: ScenarioResult): JUnitStatus {
  if (isExpectedFailure(scenario)) return 'skipped';
  switch (scenario.outcome) {
    case 'fail':
      return 'failure';
    case 'error':
      return 'error';
    case 'skip':
      return 'skipped';
    case 'pass':
    case 'warn':
    case 'info':
      return 'passed';
  }
}

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function countStatuses(scenarios: readonly ScenarioResult[]): Counts {
  const statuses = scenarios.map(junitStatus);
  return {
    tests: scenarios.length,
    failures: statuses.filter((s) => s === 'failure').length,
    errors: statuses.filter((s) => s === 'error').length,
    skipped: statuses.filter((s) => s === 'skipped').length,
  };
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => ` ${name}="${escapeXmlAttribute(String(value))}"`)
    .join('');
}

function countAttributes(counts: Counts, timeMs: number): Record<string, string | number> {
  return { ...counts, time: formatSeconds(timeMs) };
}

function property(name: string, value: string): string {
  return `<property${attributes({ name, value })}/>`;
}

function scenarioProperties(scenario: ScenarioResult): string[] {
  return [
    ...scenario.requirements.map((id) => property('requirement', id)),
    property('level', scenario.level),
    ...(scenario.variant ? [property('variant', scenario.variant)] : []),
    ...(scenario.action ? [property('action', scenario.action)] : []),
    ...scenario.tags.map((tag) => property('tag', tag)),
    ...(scenario.expectation !== 'none' ? [property('expectation', scenario.expectation)] : []),
  ];
}

function findingsText(scenario: ScenarioResult): string {
  return findingsAsText(scenario.findings, { evidence: false });
}

/** The one-line message a CI annotation shows: first broken requirement, expected vs observed. */
function failureMessage(scenario: ScenarioResult): string {
  const first = scenario.findings[0];
  if (!first) return scenario.message ?? `${scenario.id} failed`;
  const more = scenario.findings.length > 1 ? ` (+${scenario.findings.length - 1} more)` : '';
  return `${first.requirement}: expected ${first.expected}, observed ${first.observed}${more}`;
}

function systemOutNote(scenario: ScenarioResult): string | undefined {
  const notes: string[] = [];
  if (isExpectedFailure(scenario)) {
    notes.push(`Expected failure listed in the vendor expectations file; actual outcome: ${scenario.outcome}.`);
  } else if (scenario.outcome === 'warn') {
    notes.push('SHOULD deviation (warning, does not fail conformance).');
  } else if (scenario.outcome === 'info') {
    notes.push('Differs from a lockstep reference choice (REF, informational only).');
  }
  if (isUnexpectedPass(scenario)) {
    notes.push('Unexpected pass: the vendor expectations file lists this scenario as a known failure; remove it from the file.');
  }
  // Every finding's evidence (the HTTP exchanges behind it) goes here, where CI shows a test's output.
  const evidence = scenario.findings.some((f) => f.evidence?.length || f.devices?.length) ? findingsAsText(scenario.findings) : '';
  if (notes.length === 0 && !evidence) return undefined;
  const details = scenario.findings.length > 0 ? `\n\n${evidence || findingsText(scenario)}` : '';
  const reason = scenario.message ? `\n${scenario.message}` : '';
  return `${notes.join('\n')}${reason}${details}`.trimStart();
}

function statusElement(scenario: ScenarioResult): string | undefined {
  switch (junitStatus(scenario)) {
    case 'failure':
      return `<failure${attributes({ message: failureMessage(scenario), type: 'MUST' })}>${escapeXml(findingsText(scenario))}</failure>`;
    case 'error': {
      const body = [scenario.message ?? '', findingsText(scenario)].filter(Boolean).join('\n\n');
      return `<error${attributes({ message: scenario.message ?? 'error', type: 'error' })}>${escapeXml(body)}</error>`;
    }
    case 'skipped': {
      const message = isExpectedFailure(scenario)
        ? 'expected failure (vendor expectations file)'
        : (scenario.message ?? 'skipped');
      return `<skipped${attributes({ message })}/>`;
    }
    case 'passed':
      return undefined;
  }
}

function testcase(scenario: ScenarioResult): string {
  const open = `<testcase${attributes({
    classname: `lockstep.${scenario.area}`,
    name: `${scenario.id} ${scenario.title}`,
    time: formatSeconds(scenario.durationMs),
  })}>`;
  const out = systemOutNote(scenario);
  const children = [
    `<properties>${scenarioProperties(scenario).join('')}</properties>`,
    statusElement(scenario),
    out !== undefined ? `<system-out>${escapeXml(out)}</system-out>` : undefined,
  ].filter((child): child is string => child !== undefined);
  return `    ${open}\n${children.map((child) => `      ${child}\n`).join('')}    </testcase>`;
}

function groupByArea(scenarios: readonly ScenarioResult[]): Map<string, ScenarioResult[]> {
  const groups = new Map<string, ScenarioResult[]>();
  for (const scenario of scenarios) groups.set(scenario.area, [...(groups.get(scenario.area) ?? []), scenario]);
  return groups;
}

function testsuite(area: string, scenarios: ScenarioResult[], run: RunResult): string {
  const timeMs = scenarios.reduce((sum, s) => sum + s.durationMs, 0);
  const open = `<testsuite${attributes({
    name: area,
    ...countAttributes(countStatuses(scenarios), timeMs),
    timestamp: run.startedAt,
  })}>`;
  const properties = [
    property('seed', String(run.seed)),
    property('target', run.target.url ?? run.target.kind),
    property('lockstep.version', run.tool.version),
  ];
  return [`  ${open}`, `    <properties>${properties.join('')}</properties>`, ...scenarios.map(testcase), '  </testsuite>'].join('\n');
}

/**
 * The run's verdict as a test case of its own, so a CI that reads only junit.xml agrees with the
 * exit status: an interrupted or inconclusive run (or one with known deviations only) is not
 * silently green or red for the wrong reason.
 */
function verdictSuite(run: RunResult): { xml: string; counts: Counts } {
  const verdict = verdictOf(run);
  const failed = verdict.kind !== 'pass';
  const counts: Counts = { tests: 1, failures: failed && verdict.kind === 'not-conformant' ? 1 : 0, errors: failed && verdict.kind !== 'not-conformant' ? 1 : 0, skipped: 0 };
  const element = !failed
    ? ''
    : verdict.kind === 'not-conformant'
      ? `<failure${attributes({ message: verdict.headline, type: 'verdict' })}/>`
      : `<error${attributes({ message: verdict.headline, type: verdict.kind })}/>`;
  const xml = [
    `  <testsuite${attributes({ name: 'verdict', ...countAttributes(counts, 0), timestamp: run.startedAt })}>`,
    `    <testcase${attributes({ classname: 'lockstep.verdict', name: verdict.title, time: formatSeconds(0) })}>`,
    `      <properties>${property('verdict', verdict.kind)}${property('exit-status', String(verdict.exitStatus))}</properties>`,
    ...(element ? [`      ${element}`] : []),
    `      <system-out>${escapeXml(verdict.lastLine)}</system-out>`,
    '    </testcase>',
    '  </testsuite>',
  ].join('\n');
  return { xml, counts };
}

export function toJUnitXml(run: RunResult): string {
  const verdict = verdictSuite(run);
  const suites = [...[...groupByArea(run.scenarios)].map(([area, scenarios]) => testsuite(area, scenarios, run)), verdict.xml];
  const c = countStatuses(run.scenarios);
  const total: Counts = { tests: c.tests + 1, failures: c.failures + verdict.counts.failures, errors: c.errors + verdict.counts.errors, skipped: c.skipped };
  const open = `<testsuites${attributes({ name: 'lockstep', ...countAttributes(total, run.durationMs) })}>`;
  return ['<?xml version="1.0" encoding="UTF-8"?>', open, ...suites, '</testsuites>', ''].join('\n');
}

export const junitReport: ReportWriter = { id: 'junit', fileName: 'junit.xml', audience: 'CI test reporters', render: toJUnitXml };
