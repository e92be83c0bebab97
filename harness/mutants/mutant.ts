/**
 * A mutant: a deliberately wrong MDM, built as a wrapper of the reference (embeddedTarget's
 * `wrapFetch`), wrong in ONE plausible way on ONE catalogue row. The catalogue of mutants
 * measures how strict the suite and the fuzzer are: a mutant is caught when a check naming
 * its row fails against it (Stryker's "killed").
 */
import type { ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';

export type AppFetch = (request: Request) => Promise<Response>;
export type WrapFetch = (fetch: AppFetch, mdm: ReferenceMdm) => AppFetch;

export interface Mutant {
  /** Stable id, `<row>/<what is wrong>` in kebab case, e.g. `dl-6/accepts-android-7-with-patch-version`. */
  id: string;
  /** The catalogue row it breaks (scenarios/requirements.ts). */
  row: string;
  /** What the wrong MDM does, in one sentence a vendor would recognise. */
  bug: string;
  wrap: WrapFetch;
}

/** A group of mutants in one file (one area of the catalogue, or one engineer's rows). */
export interface MutantGroup {
  name: string;
  mutants: readonly Mutant[];
}

export function mutant(row: string, slug: string, bug: string, wrap: WrapFetch): Mutant {
  return { id: `${row.toLowerCase()}/${slug}`, row, bug, wrap };
}
