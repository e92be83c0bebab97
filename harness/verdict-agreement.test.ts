import { describe, expect, it } from 'vitest';
import { plainSummary } from './plain-output.js';
import type { RunResult } from '../contract/result-model.js';
import { toHtml } from '../reports/html.js';
import { parseJsonReport, toJsonReport } from '../reports/json.js';
import { toJUnitXml } from '../reports/junit.js';
import { toMarkdown } from '../reports/markdown.js';
import { finding, runOf, scenario } from '../reports/test-support/sample-run.js';
import { EXIT_STATUS, verdictOf, type VerdictKind } from '../reports/verdict.js';

const pass = scenario({ id: 'a', outcome: 'pass' });
const fail = scenario({ id: 'b', outcome: 'fail', findings: [finding('DL-6', 'actionState', 'notSupported', 'done')] });
const error = scenario({ id: 'c', outcome: 'error', message: 'target unreachable' });
const expected = scenario({ id: 'd', outcome: 'fail', expectation: 'expected-failure', findings: [finding('IR-3', 'actionState', 'failed', 'done')] });
const skipped = scenario({ id: 'e', outcome: 'skip', message: 'no macOS' });

/** Each verdict case, as a run. */
const CASES: [string, RunResult, VerdictKind][] = [
  ['every MUST passes', runOf([pass, skipped]), 'pass'],
  ['only failures the vendor file lists', runOf([pass, expected, skipped]), 'pass'],
  ['a MUST failure', runOf([pass, fail]), 'not-conformant'],
  ['a MUST failure in a run stopped early', runOf([pass, fail], { incomplete: { reason: 'interrupted', detail: 'stopped from the terminal UI', planned: 5 } }), 'not-conformant'],
  ['an error and no failure', runOf([pass, error]), 'inconclusive'],
  ['nothing checked', runOf([skipped]), 'inconclusive'],
  ['a target that stopped answering', runOf([pass, error], { incomplete: { reason: 'target-unresponsive', detail: 'the target stopped answering', planned: 117 } }), 'inconclusive'],
  ['stopped by the user after passes', runOf([pass], { incomplete: { reason: 'interrupted', detail: 'stopped from the terminal UI', planned: 117 } }), 'interrupted'],
];

describe('one verdict for the exit status, the last line and all four reports', () => {
  it.each(CASES)('%s', (_name, run, kind) => {
    const verdict = verdictOf(run);
    expect(verdict.kind).toBe(kind);
    expect(verdict.exitStatus).toBe(EXIT_STATUS[kind]);
    if (kind !== 'pass') expect(verdict.exitStatus).not.toBe(0);

    // The CLI's last line.
    expect(plainSummary(run, null).at(-1)).toBe(verdict.lastLine);
    expect(verdict.lastLine.startsWith(`verdict: ${verdict.headline}`)).toBe(true);
    // report.html: the banner's class, title and detail.
    const html = toHtml(run);
    expect(html).toContain(`<section class="verdict ${kind}" role="status">`);
    expect(html).toContain(`<h1>${verdict.title}</h1>`);
    // report.md: the headline under the title.
    expect(toMarkdown(run).split('\n')[2]).toContain(verdict.headline);
    // junit.xml: a verdict test case that fails unless the run passes.
    const junit = toJUnitXml(run);
    expect(junit).toContain(`<property name="verdict" value="${kind}"/>`);
    expect(junit).toContain(`<property name="exit-status" value="${verdict.exitStatus}"/>`);
    expect(/<testcase classname="lockstep\.verdict"[^>]*>[\s\S]*?<(failure|error) /.test(junit)).toBe(kind !== 'pass');
    // report.json: read back, it gives the same verdict.
    expect(verdictOf(parseJsonReport(toJsonReport(run)))).toEqual(verdict);
  });

  it('an interrupted or inconclusive run never exits 0', () => {
    expect(EXIT_STATUS.interrupted).not.toBe(0);
    expect(EXIT_STATUS.inconclusive).not.toBe(0);
    expect(new Set(Object.values(EXIT_STATUS)).size).toBe(4);
  });

  it('says how far an interrupted run got', () => {
    const verdict = verdictOf(CASES[7]![1]);
    expect(verdict.headline).toBe('Interrupted: stopped after 1 of 117 scenarios, so not every MUST was checked');
    expect(verdict.lastLine).toBe('verdict: Interrupted: stopped after 1 of 117 scenarios, so not every MUST was checked (1 passed, 0 failed of 117)');
  });
});
