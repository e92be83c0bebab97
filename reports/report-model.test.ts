import { describe, expect, it } from 'vitest';
import { buildConformanceMatrix, cellCountLabel } from './conformance-matrix.js';
import { escapeHtml, escapeMarkdown, escapeXml, escapeXmlAttribute } from './escape.js';
import { formatDuration } from './format.js';
import { worstOutcome } from './outcomes.js';
import { compareRequirementIds, requirementCoverageOf } from './requirement-coverage.js';
import { finding, runOf, sampleRun, scenario } from './test-support/sample-run.js';
import { verdictOf } from './verdict.js';
import { REQUIREMENTS } from '../scenarios/requirements.js';

// The shared pieces the four writers are built from.

describe('escaping', () => {
  it('escapes the five XML entities and drops illegal characters', () => {
    expect(escapeXml(`<a href="x">'&'</a>\u0000\uFFFE`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;');
    expect(escapeXml('emoji 😀 stays')).toBe('emoji 😀 stays');
    expect(escapeXmlAttribute('a\tb\nc')).toBe('a&#9;b&#10;c');
  });

  it('escapes HTML with &#39; for quotes', () => {
    expect(escapeHtml(`<b onclick='x()'>&"`)).toBe('&lt;b onclick=&#39;x()&#39;&gt;&amp;&quot;');
  });

  it('makes Markdown inline text inert', () => {
    expect(escapeMarkdown('a | b *c* _d_ [e](f) `g` <h>\nnext')).toBe('a \\| b \\*c\\* \\_d\\_ \\[e\\](f) \\`g\\` &lt;h&gt; next');
  });
});

describe('outcomes and verdict', () => {
  it('ranks fail > error > warn > info > skip > pass', () => {
    expect(worstOutcome(['pass', 'skip', 'info'])).toBe('info');
    expect(worstOutcome(['warn', 'error'])).toBe('error');
    expect(worstOutcome(['error', 'fail'])).toBe('fail');
    expect(worstOutcome([])).toBeUndefined();
  });

  it('is inconclusive when something errored or nothing was checked, even without failures', () => {
    expect(verdictOf(runOf([scenario({ id: 'a', outcome: 'pass' }), scenario({ id: 'b', outcome: 'error' })])).kind).toBe('inconclusive');
    expect(verdictOf(runOf([scenario({ id: 'a', outcome: 'skip' })])).kind).toBe('inconclusive');
    expect(verdictOf(runOf([])).kind).toBe('inconclusive');
  });

  it('names a listed expected failure as a known deviation in every line, without failing the run', () => {
    const verdict = verdictOf(runOf([scenario({ id: 'a', outcome: 'fail', expectation: 'expected-failure' }), scenario({ id: 'b', outcome: 'pass' })]));
    expect(verdict).toMatchObject({ kind: 'pass', exitStatus: 0, mustFailures: 1, expectedMustFailures: 1 });
    expect(verdict.headline).toBe('Conformant except known deviations: every MUST passes except 1 known deviation listed in the vendor expectations file');
    expect(verdict.lastLine).toBe(`verdict: ${verdict.headline} (1 passed, 0 failed, 1 expected failures of 2)`);
  });

  it('formats durations for people', () => {
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(12_345)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 05 s');
  });
});

describe('conformance matrix', () => {
  it('keeps cross-cutting scenarios out of the grid', () => {
    const matrix = buildConformanceMatrix(sampleRun().scenarios);
    expect(matrix.crossCutting.map((s) => s.id)).toEqual(['roles-helpdesk', 'roles-read-only', 'status-device-actions']);
    expect(matrix.actions).toEqual(['resetPasscode', 'remoteLock', 'wipe']);
  });

  it('labels a cell with the share of its worst outcome', () => {
    const matrix = buildConformanceMatrix(sampleRun().scenarios);
    const cell = matrix.cell('android-da-modern', 'resetPasscode');
    expect([cell.worst, cellCountLabel(cell)]).toEqual(['fail', '1/2']);
    expect(matrix.cell('macos', 'wipe').worst).toBeUndefined();
  });
});

describe('requirement coverage', () => {
  it('sorts ids in catalogue order, unknown ones last', () => {
    expect(['ST-1', 'X-2', 'DL-10', 'DL-2', 'X-10'].sort(compareRequirementIds)).toEqual(['DL-2', 'DL-10', 'ST-1', 'X-2', 'X-10']);
  });

  it('judges each requirement by the findings that name it', () => {
    const run = runOf([
      scenario({ id: 's1', outcome: 'fail', requirements: ['DL-1', 'TP-4'], findings: [finding('TP-4', 'c', 'e', 'o')] }),
      scenario({ id: 's2', outcome: 'fail', requirements: ['DL-2'] }),
    ]);
    const rows = Object.fromEntries(requirementCoverageOf(run).checked.map((r) => [r.id, r.outcome]));
    // TP-4 is a SHOULD: its finding is a warning even inside a failed scenario.
    expect(rows).toEqual({ 'DL-1': 'pass', 'DL-2': 'fail', 'TP-4': 'warn' });
  });

  it('lists every catalogue requirement either as checked or as not checked', () => {
    const coverage = requirementCoverageOf(sampleRun());
    expect(coverage.checked.length + coverage.unchecked.length).toBe(REQUIREMENTS.length);
  });
});
