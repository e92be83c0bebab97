/**
 * The conformance suite: every scenario, in a stable order (by area, then as each file
 * lists them), and selection by id, tag and requirement.
 */
import { ACTION_STATUS_SCENARIOS } from './action-status.scenarios.js';
import { DEVICE_RESET_SCENARIOS } from './device-reset.scenarios.js';
import type { Scenario } from './dsl.js';
import { FLEET_SCENARIOS } from './fleet.scenarios.js';
import { GRAPH_FIDELITY_SCENARIOS } from './graph-fidelity.scenarios.js';
import { IOS_REMOVAL_SCENARIOS } from './ios-removal.scenarios.js';
import { LIST_SCENARIOS } from './lists.scenarios.js';
import { REMOTE_LOCK_SCENARIOS } from './remote-lock.scenarios.js';
import { ROLES_SCENARIOS } from './roles.scenarios.js';
import { TEMPORARY_PASSCODE_SCENARIOS } from './temporary-passcode.scenarios.js';
import { TOKEN_ACTIVATION_SCENARIOS } from './token-activation.scenarios.js';
import { WIPE_SCENARIOS } from './wipe.scenarios.js';
import { WORK_PROFILE_SCENARIOS } from './work-profile.scenarios.js';

/** Areas in report order. */
export const AREAS = [
  'device-reset',
  'work-profile-reset',
  'temporary-passcode',
  'token-activation',
  'ios-removal',
  'remote-lock',
  'wipe',
  'roles',
  'action-status',
  'graph-fidelity',
  'fleet',
] as const;

export const SUITE: readonly Scenario[] = Object.freeze([
  ...DEVICE_RESET_SCENARIOS,
  ...WORK_PROFILE_SCENARIOS,
  ...TEMPORARY_PASSCODE_SCENARIOS,
  ...TOKEN_ACTIVATION_SCENARIOS,
  ...IOS_REMOVAL_SCENARIOS,
  ...REMOTE_LOCK_SCENARIOS,
  ...WIPE_SCENARIOS,
  ...ROLES_SCENARIOS,
  ...ACTION_STATUS_SCENARIOS,
  ...LIST_SCENARIOS,
  ...GRAPH_FIDELITY_SCENARIOS,
  ...FLEET_SCENARIOS,
]);

export interface Selection {
  /** Exact ids, or prefixes ending in `*` ("reset/*", "lock/macos/*"). */
  ids?: readonly string[];
  tags?: readonly string[];
  requirements?: readonly string[];
}

export class SelectionError extends Error {}

function idMatcher(pattern: string): (id: string) => boolean {
  if (pattern.endsWith('*')) {
    const prefix = pattern.slice(0, -1);
    return (id) => id.startsWith(prefix);
  }
  return (id) => id === pattern;
}

function list(values: Iterable<string>, max = 40): string {
  const all = [...values];
  return all.length > max ? `${all.slice(0, max).join(', ')}, ... (${all.length} in all)` : all.join(', ');
}

/**
 * The scenarios that match any given id AND any given tag AND any given requirement, in
 * suite order; an empty or missing filter matches everything. An id pattern, tag or
 * requirement that matches no scenario of the suite is an error that lists what exists.
 */
export function selectScenarios(suite: readonly Scenario[], selection: Selection = {}): Scenario[] {
  const ids = selection.ids?.filter((s) => s !== '') ?? [];
  const tags = selection.tags?.filter((s) => s !== '') ?? [];
  const requirements = selection.requirements?.filter((s) => s !== '') ?? [];

  const matchers = ids.map((pattern) => ({ pattern, matches: idMatcher(pattern) }));
  const unknownIds = matchers.filter((m) => !suite.some((s) => m.matches(s.id))).map((m) => m.pattern);
  if (unknownIds.length) {
    throw new SelectionError(
      `No scenario matches ${unknownIds.map((p) => `'${p}'`).join(', ')}. Scenario ids: ${list(suite.map((s) => s.id))} (a trailing * matches a prefix, e.g. 'reset/*')`,
    );
  }
  const knownTags = new Set(suite.flatMap((s) => s.tags));
  const unknownTags = tags.filter((tag) => !knownTags.has(tag));
  if (unknownTags.length) {
    throw new SelectionError(`Unknown tag ${unknownTags.map((tag) => `'${tag}'`).join(', ')}. Tags: ${list([...knownTags].sort(), 200)}`);
  }
  const knownRequirements = new Set(suite.flatMap((s) => s.requirements));
  const unknownRequirements = requirements.filter((id) => !knownRequirements.has(id));
  if (unknownRequirements.length) {
    throw new SelectionError(
      `Unknown requirement ${unknownRequirements.map((id) => `'${id}'`).join(', ')}. Requirements covered by the suite: ${list(sortRequirementIds(knownRequirements), 200)}`,
    );
  }

  return suite.filter(
    (s) =>
      (matchers.length === 0 || matchers.some((m) => m.matches(s.id))) &&
      (tags.length === 0 || tags.some((tag) => s.tags.includes(tag))) &&
      (requirements.length === 0 || requirements.some((id) => s.requirements.includes(id))),
  );
}

/** "DL-2" before "DL-10". */
function sortRequirementIds(ids: Iterable<string>): string[] {
  return [...ids].sort((a, b) => {
    const [pa = '', na = '0'] = a.split('-');
    const [pb = '', nb = '0'] = b.split('-');
    return pa === pb ? Number(na) - Number(nb) : pa.localeCompare(pb);
  });
}
