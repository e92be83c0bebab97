import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DeviceDetail } from './fleet-source.js';
import { KEY, plain, waitFor } from './test-support/fixtures.js';
import { SECRET, actionEvent, detailOf, deviceEvent, stats } from './test-support/watch-fixtures.js';
import { WatchApp } from './watch-app.js';
import { WatchStore } from './watch-store.js';

const VARIANTS = ['ios-device', 'macos'] as const;

function setup(options: { size?: { columns: number; rows: number }; device?: (id: string) => Promise<DeviceDetail>; frameMs?: number } = {}) {
  const store = new WatchStore();
  store.setStats(stats());
  store.setConnection({ state: 'connected' });
  const onQuit = vi.fn();
  const device = vi.fn(options.device ?? (async (id: string) => detailOf(id)));
  const app = render(
    <WatchApp
      store={store}
      source={{ label: 'demo: test fleet', device }}
      variants={VARIANTS}
      onQuit={onQuit}
      size={options.size ?? { columns: 100, rows: 30 }}
      frameMs={options.frameMs ?? 15}
      detailRefreshMs={0}
    />,
  );
  const frame = () => plain(app.lastFrame());
  return { store, app, frame, onQuit, device };
}

afterEach(() => cleanup());

describe('WatchApp', () => {
  it('shows devices by variant × state, actions by state and the connection', async () => {
    const { frame } = setup();
    await waitFor(() => frame().includes('ios-device'), 'the table');
    const f = frame();
    expect(f).toContain('● connected');
    expect(f).toMatch(/ios-device\s+1000\s+600\s+400/);
    expect(f).toMatch(/fleet\s+1234\s+604\s+630/);
    expect(f).toContain('pending 5');
    expect(f).toContain('done 42');
    expect(f).toContain('notSupported 7');
  });

  it('shows recent events newest first, filtered by variant with v', async () => {
    const { store, app, frame } = setup();
    store.ingest(deviceEvent('mac-1', 'macos', { lockScreen: 'unlocked' }));
    store.ingest(deviceEvent('ios-1', 'ios-device'));
    store.ingest(actionEvent('ios-1', 'remoteLock', 'done'));
    await waitFor(() => frame().includes('remoteLock done'), 'the feed');
    let lines = frame().split('\n');
    const at = (text: string) => lines.findIndex((l) => l.includes(text));
    expect(at('remoteLock done')).toBeLessThan(at('mac-1'));
    app.stdin.write('v');
    await waitFor(() => frame().includes('(ios-device)'), 'the ios-device filter');
    expect(frame()).not.toContain('mac-1');
    expect(frame()).not.toMatch(/^macos\s+234/m);
    app.stdin.write('v');
    await waitFor(() => frame().includes('(macos)'), 'the macos filter');
    lines = frame().split('\n');
    expect(frame()).toContain('mac-1');
    expect(frame()).not.toContain('ios-1');
    app.stdin.write('v');
    await waitFor(() => frame().includes('v variant (all)'), 'back to all variants');
  });

  it('picks a device from the feed and shows its truth and action history, passcodes masked', async () => {
    const { store, app, frame, device } = setup();
    store.ingest(deviceEvent('older-device', 'ios-device'));
    store.ingest(deviceEvent('newest-device', 'ios-device'));
    await waitFor(() => frame().includes('newest-device'), 'the feed');
    app.stdin.write(KEY.down);
    await waitFor(() => frame().includes('paused'), 'the paused feed');
    // Events arriving while picking do not move the list.
    store.ingest(deviceEvent('late-device', 'ios-device'));
    app.stdin.write(KEY.down);
    await waitFor(() => /▸ .*older-device/.test(frame()), 'the second event selected');
    expect(frame()).not.toContain('late-device');
    app.stdin.write(KEY.enter);
    await waitFor(() => frame().includes('device actions list'), 'the device panel');
    expect(device).toHaveBeenCalledWith('older-device');
    const f = frame();
    expect(f).toContain('Pat’s iPhone');
    expect(f).toContain('passcode temporary');
    expect(f).toContain('1 pending');
    expect(f).toMatch(/resetPasscode\s+done.*passcode ••••••/);
    expect(f).toMatch(/remoteLock\s+pending.*PIN —/);
    expect(f).toContain('by helpdesk-operator');
    expect(f).not.toContain(SECRET);
    app.stdin.write(KEY.escape);
    await waitFor(() => !frame().includes('device actions list'), 'the panel to close');
    app.stdin.write(KEY.escape);
    await waitFor(() => frame().includes('late-device'), 'the live feed again');
  });

  it('shows a failed device lookup', async () => {
    const { store, app, frame } = setup({ device: async () => Promise.reject(new Error('HTTP 404')) });
    store.ingest(deviceEvent('gone', 'macos'));
    await waitFor(() => frame().includes('gone'), 'the feed');
    app.stdin.write(KEY.enter);
    await waitFor(() => frame().includes('HTTP 404'), 'the error');
  });

  it('says when it is disconnected and when it retries', async () => {
    const { store, frame } = setup();
    store.setConnection({ state: 'disconnected', retryAt: Date.now() + 4000, reason: 'ECONNREFUSED' });
    await waitFor(() => frame().includes('disconnected — retrying in'), 'the disconnected state');
    expect(frame()).toMatch(/retrying in [34]s \(ECONNREFUSED\)/);
    store.setConnection({ state: 'connected' });
    await waitFor(() => frame().includes('● connected'), 'connected again');
  });

  it('q quits', async () => {
    const { app, onQuit } = setup();
    app.stdin.write('q');
    await waitFor(() => onQuit.mock.calls.length === 1, 'onQuit');
  });

  it('batches: a burst of events costs one render tick, not one render per event', async () => {
    const { store, app, frame } = setup({ frameMs: 60 });
    await waitFor(() => frame().includes('ios-device'), 'the first frame');
    const before = app.frames.length;
    const started = performance.now();
    for (let i = 0; i < 20_000; i++) store.ingest(deviceEvent(`burst-${i}`, i % 2 ? 'macos' : 'ios-device'));
    const burstMs = performance.now() - started;
    // Ingesting is bookkeeping: at most one frame per 60 ms interval even inside the burst.
    expect(app.frames.length - before).toBeLessThanOrEqual(1 + Math.floor(burstMs / 60));
    await waitFor(() => frame().includes('burst-19999'), 'the next tick');
    expect(app.frames.length - before).toBeLessThanOrEqual(3 + Math.floor(burstMs / 60));
  });

  it('fits 80x24 and degrades on a small terminal', async () => {
    const { store, frame } = setup({ size: { columns: 80, rows: 24 } });
    for (let i = 0; i < 20; i++) store.ingest(deviceEvent(`dev-${i}`, 'ios-device'));
    await waitFor(() => frame().includes('dev-19'), 'the feed');
    let lines = frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    cleanup();
    const small = setup({ size: { columns: 50, rows: 12 } });
    small.store.ingest(deviceEvent('tiny', 'macos'));
    await waitFor(() => small.frame().includes('tiny'), 'the feed (small)');
    lines = small.frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(11);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(50);
  });
});
