/** The fuzz oracle's verdicts: one Check per comparison, and the error a failed check becomes. */
import { requirement as catalogueEntry } from '../../scenarios/requirements.js';
import type { Level } from '../../contract/result-model.js';

/** One comparison of an observation with the model. Never holds a secret: secrets are compared by shape. */
export interface Check {
  requirement: string;
  what: string;
  ok: boolean;
  expected: string;
  observed: string;
}

/** The target did something the model says a conforming MDM must not. */
export class ConformanceMismatch extends Error {
  readonly requirement: string;
  readonly level: Level;
  readonly statement: string;
  readonly what: string;
  readonly expected: string;
  readonly observed: string;
  readonly step: string;

  constructor(check: Check, step: string) {
    const entry = catalogueEntry(check.requirement);
    super(`${check.requirement} (${entry.level}): ${check.what}: expected ${check.expected}, observed ${check.observed} [step: ${step}]`);
    this.name = 'ConformanceMismatch';
    this.requirement = check.requirement;
    this.level = entry.level;
    this.statement = entry.statement;
    this.what = check.what;
    this.expected = check.expected;
    this.observed = check.observed;
    this.step = step;
  }
}

export function show(value: unknown): string {
  if (value === undefined) return 'absent';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function oneOf(values: readonly unknown[]): string {
  return values.length === 1 ? show(values[0]) : `one of ${values.map(show).join(', ')}`;
}

export function expectIn<T>(requirement: string, what: string, observed: T, allowed: readonly T[]): Check {
  return { requirement, what, ok: allowed.some((a) => Object.is(a, observed)), expected: oneOf(allowed), observed: show(observed) };
}


export function shapeOf(value: unknown): 'present' | 'null' | 'absent' {
  if (value === undefined) return 'absent';
  return value === null || value === '' ? 'null' : 'present';
}

export const HIDDEN = ['null', 'absent'] as const;
