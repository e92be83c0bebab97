import type { ReportWriter } from './report-writer.js';
import type { RunResult, ScenarioResult } from '../contract/result-model.js';
import { buildConformanceMatrix, cellCountLabel, type MatrixCell } from './conformance-matrix.js';
import { escapeMarkdown as md } from './escape.js';
import { describeTarget, formatDuration, formatTimestamp, percent } from './format.js';
import {
  OUTCOME_LABEL, OUTCOME_SYMBOL, OUTCOMES_IN_SUMMARY_ORDER, countOutcomes, isExpectedFailure, isUnexpectedPass,
} from './outcomes.js';
import { requirementCoverageOf } from './requirement-coverage.js';
import { verdictOf, type VerdictKind } from './verdict.js';
import { bodyText, devicesText, exchangeHeadline, exchangeIds, groupFindings } from './evidence.js';
import { changesByRequirement, comparisonHeadline } from './diff.js';
import type { ComparedScenario } from '../contract/result-model.js';

const VERDICT_SYMBOL: Readonly<Record<VerdictKind, string>> = { pass: '✅', 'not-conformant': '❌', inconclusive: '⚠️', interrupted: '⏹️' };

/**
 * A Markdown summary for CI step summaries ($GITHUB_STEP_SUMMARY, GitLab MR notes):
 * verdict first, then the matrix, then what broke. Every value from the run goes through
 * escapeMarkdown, so a title cannot break a table or inject HTML.
 */

const EXPECTED_MARK = '†';
// Step summaries are read at a glance; the HTML report lists everything.
const SCENARIO_IDS_SHOWN = 6;
const MISSED_TRANSITIONS_SHOWN = 8;

function table(header: string[], align: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `|${align.join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

function headline(run: RunResult): string[] {
  const verdict = verdictOf(run);
  const symbol = VERDICT_SYMBOL[verdict.kind];
  return [
    '# lockstep conformance report',
    '',
    `## ${symbol} ${md(verdict.headline)}`,
    '',
    `Target: ${md(describeTarget(run.target))} · seed ${run.seed} · started ${md(formatTimestamp(run.startedAt))} · ` +
      `${formatDuration(run.durationMs)} · lockstep ${md(run.tool.version)}`,
  ];
}

function outcomeCounts(run: RunResult): string[] {
  const counts = countOutcomes(run.scenarios);
  const rows = OUTCOMES_IN_SUMMARY_ORDER.map((o) => [`${OUTCOME_SYMBOL[o]} ${OUTCOME_LABEL[o]}`, String(counts[o])]);
  rows.push(['**total**', `**${run.scenarios.length}**`]);
  rows.push(['expected failures (vendor file)', String(run.scenarios.filter(isExpectedFailure).length)]);
  rows.push(['unexpected passes', String(run.scenarios.filter(isUnexpectedPass).length)]);
  return ['## Outcomes', '', ...table(['Outcome', 'Scenarios'], ['---', '---:'], rows)];
}

/** e.g. "✅ 3", "❌ 1/3", "⚠️ 2/3 †"; an en dash for a cell no scenario exercised. */
export function markdownCell(cell: MatrixCell): string {
  if (!cell.worst) return '–';
  const mark = cell.expectedFailures > 0 ? ` ${EXPECTED_MARK}` : '';
  return `${OUTCOME_SYMBOL[cell.worst]} ${cellCountLabel(cell)}${mark}`;
}

function matrixSection(run: RunResult): string[] {
  const matrix = buildConformanceMatrix(run.scenarios);
  if (matrix.variants.length === 0) return [];
  const rows = matrix.variants.map((variant) => [
    md(variant),
    ...matrix.actions.map((action) => markdownCell(matrix.cell(variant, action))),
  ]);
  const notes = [
    'Each cell shows the worst outcome of the scenarios for that variant and action, and how many ended so.',
    ...(rows.some((row) => row.some((cell) => cell.endsWith(EXPECTED_MARK)))
      ? [`${EXPECTED_MARK} includes scenarios the vendor expectations file lists as known failures.`]
      : []),
    ...(matrix.crossCutting.length > 0 ? [`${matrix.crossCutting.length} cross-cutting scenarios (roles, status, …) are not in the matrix.`] : []),
  ];
  return [
    '## Conformance matrix',
    '',
    ...table(['Variant', ...matrix.actions.map(md)], ['---', ...matrix.actions.map(() => ':---:')], rows),
    '',
    ...notes.map((note) => `_${note}_  `),
  ];
}

function scenarioHeading(scenario: ScenarioResult): string {
  const where = [scenario.variant, scenario.action].filter(Boolean).map((v) => md(v ?? '')).join(' · ');
  const expected = isExpectedFailure(scenario) ? ' _(expected failure, vendor file)_' : '';
  return `### ${OUTCOME_SYMBOL[scenario.outcome]} ${md(scenario.id)}: ${md(scenario.title)}${expected}${where ? ` (${where})` : ''}`;
}

