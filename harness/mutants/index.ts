/**
 * The mutant catalogue: every group of wrong MDMs, one file each. To add mutants, write a
 * file exporting a MutantGroup (see device-reset.ts) and list it here; `lockstep mutate`,
 * the bench and the catalogue test pick it up.
 */
import { APPLE_POLICY_MUTANTS } from './apple-policy.js';
import { DEVICE_RESET_MUTANTS } from './device-reset.js';
import { GRAPH_FIDELITY_MUTANTS } from './graph-fidelity.js';
import { GRAPH_SCHEMA_MUTANTS } from './graph-schema.js';
import { IOS_REMOVAL_MUTANTS } from './ios-removal.js';
import type { Mutant, MutantGroup } from './mutant.js';
import { REMOTE_LOCK_MUTANTS } from './remote-lock.js';
import { ROLES_STATUS_MUTANTS } from './roles-status.js';
import { TEMPORARY_PASSCODE_MUTANTS } from './temporary-passcode.js';
import { TOKEN_ACTIVATION_MUTANTS } from './token-activation.js';
import { WORK_PROFILE_MUTANTS } from './work-profile.js';

export type { Mutant, MutantGroup, WrapFetch } from './mutant.js';

export const MUTANT_GROUPS: readonly MutantGroup[] = [
  DEVICE_RESET_MUTANTS,
  WORK_PROFILE_MUTANTS,
  TEMPORARY_PASSCODE_MUTANTS,
  TOKEN_ACTIVATION_MUTANTS,
  IOS_REMOVAL_MUTANTS,
  REMOTE_LOCK_MUTANTS,
  ROLES_STATUS_MUTANTS,
  GRAPH_FIDELITY_MUTANTS,
  GRAPH_SCHEMA_MUTANTS,
  APPLE_POLICY_MUTANTS,
];

export const MUTANTS: readonly Mutant[] = MUTANT_GROUPS.flatMap((g) => g.mutants);

export function mutantById(id: string): Mutant | undefined {
  return MUTANTS.find((m) => m.id === id);
}
