import type { RunResult } from '../contract/result-model.js';
import { countOutcomes, isExpectedFailure } from './outcomes.js';

export type VerdictKind = 'conformant' | 'not-conformant' | 'inconclusive';

export interface Verdict {
  kind: VerdictKind;
  /** Scenarios whose outcome is fail, i.e. a MUST broken; expected ones included. */
  mustFailures: number;
  /** Of those, the ones a vendor expectations file lists: known, but still not conformant. */
  expectedMustFailures: number;
  errors: number;
  warnings: number;
  /** "Conformant", "Not conformant" or "Inconclusive". */
  title: string;
  /** The reason, e.g. "2 MUST failures". */
  detail: string;
  /** `${title}: ${detail}` */
  headline: string;
}

const TITLES: Readonly<Record<VerdictKind, string>> = {
  conformant: 'Conformant',
  'not-conformant': 'Not conformant',
  inconclusive: 'Inconclusive',
};

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/**
 * One verdict for every report. A listed expected failure still breaks a MUST, so it
 * keeps the run from being called conformant; errors mean some checks never ran, so a
 * run without failures but with errors is inconclusive rather than conformant.
 */
export function verdictOf(run: RunResult): Verdict {
  const counts = countOutcomes(run.scenarios);
  const mustFailures = counts.fail;
  const expectedMustFailures = run.scenarios.filter((s) => s.outcome === 'fail' && isExpectedFailure(s)).length;
  const errors = counts.error;
  const warnings = counts.warn;
  const checked = run.scenarios.length - counts.skip;

  const extras: string[] = [];
  if (expectedMustFailures > 0) extras.push(`${expectedMustFailures} expected by the vendor expectations file`);
  if (errors > 0 && mustFailures > 0) extras.push(plural(errors, 'error'));
  const suffix = extras.length > 0 ? ` (${extras.join(', ')})` : '';

  const make = (kind: VerdictKind, detail: string): Verdict => ({
    kind, mustFailures, expectedMustFailures, errors, warnings,
    title: TITLES[kind], detail, headline: `${TITLES[kind]}: ${detail}`,
  });

  if (mustFailures > 0) return make('not-conformant', `${plural(mustFailures, 'MUST failure')}${suffix}`);
  if (errors > 0) return make('inconclusive', `${plural(errors, 'scenario')} ended in error, so not every MUST was checked`);
  if (checked === 0) return make('inconclusive', 'no scenario was checked');
  const warningNote = warnings > 0 ? ` (${plural(warnings, 'SHOULD warning')})` : '';
  return make('conformant', `every MUST passes${warningNote}`);
}
