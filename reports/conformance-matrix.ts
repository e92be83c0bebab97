import { GRAPH_ROLE_NAMES } from '../contract/roles.js';
import type { Outcome, ScenarioResult } from '../contract/result-model.js';
import { VARIANT_KEYS } from '../contract/variants.js';
import { isExpectedFailure, worstOutcome } from './outcomes.js';

/** The actions of the API contract; always shown as columns so an untested one stands out. */
export const STANDARD_ACTIONS: readonly string[] = ['resetPasscode', 'remoteLock', 'wipe'];

export interface MatrixCell {
  scenarios: ScenarioResult[];
  /** Undefined for an empty cell. */
  worst: Outcome | undefined;
  /** How many scenarios ended with the worst outcome. */
  worstCount: number;
  /** Scenarios a vendor expectations file lists as known failures. */
  expectedFailures: number;
}

export interface ConformanceMatrix {
  /** Rows: variants present in the run, in catalogue order, unknown ones after. */
  variants: string[];
  /** Columns: the standard actions, then any other action present. */
  actions: string[];
  cell(variant: string, action: string): MatrixCell;
  /** Scenarios without a variant or an action (roles, status, fleet-wide ones). */
  crossCutting: ScenarioResult[];
}

function catalogueOrder(values: Iterable<string>, known: readonly string[]): string[] {
  const present = new Set(values);
  const first = known.filter((value) => present.has(value));
  const rest = [...present].filter((value) => !known.includes(value)).sort();
  return [...first, ...rest];
}

function toCell(scenarios: ScenarioResult[]): MatrixCell {
  const worst = worstOutcome(scenarios.map((s) => s.outcome));
  return {
    scenarios,
    worst,
    worstCount: scenarios.filter((s) => s.outcome === worst).length,
    expectedFailures: scenarios.filter(isExpectedFailure).length,
  };
}

export function buildConformanceMatrix(scenarios: readonly ScenarioResult[]): ConformanceMatrix {
  const byCell = new Map<string, ScenarioResult[]>();
  const crossCutting: ScenarioResult[] = [];
  const cellKey = (variant: string, action: string) => JSON.stringify([variant, action]);

  for (const scenario of scenarios) {
    if (!scenario.variant || !scenario.action) {
      crossCutting.push(scenario);
      continue;
    }
    const key = cellKey(scenario.variant, scenario.action);
    byCell.set(key, [...(byCell.get(key) ?? []), scenario]);
  }

  const placed = scenarios.filter((s) => s.variant && s.action);
  const variants = catalogueOrder(placed.map((s) => s.variant ?? ''), VARIANT_KEYS);
  const actions = catalogueOrder([...STANDARD_ACTIONS, ...placed.map((s) => s.action ?? '')], STANDARD_ACTIONS);

  return {
    variants,
    actions,
    crossCutting,
    cell: (variant, action) => toCell(byCell.get(cellKey(variant, action)) ?? []),
  };
}

/** "3" when every scenario in the cell shares the worst outcome, else "1/3". */
export function cellCountLabel(cell: MatrixCell): string {
  const total = cell.scenarios.length;
  return cell.worstCount === total ? String(total) : `${cell.worstCount}/${total}`;
}

/** Roles as the suite's role scenarios tag them, in the contract's order. */
const ROLE_ORDER: readonly string[] = GRAPH_ROLE_NAMES;

export interface RoleMatrix {
  roles: string[];
  actions: string[];
  cell(role: string, action: string): MatrixCell;
  /** Whether the role's scenario for the action expects it allowed, forbidden, or (no scenario) undefined. */
  expectation(role: string, action: string): 'allowed' | 'forbidden' | undefined;
}

/**
 * Role × action, from the role scenarios (area "roles", tagged with the role, the action and
 * "allowed" or "forbidden"): which roles may act, and whether the target agreed.
 */
export function buildRoleMatrix(scenarios: readonly ScenarioResult[]): RoleMatrix {
  const byCell = new Map<string, ScenarioResult[]>();
  const expected = new Map<string, 'allowed' | 'forbidden'>();
  const key = (role: string, action: string) => JSON.stringify([role, action]);
  const roles = new Set<string>();
  const actions = new Set<string>();
  for (const s of scenarios) {
    if (s.area !== 'roles' || !s.action) continue;
    const role = s.tags.find((t) => ROLE_ORDER.includes(t)) ?? s.tags.find((t) => t !== 'roles' && t !== s.action && t !== 'allowed' && t !== 'forbidden');
    if (!role) continue;
    roles.add(role);
    actions.add(s.action);
    byCell.set(key(role, s.action), [...(byCell.get(key(role, s.action)) ?? []), s]);
    if (s.tags.includes('allowed')) expected.set(key(role, s.action), 'allowed');
    else if (s.tags.includes('forbidden')) expected.set(key(role, s.action), 'forbidden');
  }
  return {
    roles: catalogueOrder(roles, ROLE_ORDER),
    actions: roles.size ? catalogueOrder([...STANDARD_ACTIONS, ...actions], STANDARD_ACTIONS) : [],
    cell: (role, action) => toCell(byCell.get(key(role, action)) ?? []),
    expectation: (role, action) => expected.get(key(role, action)),
  };
}
