import type { RunResult } from '../contract/result-model.js';
import { countOutcomes, isExpectedFailure } from './outcomes.js';

/**
 * pass: every MUST checked passes (known deviations listed in a vendor expectations file allowed);
 * not-conformant: a MUST broke that nobody listed; inconclusive: some checks never ran (errors, a
 * target that stopped answering, nothing checked); interrupted: stopped before the end.
 */
export type VerdictKind = 'pass' | 'not-conformant' | 'inconclusive' | 'interrupted';

export interface Verdict {
  kind: VerdictKind;
  /** The process exit status for this verdict (see EXIT_STATUS). */
  exitStatus: number;
  /** Scenarios whose outcome is fail, i.e. a MUST broken; expected ones included. */
  mustFailures: number;
  /** Of those, the ones a vendor expectations file lists: known deviations. */
  expectedMustFailures: number;
  errors: number;
  warnings: number;
  /** "Conformant", "Conformant except known deviations", "Not conformant", "Inconclusive" or "Interrupted". */
  title: string;
  /** The reason, e.g. "2 MUST failures". */
  detail: string;
  /** `${title}: ${detail}` */
  headline: string;
  /** The CLI's last line, e.g. "verdict: Not conformant: 2 MUST failures (84 passed, 2 failed, 1 error of 117)". */
  lastLine: string;
}

/** One exit status per verdict. Inconclusive shares 2 with usage errors: either way the run judged nothing (issues 10 and 12 ask a dead target to exit 2); 3 (internal error) comes from the CLI itself. */
export const EXIT_STATUS: Readonly<Record<VerdictKind, number>> = {
  pass: 0,
  'not-conformant': 1,
  inconclusive: 2,
  interrupted: 5,
};

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * The one verdict of a run: the exit status, the CLI's last line and all four reports come from
 * here, so they cannot disagree. An unlisted MUST failure decides the run whatever else happened
 * (it was observed); otherwise a run stopped early is interrupted or (target lost) inconclusive,
 * and errors mean some checks never ran. A MUST failure the vendor listed as expected is a known
 * deviation: it is named in every verdict line, and it does not fail the run, as the file asks.
 */
export function verdictOf(run: RunResult): Verdict {
  const counts = countOutcomes(run.scenarios);
  const mustFailures = counts.fail;
  const expectedMustFailures = run.scenarios.filter((s) => s.outcome === 'fail' && isExpectedFailure(s)).length;
  const unexpectedFailures = mustFailures - expectedMustFailures;
  const errors = counts.error;
  const warnings = counts.warn;
  const checked = run.scenarios.length - counts.skip;
  const incomplete = run.incomplete;

  const extras: string[] = [];
  if (expectedMustFailures > 0) extras.push(`${expectedMustFailures} expected by the vendor expectations file`);
  if (errors > 0 && unexpectedFailures > 0) extras.push(plural(errors, 'error'));
  if (incomplete && unexpectedFailures > 0) extras.push(`stopped after ${run.scenarios.length} of ${incomplete.planned} scenarios`);
  const suffix = extras.length > 0 ? ` (${extras.join(', ')})` : '';

  const passed = counts.pass + counts.warn + counts.info;
  const tally = `${passed} passed, ${unexpectedFailures} failed` +
    (expectedMustFailures ? `, ${expectedMustFailures} expected failures` : '') +
    (errors ? `, ${plural(errors, 'error')}` : '') +
    (counts.skip ? `, ${counts.skip} skipped` : '') +
    ` of ${incomplete ? incomplete.planned : run.scenarios.length}`;

  const make = (kind: VerdictKind, title: string, detail: string): Verdict => ({
    kind, exitStatus: EXIT_STATUS[kind], mustFailures, expectedMustFailures, errors, warnings,
    title, detail, headline: `${title}: ${detail}`, lastLine: `verdict: ${title}: ${detail} (${tally})`,
  });

  if (unexpectedFailures > 0) {
    const failures = expectedMustFailures > 0 ? `${plural(unexpectedFailures, 'unexpected MUST failure')}` : plural(unexpectedFailures, 'MUST failure');
    return make('not-conformant', 'Not conformant', `${failures}${suffix}`);
  }
  if (incomplete?.reason === 'interrupted') {
    return make('interrupted', 'Interrupted', `stopped after ${run.scenarios.length} of ${incomplete.planned} scenarios, so not every MUST was checked`);
  }
  if (incomplete) {
    return make('inconclusive', 'Inconclusive', `${incomplete.detail}; ${run.scenarios.length} of ${incomplete.planned} scenarios ran`);
  }
  if (errors > 0) return make('inconclusive', 'Inconclusive', `${plural(errors, 'scenario')} ended in error, so not every MUST was checked`);
  if (checked === 0) return make('inconclusive', 'Inconclusive', 'no scenario was checked');
  const warningNote = warnings > 0 ? ` (${plural(warnings, 'SHOULD warning')})` : '';
  if (expectedMustFailures > 0) {
    return make('pass', 'Conformant except known deviations',
      `every MUST passes except ${plural(expectedMustFailures, 'known deviation')} listed in the vendor expectations file${warningNote}`);
  }
  return make('pass', 'Conformant', `every MUST passes${warningNote}`);
}