function scenarioDetail(scenario: ScenarioResult): string[] {
  const lines = [scenarioHeading(scenario), ''];
  if (scenario.message) lines.push(md(scenario.message), '');
  for (const group of groupFindings(scenario.findings)) {
    lines.push(`- **${md(group.requirement)}** (${group.level}): ${md(group.statement)}`);
    for (const f of group.findings) {
      lines.push(`  - ${md(f.check)}: expected ${md(f.expected)}, observed **${md(f.observed)}**`);
      const devices = devicesText(f);
      if (devices) lines.push(`    - ${md(devices)}`);
      if (f.evidence?.length) {
        lines.push(`    <details><summary>evidence: ${f.evidence.length} HTTP exchanges</summary>`, '');
        for (const e of f.evidence) {
          const ids = exchangeIds(e);
          lines.push(`    - \`${exchangeHeadline(e).replace(/`/g, "'")}\`${ids ? ` ${md(ids)}` : ''}`);
          if (e.responseBody !== undefined) lines.push(`      answered: \`${bodyText(e.responseBody, 300).replace(/`/g, "'")}\``);
        }
        lines.push('', '    </details>');
      }
    }
  }
  if (scenario.findings.length > 0) lines.push('');
  return lines;
}

function failuresSection(run: RunResult): string[] {
  const broken = run.scenarios.filter((s) => s.outcome === 'fail' || s.outcome === 'error');
  const deviations = run.scenarios.filter((s) => s.outcome === 'warn' || s.outcome === 'info');
  const lines: string[] = [];
  if (broken.length > 0) lines.push('## Failures and errors', '', ...broken.flatMap(scenarioDetail));
  if (deviations.length > 0) {
    lines.push(
      '<details>',
      `<summary>SHOULD warnings and REF notes (${deviations.length})</summary>`,
      '',
      ...deviations.flatMap(scenarioDetail),
      '</details>',
    );
  }
  return lines;
}

function coverageSection(run: RunResult): string[] {
  const coverage = requirementCoverageOf(run);
  const total = coverage.checked.length + coverage.unchecked.length;
  const rows = coverage.checked.map((row) => {
    const shown = row.scenarioIds.slice(0, SCENARIO_IDS_SHOWN).map(md).join(', ');
    const more = row.scenarioIds.length > SCENARIO_IDS_SHOWN ? ` +${row.scenarioIds.length - SCENARIO_IDS_SHOWN} more` : '';
    return [md(row.id), row.level ?? '?', `${OUTCOME_SYMBOL[row.outcome]} ${row.outcome}`, `${shown}${more}`];
  });
  const unchecked =
    coverage.unchecked.length > 0
      ? `Not checked in this run: ${coverage.unchecked.map((r) => `${r.id} (${r.level})`).join(', ')}.`
      : 'Every catalogue requirement was checked.';
  return [
    '## Requirement coverage',
    '',
    `${coverage.checked.length} requirements checked; ${coverage.unchecked.length} of ${total} not checked.`,
    '',
    ...(rows.length > 0 ? [...table(['Requirement', 'Level', 'Outcome', 'Scenarios'], ['---', '---', '---', '---'], rows), ''] : []),
    unchecked,
  ];
}

function missedTransitions(missed: string[]): string {
  if (missed.length === 0) return '–';
  const more = missed.length > MISSED_TRANSITIONS_SHOWN ? ` +${missed.length - MISSED_TRANSITIONS_SHOWN} more` : '';
  return `${missed.slice(0, MISSED_TRANSITIONS_SHOWN).map(md).join(', ')}${more}`;
}

function transitionSection(run: RunResult): string[] {
  const coverage = run.transitionCoverage;
  if (!coverage || coverage.length === 0) return [];
  const rows = coverage.map((t) => [
    md(t.variant),
    `${t.covered}/${t.total}`,
    `${percent(t.covered, t.total)}%`,
    missedTransitions(t.missed),
  ]);
  return ['## Transition coverage', '', ...table(['Variant', 'Covered', '%', 'Missed'], ['---', '---:', '---:', '---'], rows)];
}

function comparisonSection(run: RunResult): string[] {
  const c = run.comparison;
  if (!c) return [];
  const list = (title: string, items: ComparedScenario[]) =>
    items.length === 0 ? [] : [`**${title}** (${items.length}):`, '', ...items.map((s) => `- ${md(s.id)} [${md(s.requirements.join(', '))}]${s.variant ? ` ${md(s.variant)}` : ''}: ${s.before ?? 'absent'} → ${s.after ?? 'absent'}`), ''];
  const rows = changesByRequirement(c).map((r) => [md(r.requirement), String(r.newFailures), String(r.fixed), String(r.stillFailing)]);
  return [
    '## Compared with the baseline',
    '',
    `${md(comparisonHeadline(c))} (baseline: ${md(formatTimestamp(c.baseline.startedAt))}, ${md(describeTarget(c.baseline.target))}, seed ${c.baseline.seed})`,
    '',
    ...list('New failures', c.newFailures),
    ...list('Fixed', c.fixed),
    ...list('Still failing', c.stillFailing),
    ...(rows.length ? table(['Requirement', 'New', 'Fixed', 'Still failing'], ['---', '---:', '---:', '---:'], rows) : []),
  ];
}

export function toMarkdown(run: RunResult): string {
  const sections = [
    headline(run),
    comparisonSection(run),
    outcomeCounts(run),
    matrixSection(run),
    failuresSection(run),
    coverageSection(run),
    transitionSection(run),
  ].filter((section) => section.length > 0);
  return `${sections.map((section) => section.join('\n')).join('\n\n')}\n`;
}

export const markdownReport: ReportWriter = { id: 'markdown', fileName: 'report.md', audience: 'CI step summaries', render: toMarkdown };
