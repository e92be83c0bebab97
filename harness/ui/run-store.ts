import type { Scenario } from '../../scenarios/dsl.js';
import type { Outcome, ScenarioResult } from '../../contract/result-model.js';
import type { RunEvent } from '../runner.js';
import { VARIANT_KEYS } from '../../contract/variants.js';
import { worstOutcome } from './theme.js';
import { FramePump } from './use-frame.js';

export type ScenarioStatus = 'queued' | 'running' | Outcome;

/** Scenario metadata the UI needs (a Scenario, or a ScenarioResult when only results are known). */
export interface PlannedScenario {
  id: string;
  title: string;
  area: string;
  variant?: string | undefined;
  action?: string | undefined;
  requirements?: readonly string[] | undefined;
}

export interface ScenarioRow extends PlannedScenario {
  status: ScenarioStatus;
  result: ScenarioResult | null;
  progress: { done: number; total: number } | null;
  /** Store version at the row's last change, to follow the newest activity. */
  touched: number;
}

export interface AreaGroup {
  area: string;
  rows: ScenarioRow[];
}

/** Matrix columns: the three Graph actions (an iOS passcode removal is resetPasscode there). */
export const MATRIX_ACTIONS = ['resetPasscode', 'remoteLock', 'wipe'] as const;
export type MatrixAction = (typeof MATRIX_ACTIONS)[number];

export interface MatrixCell {
  /** Worst outcome among finished scenarios of the cell, or null before the first one finishes. */
  worst: Outcome | null;
  finished: number;
  total: number;
  running: number;
}

export interface MatrixView {
  variants: string[];
  cells: Map<string, MatrixCell>;
}

export function matrixAction(action: string | undefined): MatrixAction | null {
  if (action === 'removal') return 'resetPasscode';
  return (MATRIX_ACTIONS as readonly string[]).includes(action ?? '') ? (action as MatrixAction) : null;
}

export const matrixKey = (variant: string, action: MatrixAction) => `${variant}\u0000${action}`;

/**
 * Everything the run UI shows, kept in plain objects: RunEvents update it in O(1) and
 * bump `version`; the UI reads it on its own timer. Nothing here renders.
 */
export class RunStore {
  version = 0;
  readonly pump = new FramePump();
  readonly rows = new Map<string, ScenarioRow>();
  private readonly areas = new Map<string, ScenarioRow[]>();
  readonly counts: Record<Outcome, number> = { pass: 0, fail: 0, warn: 0, info: 0, skip: 0, error: 0 };
  running = 0;
  finished = 0;
  readonly startedAt: number;
  finishedAt: number | null = null;
  /** The user asked to stop: no new scenarios start; the running ones finish. */
  stopping = false;

  constructor(planned: readonly PlannedScenario[] = [], now = Date.now()) {
    this.startedAt = now;
    for (const s of planned) this.row(s);
  }

  get total(): number {
    return this.rows.size;
  }

  /** The RunEvent listener handed to runCommand (io.listener). */
  readonly listener = (event: RunEvent): void => {
    const row = this.row(event.scenario);
    switch (event.type) {
      case 'start':
        if (row.status === 'queued') this.running++;
        row.status = 'running';
        break;
      case 'progress':
        row.progress = { done: event.done, total: event.total };
        break;
      case 'result':
        if (row.status === 'running') this.running--;
        if (row.result) this.counts[row.result.outcome]--;
        else this.finished++;
        row.status = event.result.outcome;
        row.result = event.result;
        this.counts[event.result.outcome]++;
        break;
    }
    row.touched = ++this.version;
    this.pump.poke();
  };

  markStopping(): void {
    if (this.stopping) return;
    this.stopping = true;
    this.version++;
  }

  markFinished(now = Date.now()): void {
    this.finishedAt = now;
    this.version++;
  }

  elapsedMs(now = Date.now()): number {
    return (this.finishedAt ?? now) - this.startedAt;
  }

  results(): ScenarioResult[] {
    const out: ScenarioResult[] = [];
    for (const row of this.rows.values()) if (row.result) out.push(row.result);
    return out;
  }

  private cachedGroups: { version: number; keep: unknown; groups: AreaGroup[] } | null = null;
  private cachedMatrix: { version: number; view: MatrixView } | null = null;

  /** Scenarios grouped by area (areas in first-seen order), optionally only those passing `keep`; cached per version. */
  groups(keep?: (row: ScenarioRow) => boolean): AreaGroup[] {
    const cached = this.cachedGroups;
    if (cached && cached.version === this.version && cached.keep === keep) return cached.groups;
    const groups = this.computeGroups(keep);
    this.cachedGroups = { version: this.version, keep, groups };
    return groups;
  }

  private computeGroups(keep?: (row: ScenarioRow) => boolean): AreaGroup[] {
    const groups: AreaGroup[] = [];
    for (const [area, rows] of this.areas) {
      const kept = keep ? rows.filter(keep) : rows;
      if (kept.length > 0) groups.push({ area, rows: kept });
    }
    return groups;
  }

  /** The conformance matrix so far: variants (catalogue order) × the three actions; cached per version. */
  matrix(): MatrixView {
    if (this.cachedMatrix?.version === this.version) return this.cachedMatrix.view;
    const view = this.computeMatrix();
    this.cachedMatrix = { version: this.version, view };
    return view;
  }

  private computeMatrix(): MatrixView {
    const cells = new Map<string, MatrixCell>();
    const outcomes = new Map<string, Outcome[]>();
    const seen = new Set<string>();
    for (const row of this.rows.values()) {
      const action = matrixAction(row.action);
      if (!row.variant || !action) continue;
      seen.add(row.variant);
      const key = matrixKey(row.variant, action);
      let c = cells.get(key);
      if (!c) cells.set(key, (c = { worst: null, finished: 0, total: 0, running: 0 }));
      c.total++;
      if (row.status === 'running') c.running++;
      if (row.result) {
        c.finished++;
        let list = outcomes.get(key);
        if (!list) outcomes.set(key, (list = []));
        list.push(row.result.outcome);
      }
    }
    for (const [key, list] of outcomes) cells.get(key)!.worst = worstOutcome(list);
    const known = (VARIANT_KEYS as readonly string[]).filter((v) => seen.has(v));
    const other = [...seen].filter((v) => !(VARIANT_KEYS as readonly string[]).includes(v)).sort();
    return { variants: [...known, ...other], cells };
  }

  private row(s: Scenario | PlannedScenario): ScenarioRow {
    let row = this.rows.get(s.id);
    if (row) return row;
    row = {
      id: s.id,
      title: s.title,
      area: s.area,
      variant: s.variant,
      action: s.action,
      requirements: s.requirements,
      status: 'queued',
      result: null,
      progress: null,
      touched: this.version,
    };
    this.rows.set(s.id, row);
    let list = this.areas.get(s.area);
    if (!list) this.areas.set(s.area, (list = []));
    list.push(row);
    return row;
  }
}

/** Whether a row belongs in the "failures only" view: anything finished that did not pass or skip. */
export function isProblem(row: ScenarioRow): boolean {
  return row.result !== null && row.result.outcome !== 'pass' && row.result.outcome !== 'skip';
}
