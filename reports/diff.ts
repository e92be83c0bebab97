import type { ComparedScenario, Outcome, RunComparison, RunResult, ScenarioResult } from '../contract/result-model.js';
import { compareRequirementIds } from './requirement-coverage.js';

/** Outcomes that count as failing when two runs are compared (REF notes and skips do not). */
const FAILING: ReadonlySet<Outcome> = new Set(['fail', 'warn', 'error']);

export function isFailing(outcome: Outcome | null): boolean {
  return outcome !== null && FAILING.has(outcome);
}

function compared(id: string, before: ScenarioResult | undefined, after: ScenarioResult | undefined): ComparedScenario {
  const s = after ?? before!;
  return {
    id,
    ...(s.variant ? { variant: s.variant } : {}),
    requirements: [...s.requirements],
    before: before?.outcome ?? null,
    after: after?.outcome ?? null,
  };
}

/**
 * What changed from `baseline` to `current`, scenario by scenario: new failures (failing now,
 * not before, including scenarios new to this run), fixed (failing before, passing now), still
 * failing, and scenarios only one of the runs has (when that is not a new failure or a fix).
 */
export function compareRuns(baseline: RunResult, current: RunResult, source?: string): RunComparison {
  const before = new Map(baseline.scenarios.map((s) => [s.id, s]));
  const after = new Map(current.scenarios.map((s) => [s.id, s]));
  const out: RunComparison = {
    baseline: { startedAt: baseline.startedAt, target: baseline.target, seed: baseline.seed, ...(source ? { source } : {}) },
    newFailures: [], fixed: [], stillFailing: [], added: [], removed: [],
  };
  for (const [id, now] of after) {
    const then = before.get(id);
    const failingNow = isFailing(now.outcome);
    const failingThen = then ? isFailing(then.outcome) : false;
    if (failingNow && failingThen) out.stillFailing.push(compared(id, then, now));
    else if (failingNow) out.newFailures.push(compared(id, then, now));
    else if (failingThen && now.outcome !== 'skip') out.fixed.push(compared(id, then, now));
    else if (!then) out.added.push(compared(id, undefined, now));
  }
  for (const [id, then] of before) if (!after.has(id)) out.removed.push(compared(id, then, undefined));
  return out;
}

export interface RequirementChange {
  requirement: string;
  newFailures: number;
  fixed: number;
  stillFailing: number;
}

/** The comparison counted per requirement, for "by requirement" summaries. */
export function changesByRequirement(c: RunComparison): RequirementChange[] {
  const rows = new Map<string, RequirementChange>();
  const add = (list: ComparedScenario[], field: 'newFailures' | 'fixed' | 'stillFailing') => {
    for (const s of list) {
      for (const r of s.requirements) {
        let row = rows.get(r);
        if (!row) rows.set(r, (row = { requirement: r, newFailures: 0, fixed: 0, stillFailing: 0 }));
        row[field]++;
      }
    }
  };
  add(c.newFailures, 'newFailures');
  add(c.fixed, 'fixed');
  add(c.stillFailing, 'stillFailing');
  return [...rows.values()].sort((a, b) => compareRequirementIds(a.requirement, b.requirement));
}

/** "3 new failures, 1 fixed, 4 still failing" */
export function comparisonHeadline(c: RunComparison): string {
  return `${c.newFailures.length} new failure${c.newFailures.length === 1 ? '' : 's'}, ${c.fixed.length} fixed, ${c.stillFailing.length} still failing`;
}

function outcomeWord(o: Outcome | null): string {
  return o ?? 'absent';
}

/** The comparison as terminal lines, grouped as new failures, fixed, still failing, then per requirement. */
export function comparisonLines(c: RunComparison, labels: { before: string; after: string }): string[] {
  const lines = [`comparing ${labels.before} → ${labels.after}: ${comparisonHeadline(c)}`];
  const section = (title: string, list: ComparedScenario[]) => {
    if (list.length === 0) return;
    lines.push('', `${title} (${list.length}):`);
    for (const s of list) {
      lines.push(`  ${s.id}  [${s.requirements.join(',')}]${s.variant ? ` ${s.variant}` : ''}  ${outcomeWord(s.before)} → ${outcomeWord(s.after)}`);
    }
  };
  section('new failures', c.newFailures);
  section('fixed', c.fixed);
  section('still failing', c.stillFailing);
  if (c.added.length) lines.push('', `${c.added.length} scenario${c.added.length === 1 ? '' : 's'} only in the new run, none failing`);
  if (c.removed.length) lines.push('', `${c.removed.length} scenario${c.removed.length === 1 ? '' : 's'} only in the old run: ${c.removed.slice(0, 5).map((s) => s.id).join(', ')}${c.removed.length > 5 ? ', …' : ''}`);
  const byRequirement = changesByRequirement(c);
  if (byRequirement.length) {
    lines.push('', 'by requirement:');
    for (const r of byRequirement) {
      const parts = [r.newFailures ? `${r.newFailures} new` : '', r.fixed ? `${r.fixed} fixed` : '', r.stillFailing ? `${r.stillFailing} still failing` : ''].filter(Boolean);
      lines.push(`  ${r.requirement.padEnd(6)} ${parts.join(', ')}`);
    }
  }
  return lines;
}
