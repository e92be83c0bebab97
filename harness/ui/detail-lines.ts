import type { Outcome } from '../../contract/result-model.js';
import { bodyText, devicesText, exchangeHeadline, exchangeIds, groupFindings } from '../../reports/evidence.js';
import type { ScenarioRow } from './run-store.js';

/** One line of the detail pane, already cut to the pane's width. */
export interface DetailLine {
  text: string;
  tone?: 'title' | 'dim' | 'expected' | 'observed' | 'must' | 'should' | 'ref' | 'note' | Outcome;
  bold?: boolean;
}

/** Wraps text to `width` columns at spaces (hard-cuts words longer than a line); `first` prefixes the first line, `indent` the others. */
export function wrap(text: string, width: number, indent = '', first = ''): string[] {
  const room = Math.max(8, width);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > room - indent.length) {
      if (line) out.push(line), (line = '');
      out.push(indent + w.slice(0, room - indent.length));
      w = w.slice(room - indent.length);
    }
    const next = line ? `${line} ${w}` : `${out.length ? indent : first}${w}`;
    if (next.length > room) {
      out.push(line);
      line = indent + w;
    } else line = next;
  }
  if (line) out.push(line);
  return out.length ? out : [''];
}

const LEVEL_TONE = { MUST: 'must', SHOULD: 'should', REF: 'ref' } as const;

/**
 * A scenario's detail as lines of at most `width` columns: outcome, title, then per requirement
 * its statement once and each check with expected, observed, the devices and the HTTP evidence.
 * The pane shows a window of these, so a long dump scrolls inside the pane and never pushes
 * the rest of the screen away.
 */
export function detailLines(row: ScenarioRow, width: number): DetailLine[] {
  const lines: DetailLine[] = [];
  const push = (text: string, tone?: DetailLine['tone'], bold = false, indent = '', first = '') => {
    for (const part of wrap(text, width, indent, first)) lines.push({ text: part, ...(tone ? { tone } : {}), ...(bold ? { bold } : {}) });
  };
  const result = row.result;
  push(`${result ? `${result.outcome.toUpperCase()} ` : ''}${row.id}`, result?.outcome ?? 'title', true);
  push(row.title, 'dim');
  if (!result) {
    push(row.status === 'running' ? (row.progress ? `running… ${row.progress.done}/${row.progress.total}` : 'running…') : 'not run yet', 'dim');
    return lines;
  }
  if (result.expectation === 'expected-failure') push('listed as an expected failure in the expectations file', 'note');
  if (result.expectation === 'unexpected-pass') push('expected to fail, but passed', 'note');
  if (result.findings.length === 0 && !result.message) push('every check passed', 'pass');
  if (result.message) {
    lines.push({ text: '' });
    push(result.message, result.outcome === 'skip' ? 'dim' : 'error');
  }
  for (const group of groupFindings(result.findings)) {
    lines.push({ text: '' });
    push(`${group.requirement} (${group.level}) ${group.statement}`, LEVEL_TONE[group.level], false, '  ');
    for (const f of group.findings) {
      push(`• ${f.check}`, undefined, false, '    ', '  ');
      push(`expected ${f.expected}`, 'expected', false, '      ', '    ');
      push(`observed ${f.observed}`, 'observed', false, '      ', '    ');
      const devices = devicesText(f, 6);
      if (devices) push(devices, 'dim', false, '      ', '    ');
      for (const e of f.evidence ?? []) {
        const ids = exchangeIds(e);
        push(`${exchangeHeadline(e)}${ids ? ` (${ids})` : ''}`, e.status >= 400 ? 'observed' : 'dim', false, '      ', '    ');
        if (e.responseBody !== undefined) push(bodyText(e.responseBody, 240), 'dim', false, '        ', '      ');
      }
    }
  }
  return lines;
}
