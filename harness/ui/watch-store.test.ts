import { describe, expect, it } from 'vitest';
import { THROUGHPUT_SECONDS, WatchStore } from './watch-store.js';
import { actionEvent, deviceEvent, stats } from './test-support/watch-fixtures.js';

describe('WatchStore', () => {
  it('keeps a feed of recent events, newest first, described in words', () => {
    const store = new WatchStore();
    store.ingest(deviceEvent('a', 'ios-device', { online: false, pendingCommands: 2 }));
    store.ingest(actionEvent('a', 'resetPasscode', 'pending'));
    const [newest, older] = store.recent(10);
    expect(newest).toMatchObject({ kind: 'action', id: 'a', variant: 'ios-device', text: 'resetPasscode pending' });
    expect(older).toMatchObject({ kind: 'device', text: 'locked, offline, 2 pending' });
    expect(store.totalEvents).toBe(2);
    expect(store.simNow).toBe('2026-01-05T09:00:02.000Z');
  });

  it('filters the feed by variant, keeping enough history for rare variants', () => {
    const store = new WatchStore();
    store.ingest(deviceEvent('mac', 'macos'));
    for (let i = 0; i < 500; i++) store.ingest(deviceEvent(`w${i}`, 'windows'));
    expect(store.recent(10, 'macos').map((e) => e.id)).toEqual(['mac']);
    expect(store.recent(10, 'windows')).toHaveLength(10);
    expect(store.recent(10)[0]!.id).toBe('w499');
  });

  it('gives an action event that came before the device event its variant', () => {
    const store = new WatchStore();
    store.ingest(actionEvent('x', 'remoteLock', 'pending'));
    expect(store.recent(1)[0]!.variant).toBeNull();
    store.ingest(deviceEvent('x', 'macos'));
    expect(store.recent(10, 'macos').map((e) => e.kind)).toEqual(['device', 'action']);
  });

  it('uses a variant resolver when the source has one', () => {
    const store = new WatchStore();
    store.setVariantResolver((id) => (id === 'k' ? 'ae-dedicated' : undefined));
    store.ingest(actionEvent('k', 'wipe', 'pending'));
    expect(store.recent(1)[0]!.variant).toBe('ae-dedicated');
  });

  it('counts events per second over the last minute', () => {
    let now = 1_000_000;
    const store = new WatchStore(() => now);
    for (let i = 0; i < 30; i++) store.ingest(deviceEvent(`d${i}`, 'windows'));
    now += 1000;
    for (let i = 0; i < 12; i++) store.ingest(deviceEvent(`d${i}`, 'windows'));
    now += 1000;
    store.addDropped(5);
    const rates = store.rates();
    expect(rates).toHaveLength(THROUGHPUT_SECONDS);
    expect(rates.slice(-3)).toEqual([30, 12, 5]);
    expect(store.rate()).toBe(12);
    now += 61_000;
    expect(Math.max(...store.rates())).toBe(0);
  });

  it('changes its version on every update and never renders by itself', () => {
    const store = new WatchStore();
    const v = store.version;
    for (let i = 0; i < 100_000; i++) store.ingest(deviceEvent(`d${i % 500}`, 'windows'));
    store.setStats(stats());
    store.setConnection({ state: 'connected' });
    expect(store.version).toBe(v + 100_002);
    expect(store.stats?.devices).toBe(1234);
    expect(store.recent(100).length).toBeGreaterThanOrEqual(64);
  });
});
