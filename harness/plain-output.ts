import type { RunEvent } from './runner.js';
import type { Outcome, RunResult, ScenarioResult } from '../contract/result-model.js';

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

/** The closing summary; its last line is the plain "N passed, N failed" that CI readers look for. */
export function plainSummary(run: RunResult, reportDir: string | null): string[] {
  const s = run.summary;
  const lines = [
    '',
    `lockstep ${run.tool.version} against ${run.target.kind === 'http' ? run.target.url : 'the embedded reference MDM'} (seed ${run.seed}) in ${(run.durationMs / 1000).toFixed(2)} s`,
    `${s.total} scenarios: ${s.pass} pass, ${s.fail} fail, ${s.warn} warn, ${s.info} info, ${s.skip} skip, ${s.error} error` +
      (s.expectedFailures ? `, ${s.expectedFailures} expected failures` : '') +
      (s.unexpectedPasses ? `, ${s.unexpectedPasses} unexpected passes` : ''),
  ];
  for (const r of run.scenarios.filter((x) => (x.outcome === 'fail' || x.outcome === 'error') && x.expectation !== 'expected-failure')) {
    lines.push(`  ${r.outcome.toUpperCase()} ${r.id}: ${r.title}`);
    for (const f of r.findings.filter((f) => f.level === 'MUST')) {
      lines.push(`    ${f.requirement} (MUST) ${f.statement}`, `      ${f.check}: expected ${f.expected}, observed ${f.observed}`);
    }
    if (r.message) lines.push(`    ${r.message}`);
  }
  if (reportDir) lines.push(`reports: ${reportDir}/ (junit.xml, report.json, report.md, report.html)`);
  const failed = s.fail + s.error - run.scenarios.filter((x) => x.expectation === 'expected-failure' && (x.outcome === 'fail' || x.outcome === 'error')).length;
  lines.push(`conformance: ${s.total - failed} passed, ${failed} failed`);
  return lines;
}
