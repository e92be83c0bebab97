import type { Level, Outcome, RunResult, ScenarioResult } from '../contract/result-model.js';
import { REQUIREMENTS, isRequirementId, requirement, type Requirement } from '../scenarios/requirements.js';
import { OUTCOME_FOR_LEVEL, worstOutcome } from './outcomes.js';

export interface CheckedRequirement {
  id: string;
  /** From the catalogue, or from a finding when the id is not in it. */
  level: Level | undefined;
  statement: string | undefined;
  scenarioIds: string[];
  outcome: Outcome;
}

export interface RequirementCoverage {
  checked: CheckedRequirement[];
  /** Catalogue requirements no scenario of this run checked. */
  unchecked: Requirement[];
}

const CATALOGUE_INDEX = new Map(REQUIREMENTS.map((entry, index) => [entry.id, index]));

/** Catalogue order first (DL-2 before DL-10), then unknown ids in natural order. */
export function compareRequirementIds(a: string, b: string): number {
  const ia = CATALOGUE_INDEX.get(a) ?? Number.MAX_SAFE_INTEGER;
  const ib = CATALOGUE_INDEX.get(b) ?? Number.MAX_SAFE_INTEGER;
  return ia !== ib ? ia - ib : a.localeCompare(b, 'en', { numeric: true });
}

/**
 * How one scenario judged one requirement. A deviation produces a finding naming the
 * requirement it broke, so in a failed scenario a requirement without a finding held,
 * unless there are no findings at all to tell them apart.
 */
function outcomeFor(id: string, scenario: ScenarioResult): Outcome {
  if (scenario.outcome === 'pass' || scenario.outcome === 'skip' || scenario.outcome === 'error') return scenario.outcome;
  if (scenario.findings.length === 0) return scenario.outcome;
  const ownLevels = scenario.findings.filter((f) => f.requirement === id).map((f) => OUTCOME_FOR_LEVEL[f.level]);
  return worstOutcome(ownLevels) ?? 'pass';
}

function scenariosPerRequirement(run: RunResult): Map<string, string[]> {
  const map = new Map<string, Set<string>>();
  const add = (id: string, scenarioId: string) => map.set(id, (map.get(id) ?? new Set()).add(scenarioId));
  for (const [id, scenarioIds] of Object.entries(run.requirementCoverage)) {
    for (const scenarioId of scenarioIds) add(id, scenarioId);
  }
  // The scenarios' own lists fill any gap in the run-level index.
  for (const scenario of run.scenarios) {
    for (const id of scenario.requirements) add(id, scenario.id);
  }
  return new Map([...map].map(([id, ids]) => [id, [...ids]]));
}

export function requirementCoverageOf(run: RunResult): RequirementCoverage {
  const scenariosById = new Map(run.scenarios.map((s) => [s.id, s]));
  const perRequirement = scenariosPerRequirement(run);

  const checked = [...perRequirement.entries()]
    .filter(([, scenarioIds]) => scenarioIds.length > 0)
    .sort(([a], [b]) => compareRequirementIds(a, b))
    .map(([id, scenarioIds]): CheckedRequirement => {
      const scenarios = scenarioIds.flatMap((sid) => scenariosById.get(sid) ?? []);
      const finding = scenarios.flatMap((s) => s.findings).find((f) => f.requirement === id);
      const known = isRequirementId(id) ? requirement(id) : undefined;
      return {
        id,
        level: known?.level ?? finding?.level,
        statement: known?.statement ?? finding?.statement,
        scenarioIds,
        outcome: worstOutcome(scenarios.map((s) => outcomeFor(id, s))) ?? 'skip',
      };
    });

  const checkedIds = new Set(checked.map((row) => row.id));
  return { checked, unchecked: REQUIREMENTS.filter((entry) => !checkedIds.has(entry.id)) };
}
