import type { ReportWriter } from './report-writer.js';
import type { Exchange, Finding, Outcome, RunResult, ScenarioResult } from '../contract/result-model.js';
import { VARIANT_INFO } from '../simulator/variants.js';
import { isVariantKey } from '../contract/variants.js';
import { buildConformanceMatrix, buildRoleMatrix, cellCountLabel, type MatrixCell } from './conformance-matrix.js';
import { comparisonHtml } from './html-comparison.js';
import { bodyText, devicesText, exchangeHeadline, exchangeIds, groupFindings } from './evidence.js';
import { escapeHtml as esc } from './escape.js';
import { describeTarget, formatDuration, formatTimestamp, percent } from './format.js';
import { HTML_SCRIPT, HTML_STYLE } from './html-assets.js';
import { OUTCOMES_IN_SUMMARY_ORDER, OUTCOMES_WORST_FIRST, countOutcomes, isExpectedFailure, isUnexpectedPass } from './outcomes.js';
import { requirementCoverageOf } from './requirement-coverage.js';
import { verdictOf, type VerdictKind } from './verdict.js';

/**
 * One self-contained HTML page: people look at the matrix rather than read a log.
 * Every value from the run is escaped; the page loads nothing from anywhere.
 */

const OUTCOME_GLYPH: Readonly<Record<Outcome, string>> = {
  pass: '✓', fail: '✕', error: '⊘', warn: '▲', info: 'i', skip: '–',
};
const VERDICT_GLYPH: Readonly<Record<VerdictKind, string>> = { pass: '✓', 'not-conformant': '✕', inconclusive: '?', interrupted: '■' };

