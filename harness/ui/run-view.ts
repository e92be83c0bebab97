import type { Outcome } from '../../contract/result-model.js';
import { isProblem, type ScenarioRow } from './run-store.js';

/**
 * What the run view shows and where the user is in it: selection, detail, filters. Plain
 * state with a key handler, no rendering, so it is tested without a terminal; the RunApp
 * component only draws it. Keys change it synchronously and bump `version`.
 */

const OUTCOME_WORDS: readonly Outcome[] = ['pass', 'fail', 'warn', 'info', 'skip', 'error'];

/** A k9s-style filter: free words match id or title; `req:TP-1`, `variant:ios` (or `v:`), `outcome:fail` (or `o:`) narrow further. */
export interface RunFilter {
  words: string[];
  requirement: string | null;
  variant: string | null;
  outcome: Outcome | null;
}

export function parseFilter(query: string): RunFilter {
  const filter: RunFilter = { words: [], requirement: null, variant: null, outcome: null };
  for (const token of query.trim().toLowerCase().split(/\s+/).filter(Boolean)) {
    const [key, value] = token.includes(':') ? [token.slice(0, token.indexOf(':')), token.slice(token.indexOf(':') + 1)] : ['', token];
    if ((key === 'req' || key === 'r' || key === 'requirement') && value) filter.requirement = value;
    else if ((key === 'variant' || key === 'v') && value) filter.variant = value;
    else if ((key === 'outcome' || key === 'o') && value) filter.outcome = OUTCOME_WORDS.find((o) => o.startsWith(value)) ?? null;
    else filter.words.push(token);
  }
  return filter;
}

export function rowMatches(row: ScenarioRow, filter: RunFilter): boolean {
  if (filter.outcome && row.result?.outcome !== filter.outcome) return false;
  if (filter.variant && !(row.variant ?? '').toLowerCase().includes(filter.variant)) return false;
  if (filter.requirement) {
    const wanted = filter.requirement;
    const requirements = row.requirements ?? row.result?.requirements ?? [];
    if (!requirements.some((r) => r.toLowerCase() === wanted || r.toLowerCase().startsWith(`${wanted}`))) return false;
  }
  if (filter.words.length) {
    const text = `${row.id} ${row.title}`.toLowerCase();
    if (!filter.words.every((w) => text.includes(w))) return false;
  }
  return true;
}

/** The keys Ink reports that the view uses (a subset of Ink's Key). */
export interface ViewKey {
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  return?: boolean;
  escape?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
}

/** What a key asks of the session beyond the view. */
export type ViewCommand = 'stop' | 'force-quit' | 'quit' | null;

export interface KeyContext {
  /** Selectable rows in display order (after filters). */
  rows: readonly ScenarioRow[];
  /** The run ended: q leaves the view. */
  finished: boolean;
  /** The user already asked the run to stop. */
  stopping: boolean;
  /** Lines the detail pane shows at once (for page scrolling). */
  detailPage?: number;
}

export class RunViewState {
  version = 0;
  selectedId: string | null = null;
  detail = false;
  failuresOnly = false;
  /** The applied filter text. */
  query = '';
  /** The filter being typed after `/`, or null. */
  editing: string | null = null;
  /** First line of the detail pane shown. */
  detailScroll = 0;
  private cachedKeep: { key: string; keep: ((row: ScenarioRow) => boolean) | undefined } | null = null;

  /** The predicate rows must pass: failures-only and the filter (the live text while typing). */
  keep(): ((row: ScenarioRow) => boolean) | undefined {
    const query = this.editing ?? this.query;
    const key = `${this.failuresOnly}\u0000${query}`;
    if (this.cachedKeep?.key === key) return this.cachedKeep.keep;
    const filter = query.trim() ? parseFilter(query) : null;
    const failuresOnly = this.failuresOnly;
    const keep = !filter && !failuresOnly ? undefined : (row: ScenarioRow) => (!failuresOnly || isProblem(row)) && (!filter || rowMatches(row, filter));
    this.cachedKeep = { key, keep };
    return keep;
  }

  /** Applies a key; returns what the session must do (stop the run, leave), if anything. */
  handleKey(input: string, key: ViewKey, ctx: KeyContext): ViewCommand {
    const command = this.apply(input, key, ctx);
    this.version++;
    return command;
  }

  private apply(input: string, key: ViewKey, ctx: KeyContext): ViewCommand {
    if (this.editing !== null) {
      if (key.return) {
        this.query = this.editing.trim();
        this.editing = null;
      } else if (key.escape) {
        this.editing = null;
      } else if (key.backspace || key.delete) {
        this.editing = this.editing.slice(0, -1);
      } else if (key.ctrl && input === 'c') {
        this.editing = null;
      } else if (input && !key.ctrl && !key.upArrow && !key.downArrow) {
        this.editing += input.replace(/[\r\n\t]/g, '');
      }
      return null;
    }
    if (input === 'q' || (key.ctrl && input === 'c')) {
      if (ctx.finished) return 'quit';
      return ctx.stopping ? 'force-quit' : 'stop';
    }
    if (input === '/') {
      this.editing = this.query;
      return null;
    }
    if (key.upArrow || key.downArrow) {
      this.move(ctx.rows, key.downArrow ? 1 : -1);
      return null;
    }
    if (key.pageUp || key.pageDown || input === ' ') {
      const page = Math.max(1, (ctx.detailPage ?? 10) - 2);
      this.detailScroll = Math.max(0, this.detailScroll + (key.pageUp ? -page : page));
      return null;
    }
    if (key.return) {
      if (!ctx.rows.some((r) => r.id === this.selectedId)) {
        // Nothing selected yet: jump to the first problem (or the first scenario) and open it.
        const first = ctx.rows.find(isProblem) ?? ctx.rows[0];
        if (!first) return null;
        this.select(first.id);
        this.detail = true;
        return null;
      }
      this.detail = !this.detail;
      this.detailScroll = 0;
      return null;
    }
    if (key.escape) {
      if (this.detail) this.detail = false;
      else this.query = '';
      return null;
    }
    if (input === 'f') this.failuresOnly = !this.failuresOnly;
    return null;
  }

  private move(rows: readonly ScenarioRow[], step: 1 | -1): void {
    if (rows.length === 0) return;
    const at = rows.findIndex((r) => r.id === this.selectedId);
    const next = at < 0 ? (step > 0 ? 0 : rows.length - 1) : Math.max(0, Math.min(rows.length - 1, at + step));
    this.select(rows[next]!.id);
  }

  private select(id: string): void {
    if (id !== this.selectedId) this.detailScroll = 0;
    this.selectedId = id;
  }

  /** The help line for the current mode. */
  help(ctx: { finished: boolean; stopping: boolean; running: number }): string {
    if (this.editing !== null) return `filter: ${this.editing}▏ enter apply · esc cancel · words, req:TP-1, v:ios, o:fail`;
    if (ctx.stopping && !ctx.finished) return `stopping: waiting for ${ctx.running} running scenario${ctx.running === 1 ? '' : 's'}; q again leaves now`;
    const quit = ctx.finished ? 'q quit' : 'q stop';
    const detail = this.detail ? 'enter close · pgup/pgdn scroll' : 'enter details';
    return `↑/↓ select · ${detail} · / filter · f ${this.failuresOnly ? 'all' : 'failures'} · ${quit}`;
  }
}
