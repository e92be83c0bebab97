import { describe, expect, it } from 'vitest';
import type { FeedItem } from './watch-store.js';
import { WatchViewState, watchLayout } from './watch-view.js';

const item = (id: string, seq: number): FeedItem => ({ seq, kind: 'device', id, variant: 'macos', at: '2026-01-01T00:00:00Z', text: 'locked', tone: 'locked' });
const live = [item('d3', 3), item('d2', 2), item('d1', 1)];

describe('WatchViewState', () => {
  it('v cycles through all variants and back to all; V goes back', () => {
    const view = new WatchViewState(['ios-device', 'macos']);
    expect(view.variant).toBeNull();
    view.handleKey('v', {}, live);
    expect(view.variant).toBe('ios-device');
    view.handleKey('v', {}, live);
    view.handleKey('v', {}, live);
    expect(view.variant).toBeNull();
    view.handleKey('V', {}, live);
    expect(view.variant).toBe('macos');
  });

  it('arrows freeze the feed and pick an event; enter opens its device; esc closes, then resumes', () => {
    const view = new WatchViewState([]);
    view.handleKey('', { downArrow: true }, live);
    expect(view.frozen?.map((i) => i.id)).toEqual(['d3', 'd2', 'd1']);
    view.handleKey('', { downArrow: true }, [item('new', 4), ...live]);
    expect(view.selected).toBe(1);
    expect(view.handleKey('', { return: true }, live)).toEqual({ kind: 'open', id: 'd2' });
    expect(view.handleKey('r', {}, live)).toEqual({ kind: 'reload', id: 'd2' });
    expect(view.handleKey('', { escape: true }, live)).toEqual({ kind: 'close' });
    expect(view.frozen).not.toBeNull();
    view.handleKey('', { escape: true }, live);
    expect(view.frozen).toBeNull();
    expect(view.handleKey('q', {}, live)).toEqual({ kind: 'quit' });
  });

  it('lays out narrow and wide terminals without overflowing the rows', () => {
    const narrow = watchLayout(80, 24, 12);
    expect(narrow.wide).toBe(false);
    expect(narrow.maxTableRows + 2 + narrow.feedRows + 3).toBeLessThanOrEqual(narrow.avail);
    const wide = watchLayout(160, 40, 12);
    expect(wide.wide).toBe(true);
    expect(wide.tableWidth + 2 + wide.sideWidth).toBe(160);
  });
});