/** Anchor ids for scenarios: readable, unique, and safe in a fragment. */
function scenarioAnchors(scenarios: readonly ScenarioResult[]): Map<string, string> {
  const anchors = new Map<string, string>();
  const used = new Set<string>();
  for (const scenario of scenarios) {
    if (anchors.has(scenario.id)) continue;
    const base = `scenario-${scenario.id.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    let anchor = base;
    for (let n = 2; used.has(anchor); n++) anchor = `${base}-${n}`;
    used.add(anchor);
    anchors.set(scenario.id, anchor);
  }
  return anchors;
}

interface Page {
  run: RunResult;
  anchors: Map<string, string>;
}

function badge(outcome: Outcome): string {
  return `<span class="badge o-${outcome}">${OUTCOME_GLYPH[outcome]} ${outcome}</span>`;
}

function scenarioLink(page: Page, scenarioId: string): string {
  const anchor = page.anchors.get(scenarioId);
  return anchor ? `<a href="#${anchor}"><code>${esc(scenarioId)}</code></a>` : `<code>${esc(scenarioId)}</code>`;
}

function expectationTags(scenario: ScenarioResult): string {
  if (isExpectedFailure(scenario)) return ' <span class="tag">expected failure (vendor file)</span>';
  if (isUnexpectedPass(scenario)) return ' <span class="tag">unexpected pass</span>';
  return '';
}

function header(run: RunResult): string {
  const meta: [string, string][] = [
    ['Target', describeTarget(run.target)],
    ['Seed', String(run.seed)],
    ['Started', formatTimestamp(run.startedAt)],
    ['Duration', formatDuration(run.durationMs)],
    ['lockstep', run.tool.version],
  ];
  const verdict = verdictOf(run);
  return `<header class="top">
  <div class="brand">lockstep <span>conformance report</span></div>
  <dl class="meta">${meta.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
</header>
<section class="verdict ${verdict.kind}" role="status">
  <div class="icon" aria-hidden="true">${VERDICT_GLYPH[verdict.kind]}</div>
  <div><h1>${esc(verdict.title)}</h1><p>${esc(verdict.detail)}</p></div>
</section>`;
}

function summaryCounts(run: RunResult): string {
  const counts = countOutcomes(run.scenarios);
  const cards = OUTCOMES_IN_SUMMARY_ORDER.map(
    (o) => `<div class="count o-${o}"><b>${counts[o]}</b><span>${OUTCOME_GLYPH[o]} ${o}</span></div>`,
  );
  cards.push(`<div class="count"><b>${run.scenarios.length}</b><span>scenarios</span></div>`);
  const expected = run.scenarios.filter(isExpectedFailure).length;
  const unexpected = run.scenarios.filter(isUnexpectedPass).length;
  if (expected > 0) cards.push(`<div class="count"><b>${expected}</b><span>expected failures</span></div>`);
  if (unexpected > 0) cards.push(`<div class="count"><b>${unexpected}</b><span>unexpected passes</span></div>`);
  return `<div class="counts">${cards.join('')}</div>`;
}

function matrixCell(page: Page, cell: MatrixCell): string {
  if (!cell.worst) return '<td class="cell empty" title="not exercised">–</td>';
  const hover = cell.scenarios.map((s) => `${s.id}: ${s.outcome}`).join('\n');
  const items = cell.scenarios
    .map((s) => `<li>${scenarioLink(page, s.id)} ${badge(s.outcome)}${isExpectedFailure(s) ? ' <span class="tag">expected</span>' : ''}</li>`)
    .join('');
  const expected = cell.expectedFailures > 0 ? ' †' : '';
  return `<td class="cell o-${cell.worst}" title="${esc(hover)}"><details><summary>${OUTCOME_GLYPH[cell.worst]} ${cellCountLabel(cell)}${expected}</summary><ul>${items}</ul></details></td>`;
}

function variantHeading(variant: string): string {
  const title = isVariantKey(variant) ? `<small>${esc(VARIANT_INFO[variant].title)}</small>` : '';
  return `<th class="variant" scope="row">${esc(variant)}${title}</th>`;
}

function matrixSection(page: Page): string {
  const matrix = buildConformanceMatrix(page.run.scenarios);
  if (matrix.variants.length === 0) return '';
  const legend = OUTCOMES_WORST_FIRST.map((o) => badge(o)).join(' ');
  const head = `<tr><th>Variant</th>${matrix.actions.map((a) => `<th>${esc(a)}</th>`).join('')}</tr>`;
  const rows = matrix.variants
    .map((v) => `<tr>${variantHeading(v)}${matrix.actions.map((a) => matrixCell(page, matrix.cell(v, a))).join('')}</tr>`)
    .join('\n');
  const crossCutting = matrix.crossCutting.length
    ? `<p class="muted">${matrix.crossCutting.length} cross-cutting scenarios (roles, status, …) have no variant and action and are listed below.</p>`
    : '';
  return `<section class="panel" id="matrix">
  <h2>Conformance matrix</h2>
  <div class="legend"><span class="muted">Worst outcome per cell, then how many scenarios ended so. † includes failures the vendor expectations file lists.</span></div>
  <div class="legend">${legend} <button type="button" id="matrix-toggle">Show scenario ids</button></div>
  <div class="table-scroll"><table class="matrix"><thead>${head}</thead><tbody>
${rows}
  </tbody></table></div>
  ${crossCutting}
</section>`;
}

function evidenceHtml(exchanges: readonly Exchange[] | undefined): string {
  if (!exchanges || exchanges.length === 0) return '';
  const items = exchanges.map((e) => {
    const ids = exchangeIds(e);
    const bodies = [
      e.requestBody !== undefined ? `<div><span class="muted">sent</span> <code>${esc(bodyText(e.requestBody))}</code></div>` : '',
      e.responseBody !== undefined ? `<div><span class="muted">answered</span> <code>${esc(bodyText(e.responseBody))}</code></div>` : '',
    ].join('');
    return `<li><code class="http s${Math.floor(e.status / 100)}xx">${esc(exchangeHeadline(e))}</code>${ids ? ` <span class="muted">${esc(ids)}</span>` : ''}${bodies}</li>`;
  });
  return `<details class="evidence"><summary>Evidence: ${exchanges.length} HTTP exchange${exchanges.length === 1 ? '' : 's'}</summary><ol>${items.join('')}</ol></details>`;
}

function findingRow(f: Finding): string {
  const devices = devicesText(f);
  return `<tr><td>${esc(f.check)}${devices ? `<div class="devices mono">${esc(devices)}</div>` : ''}${evidenceHtml(f.evidence)}</td>` +
    `<td class="expected mono">${esc(f.expected)}</td><td class="observed mono">${esc(f.observed)}</td></tr>`;
}

/** Findings grouped by requirement: the statement once, then each check with its evidence. */
function roleMatrixSection(page: Page): string {
  const matrix = buildRoleMatrix(page.run.scenarios);
  if (matrix.roles.length === 0) return '';
  const head = `<tr><th>Role</th>${matrix.actions.map((a) => `<th>${esc(a)}</th>`).join('')}</tr>`;
  const rows = matrix.roles.map((role) => {
    const cells = matrix.actions.map((action) => {
      const expected = matrix.expectation(role, action);
      const cell = matrixCell(page, matrix.cell(role, action));
      return expected ? cell.replace('<summary>', `<summary><span class="role-expect">${expected === 'allowed' ? 'may' : 'may not'}</span>`) : cell;
    });
    return `<tr><th class="variant" scope="row">${esc(role)}</th>${cells.join('')}</tr>`;
  });
  return `<section class="panel" id="role-matrix">
  <h2>Role × action matrix</h2>
  <div class="legend"><span class="muted">What each role may do, and whether the target agreed: worst outcome of the role's scenarios per action.</span></div>
  <div class="table-scroll"><table class="matrix"><thead>${head}</thead><tbody>
${rows.join('\n')}
  </tbody></table></div>
</section>`;
}

function findingsTable(scenario: ScenarioResult): string {
  if (scenario.findings.length === 0) return '';
  const rows = groupFindings(scenario.findings)
    .map((g) => `<tr class="req-row"><td colspan="3"><b>${esc(g.requirement)}</b> <span class="tag">${esc(g.level)}</span> <span class="statement">${esc(g.statement)}</span></td></tr>` +
      g.findings.map(findingRow).join(''))
    .join('');
  return `<div class="table-scroll"><table class="findings"><thead><tr><th>Check</th><th>Expected</th><th>Observed</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function scenarioCard(page: Page, scenario: ScenarioResult): string {
  const where = [scenario.variant, scenario.action].filter((v): v is string => Boolean(v)).map((v) => `<span class="tag">${esc(v)}</span>`).join(' ');
  const message = scenario.message ? `<p class="message">${esc(scenario.message)}</p>` : '';
  return `<article class="card o-${scenario.outcome}">
  <h3>${badge(scenario.outcome)} ${scenarioLink(page, scenario.id)} <span>${esc(scenario.title)}</span> ${where}${expectationTags(scenario)}</h3>
  ${message}${findingsTable(scenario)}
</article>`;
}

function failuresSection(page: Page): string {
  const broken = page.run.scenarios.filter((s) => s.outcome === 'fail' || s.outcome === 'error');
  const deviations = page.run.scenarios.filter((s) => s.outcome === 'warn' || s.outcome === 'info');
  if (broken.length === 0 && deviations.length === 0) return '';
  const brokenHtml = broken.length
    ? broken.map((s) => scenarioCard(page, s)).join('\n')
    : '<p class="muted">No MUST failures and no errors.</p>';
  const deviationsHtml = deviations.length
    ? `<details><summary><b>SHOULD warnings and REF notes (${deviations.length})</b></summary>${deviations.map((s) => scenarioCard(page, s)).join('\n')}</details>`
    : '';
  return `<section class="panel" id="failures">
  <h2>Failures and errors</h2>
  ${brokenHtml}
  ${deviationsHtml}
</section>`;
}

function coverageSection(page: Page): string {
  const coverage = requirementCoverageOf(page.run);
  const checkedRows = coverage.checked.map(
    (row) => `<tr><td class="req-id"><b>${esc(row.id)}</b></td><td>${esc(row.level ?? '?')}</td><td>${esc(row.statement ?? '')}</td>` +
      `<td>${row.scenarioIds.map((id) => scenarioLink(page, id)).join(' ')}</td><td>${badge(row.outcome)}</td></tr>`,
  );
  const uncheckedRows = coverage.unchecked.map(
    (r) => `<tr class="unchecked"><td class="req-id"><b>${esc(r.id)}</b></td><td>${esc(r.level)}</td><td>${esc(r.statement)}</td><td>–</td><td><span class="tag">not checked</span></td></tr>`,
  );
  const total = coverage.checked.length + coverage.unchecked.length;
  return `<section class="panel" id="coverage">
  <h2>Requirement coverage</h2>
  <p class="muted">${coverage.checked.length} requirements checked; ${coverage.unchecked.length} of ${total} not checked in this run.</p>
  <div class="table-scroll"><table><thead><tr><th>ID</th><th>Level</th><th>Statement</th><th>Scenarios</th><th>Outcome</th></tr></thead><tbody>
${[...checkedRows, ...uncheckedRows].join('\n')}
  </tbody></table></div>
</section>`;
}

function transitionSection(run: RunResult): string {
  const coverage = run.transitionCoverage;
  if (!coverage || coverage.length === 0) return '';
  const rows = coverage.map((t) => {
    const pct = percent(t.covered, t.total);
    const missed = t.missed.length
      ? `<details class="missed"><summary>${t.missed.length} missed</summary><ul>${t.missed.map((m) => `<li><code>${esc(m)}</code></li>`).join('')}</ul></details>`
      : '<span class="muted">none missed</span>';
    return `<tr><th class="variant" scope="row">${esc(t.variant)}</th><td><div class="bar" role="img" aria-label="${pct}%"><div style="width:${Math.min(100, pct)}%"></div></div></td>` +
      `<td class="mono">${t.covered}/${t.total} (${pct}%)</td><td>${missed}</td></tr>`;
  });
  return `<section class="panel" id="transitions">
  <h2>Transition coverage</h2>
  <div class="table-scroll"><table><thead><tr><th>Variant</th><th>Coverage</th><th>Transitions</th><th>Missed</th></tr></thead><tbody>
${rows.join('\n')}
  </tbody></table></div>
</section>`;
}

function scenariosSection(page: Page): string {
  const filters = ['all', ...OUTCOMES_WORST_FIRST]
    .map((o) => `<button type="button" data-filter="${o}" aria-pressed="${o === 'all'}">${o}</button>`)
    .join('');
  const rows = page.run.scenarios.map((s) => {
    const anchor = page.anchors.get(s.id) ?? '';
    return `<tr id="${esc(anchor)}" data-outcome="${s.outcome}"><td>${badge(s.outcome)}</td><td><code>${esc(s.id)}</code></td>` +
      `<td>${esc(s.title)}${expectationTags(s)}</td><td>${esc(s.area)}</td><td>${esc(s.variant ?? '')}</td><td>${esc(s.action ?? '')}</td>` +
      `<td>${s.requirements.map((r) => esc(r)).join(', ')}</td><td class="mono">${formatDuration(s.durationMs)}</td></tr>`;
  });
  return `<section class="panel" id="scenarios">
  <h2>All scenarios</h2>
  <div class="toolbar">${filters}<input type="search" id="scenario-search" placeholder="Filter by id, title, requirement…" aria-label="Filter scenarios"></div>
  <div class="table-scroll"><table id="scenario-table"><thead><tr><th>Outcome</th><th>ID</th><th>Title</th><th>Area</th><th>Variant</th><th>Action</th><th>Requirements</th><th>Time</th></tr></thead><tbody>
${rows.join('\n')}
  </tbody></table></div>
</section>`;
}

export function toHtml(run: RunResult): string {
  const page: Page = { run, anchors: scenarioAnchors(run.scenarios) };
  const verdict = verdictOf(run);
  const body = [
    header(run),
    summaryCounts(run),
    comparisonHtml(run, (id) => scenarioLink(page, id)),
    `<div class="matrices">${matrixSection(page)}${roleMatrixSection(page)}</div>`,
    failuresSection(page),
    coverageSection(page),
    transitionSection(run),
    scenariosSection(page),
  ].filter(Boolean);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lockstep · ${esc(verdict.title)} · seed ${run.seed}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
<main>
${body.join('\n')}
<footer>Generated by lockstep ${esc(run.tool.version)} from the run of ${esc(formatTimestamp(run.finishedAt))}.</footer>
</main>
<script>${HTML_SCRIPT}</script>
</body>
</html>
`;
}

export const htmlReport: ReportWriter = { id: 'html', fileName: 'report.html', audience: 'people: one self-contained page', render: toHtml };
