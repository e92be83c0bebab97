import type { FeedItem } from './watch-store.js';

/**
 * Where the user is in the watch dashboard: the variant filter, a frozen feed while picking an
 * event, the selection, and which device's detail is open. Plain state with a key handler (no
 * rendering), tested without a terminal; WatchApp only draws it.
 */

export interface WatchKey {
  upArrow?: boolean;
  downArrow?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
}

/** What a key asks of the dashboard beyond the view. */
export type WatchCommand = { kind: 'quit' } | { kind: 'open'; id: string } | { kind: 'close' } | { kind: 'reload'; id: string } | null;

export class WatchViewState {
  version = 0;
  /** -1: all variants; else an index into `variants`. */
  variantIndex: number;
  /** The feed held still while the user picks an event (null: live). */
  frozen: FeedItem[] | null = null;
  selected = 0;
  /** The device whose detail is open, or null. */
  detailId: string | null = null;

  constructor(private readonly variants: readonly string[], initialVariant: string | null = null) {
    this.variantIndex = initialVariant ? variants.indexOf(initialVariant) : -1;
  }

  get variant(): string | null {
    return this.variantIndex >= 0 ? (this.variants[this.variantIndex] ?? null) : null;
  }

  /** Applies a key; `live` is the feed as shown now. */
  handleKey(input: string, key: WatchKey, live: readonly FeedItem[]): WatchCommand {
    const command = this.apply(input, key, live);
    this.version++;
    return command;
  }

  private apply(input: string, key: WatchKey, live: readonly FeedItem[]): WatchCommand {
    if (input === 'q' || (key.ctrl && input === 'c')) return { kind: 'quit' };
    if (input === 'v' || input === 'V') {
      const n = this.variants.length + 1;
      const step = input === 'v' ? 1 : -1;
      this.variantIndex = ((((this.variantIndex + 1 + step) % n) + n) % n) - 1;
      this.frozen = null;
      this.selected = 0;
      return null;
    }
    if (key.escape) {
      if (this.detailId) return this.close();
      this.frozen = null;
      return null;
    }
    if (key.upArrow || key.downArrow) {
      if (this.detailId) return null;
      if (!this.frozen) {
        // Start selecting: the feed holds still until esc.
        this.frozen = [...live];
        this.selected = 0;
        return null;
      }
      this.selected = Math.max(0, Math.min(this.frozen.length - 1, this.selected + (key.downArrow ? 1 : -1)));
      return null;
    }
    if (key.return) {
      if (this.detailId) return this.close();
      const list = this.frozen ?? live;
      const item = list[this.frozen ? this.selected : 0];
      if (!this.frozen) {
        this.frozen = [...list];
        this.selected = 0;
      }
      if (!item) return null;
      this.detailId = item.id;
      return { kind: 'open', id: item.id };
    }
    if (input === 'r' && this.detailId) return { kind: 'reload', id: this.detailId };
    return null;
  }

  private close(): WatchCommand {
    this.detailId = null;
    return { kind: 'close' };
  }

  help(): string {
    return this.detailId ? 'enter/esc back · r refresh · q quit' : `↑/↓ select · enter details · v variant (${this.variant ?? 'all'}) · q quit`;
  }
}

export interface WatchLayout {
  /** Lines for the body (title and help excluded, one spare so Ink never clears the screen). */
  avail: number;
  wide: boolean;
  tableWidth: number;
  sideWidth: number;
  feedRows: number;
  maxTableRows: number;
  /** Whether the actions and sparkline lines fit (narrow layout). */
  extras: boolean;
}

/** Pane sizes of the dashboard for a terminal size and the number of variant rows. */
export function watchLayout(columns: number, rows: number, variantRows: number): WatchLayout {
  const avail = Math.max(4, rows - 3);
  const wide = columns >= 130;
  const tableWidth = wide ? Math.min(82, columns - 48) : columns;
  const sideWidth = wide ? columns - tableWidth - 2 : columns;
  const extras = avail >= 12 ? 3 : 1; // actions, sparkline, feed heading (or just the heading when cramped)
  if (wide) return { avail, wide, tableWidth, sideWidth, maxTableRows: Math.max(1, avail - 3), feedRows: Math.min(20, Math.max(1, avail - 2)), extras: true };
  const minFeed = Math.min(3, avail - extras - 3);
  const maxTableRows = Math.max(1, Math.min(variantRows, avail - extras - 2 - minFeed));
  const tableLines = 2 + Math.min(variantRows, maxTableRows) + (variantRows === 0 ? 1 : 0);
  const feedRows = Math.max(1, Math.min(10, avail - extras - tableLines));
  return { avail, wide, tableWidth, sideWidth, feedRows, maxTableRows, extras: extras === 3 };
}
