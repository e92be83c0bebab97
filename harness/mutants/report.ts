/**
 * The mutation score as text, Stryker-style: the score for the suite and for the fuzzer
 * separately, a table by row, then one line per mutant naming what caught it.
 */
import { REQUIREMENTS } from '../../scenarios/requirements.js';
import { isCaught, type Catch, type MutantVerdict } from './score.js';

function percent(n: number, total: number): string {
  return total === 0 ? '–' : `${((100 * n) / total).toFixed(1)}%`;
}

function count(verdicts: readonly MutantVerdict[], pick: (v: MutantVerdict) => Catch | null): string {
  const ran = verdicts.filter((v) => pick(v) !== null);
  if (!ran.length) return 'not run';
  const caught = ran.filter((v) => pick(v)!.caught).length;
  return `${caught}/${ran.length}`;
}

function mark(c: Catch | null): string {
  if (!c) return '·';
  return c.caught ? '✔' : c.otherRows.length ? '~' : '✘';
}

function describe(c: Catch | null): string {
  if (!c) return 'not run';
  if (c.caught) return `caught by ${c.by}`;
  if (c.otherRows.length) return `survived (failed other rows only: ${c.otherRows.join(', ')})`;
  return 'survived';
}

export function scoreLines(verdicts: readonly MutantVerdict[]): string[] {
  const total = verdicts.length;
  const suiteRan = verdicts.filter((v) => v.suite);
  const fuzzRan = verdicts.filter((v) => v.fuzz);
  const suiteCaught = suiteRan.filter((v) => v.suite!.caught).length;
  const fuzzCaught = fuzzRan.filter((v) => v.fuzz!.caught).length;
  const either = verdicts.filter(isCaught).length;
  const lines: string[] = [];
  lines.push(`mutation score, suite:  ${suiteRan.length ? `${suiteCaught}/${suiteRan.length} caught (${percent(suiteCaught, suiteRan.length)})` : 'not run'}`);
  lines.push(`mutation score, fuzzer: ${fuzzRan.length ? `${fuzzCaught}/${fuzzRan.length} caught (${percent(fuzzCaught, fuzzRan.length)})` : 'not run'}`);
  lines.push(`mutation score, either: ${either}/${total} caught (${percent(either, total)})`);
  lines.push('');
  lines.push('row     level   mutants  suite  fuzzer');
  for (const r of REQUIREMENTS) {
    const mine = verdicts.filter((v) => v.mutant.row === r.id);
    if (!mine.length) continue;
    lines.push(`${r.id.padEnd(8)}${r.level.padEnd(8)}${String(mine.length).padEnd(9)}${count(mine, (v) => v.suite).padEnd(7)}${count(mine, (v) => v.fuzz)}`);
  }
  lines.push('');
  lines.push('suite fuzzer mutant');
  for (const v of verdicts) {
    lines.push(`  ${mark(v.suite)}     ${mark(v.fuzz)}   ${v.mutant.id} (${v.mutant.row}): ${v.mutant.bug}`);
    if (v.suite) lines.push(`          suite: ${describe(v.suite)}`);
    if (v.fuzz) lines.push(`          fuzzer: ${describe(v.fuzz)}`);
  }
  const survivors = verdicts.filter((v) => !isCaught(v));
  lines.push('');
  lines.push(survivors.length ? `${survivors.length} mutant(s) survived both: ${survivors.map((v) => v.mutant.id).join(', ')}` : `every mutant was caught, naming its row (${total}/${total})`);
  return lines;
}
