import type { RunEvent } from './runner.js';
import type { Outcome, RunResult, ScenarioResult } from '../contract/result-model.js';
import { comparisonLines } from '../reports/diff.js';
import { devicesText, groupFindings } from '../reports/evidence.js';
import { verdictOf } from '../reports/verdict.js';

const MARK: Record<Outcome, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', info: 'INFO', skip: 'SKIP', error: 'ERR ' };

/** One line per finished scenario, for CI logs and pipes. */
export function plainResultLine(result: ScenarioResult): string {
  const note = result.expectation === 'expected-failure' ? ' (expected failure)' : result.expectation === 'unexpected-pass' ? ' (unexpected pass)' : '';
  const why = result.findings[0]
    ? `  ${result.findings[0].requirement}: expected ${result.findings[0].expected}, observed ${result.findings[0].observed}`
    : result.message
      ? `  ${result.message}`
      : '';
  return `${MARK[result.outcome]} ${result.id} [${result.requirements.join(',')}] ${result.durationMs}ms${note}${why}`;
}

export function plainListener(write: (line: string) => void): (event: RunEvent) => void {
  return (event) => {
    if (event.type === 'result') write(plainResultLine(event.result));
  };
}

/**
 * The closing summary. Its last line is the run's verdict (reports/verdict.ts), the same one
 * the exit status and every report carry.
 */
export function plainSummary(run: RunResult, reportDir: string | null, reportFiles = 'junit.xml, report.json, report.md, report.html'): string[] {
  const s = run.summary;
  const lines = [
    '',
    `lockstep ${run.tool.version} against ${run.target.kind === 'http' ? run.target.url : 'the embedded reference MDM'} (seed ${run.seed}) in ${(run.durationMs / 1000).toFixed(2)} s`,
    `${s.total} scenarios: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.info} info, ${s.skip} skip, ${s.error} error` +
      (s.expectedFailures ? `, ${s.expectedFailures} expected failures` : '') +
      (s.unexpectedPasses ? `, ${s.unexpectedPasses} unexpected passes` : ''),
  ];
  if (run.incomplete) lines.push(`stopped early after ${s.total} of ${run.incomplete.planned} scenarios: ${run.incomplete.detail}`);
  for (const r of run.scenarios.filter((x) => (x.outcome === 'fail' || x.outcome === 'error') && x.expectation !== 'expected-failure')) {
    lines.push(`  ${r.outcome.toUpperCase()} ${r.id}: ${r.title}`);
    for (const group of groupFindings(r.findings.filter((f) => f.level === 'MUST'))) {
      lines.push(`    ${group.requirement} (MUST) ${group.statement}`);
      for (const f of group.findings) {
        lines.push(`      ${f.check}: expected ${f.expected}, observed ${f.observed}`);
        const devices = devicesText(f, 5);
        if (devices) lines.push(`      ${devices}`);
      }
    }
    if (r.message) lines.push(`    ${r.message}`);
  }
  if (run.comparison) lines.push('', ...comparisonLines(run.comparison, { before: run.comparison.baseline.source ?? 'the baseline', after: 'this run' }), '');
  if (reportDir) lines.push(`reports: ${reportDir}/ (${reportFiles})`);
  lines.push(verdictOf(run).lastLine);
  return lines;
}
