import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { RunApp } from './run-app.js';
import { RunStore } from './run-store.js';
import { KEY, MUST_FINDING, fakeScenario, plain, resultOf, waitFor } from './test-support/fixtures.js';

const info = { version: '9.9.9', target: 'embedded reference MDM', seed: 7 };
const legacyReset = fakeScenario('reset.da-legacy.temporary', 'reset', 'android-da-legacy', 'resetPasscode');
const legacyLock = fakeScenario('lock.da-legacy.basic', 'lock', 'android-da-legacy', 'remoteLock');
const iosRemoval = fakeScenario('removal.ios.basic', 'removal', 'ios-device', 'removal');
const roles = fakeScenario('roles.read-only', 'roles');
const all = [legacyReset, legacyLock, iosRemoval, roles];

function setup(size = { columns: 100, rows: 30 }) {
  const store = new RunStore(all);
  const onQuit = vi.fn();
  const app = render(<RunApp store={store} info={info} onQuit={onQuit} size={size} frameMs={15} />);
  const frame = () => plain(app.lastFrame());
  return { store, onQuit, app, frame };
}

function feedSome(store: RunStore) {
  for (const s of all) store.listener({ type: 'start', scenario: s });
  store.listener({ type: 'result', scenario: legacyReset, result: resultOf(legacyReset, 'fail', [MUST_FINDING]) });
  store.listener({ type: 'result', scenario: legacyLock, result: resultOf(legacyLock, 'pass') });
  store.listener({ type: 'result', scenario: roles, result: resultOf(roles, 'pass') });
}

afterEach(() => cleanup());

describe('RunApp', () => {
  it('shows the header, counts by outcome and the matrix filling in', async () => {
    const { store, frame } = setup();
    expect(frame()).toContain('seed 7');
    expect(frame()).toContain('4 scenarios');
    feedSome(store);
    await waitFor(() => frame().includes('3/4'), 'progress 3/4');
    const f = frame();
    expect(f).toContain('✔ 2');
    expect(f).toContain('✘ 1');
    const legacyRow = f.split('\n').find((l) => l.includes('android-da-legacy'))!;
    // reset column failed, lock column passed, wipe column has no scenario.
    expect(legacyRow).toMatch(/android-da-legacy\s+✘\s+✔/);
    // The iOS removal counts in the reset column and is still running.
    const iosRow = f.split('\n').find((l) => l.includes('ios-device'))!;
    expect(iosRow).toMatch(/ios-device\s+[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/);
    expect(f).toContain('reset');
    expect(f).toContain('roles');
  });

  it('renders once per tick, not once per event', async () => {
    const store = new RunStore(all);
    const app = render(<RunApp store={store} info={info} onQuit={() => undefined} size={{ columns: 100, rows: 30 }} frameMs={40} final />);
    const before = app.frames.length;
    for (let i = 0; i < 1000; i++) store.listener({ type: 'progress', scenario: legacyReset, done: i, total: 1000 });
    await new Promise((r) => setTimeout(r, 60));
    // A final (static) view re-renders only when the store changed: 1000 events → at most a couple of frames.
    expect(app.frames.length - before).toBeLessThanOrEqual(2);
  });

  it('f shows only failures', async () => {
    const { store, app, frame } = setup();
    feedSome(store);
    await waitFor(() => frame().includes('3/4'), 'results');
    app.stdin.write('f');
    await waitFor(() => frame().includes('[failures only]'), 'the failures-only view');
    const f = frame();
    expect(f).toContain('reset.da-legacy.temporary');
    expect(f).not.toContain('roles.read-only');
    expect(f).not.toContain('lock.da-legacy.basic');
    app.stdin.write('f');
    await waitFor(() => frame().includes('roles.read-only'), 'all scenarios again');
  });

  it('enter shows a failure with its requirement statement, expected and observed', async () => {
    const { store, app, frame } = setup();
    feedSome(store);
    await waitFor(() => frame().includes('3/4'), 'results');
    app.stdin.write(KEY.down);
    await waitFor(() => frame().includes('▸'), 'a selection');
    app.stdin.write(KEY.enter);
    await waitFor(() => frame().includes('observed'), 'the detail panel');
    const f = frame();
    expect(f).toContain('DL-6 (MUST)');
    expect(f.replace(/[\s│]+/g, ' ')).toContain('A reset on a legacy device administrator device sets the temporary passcode.');
    expect(f).toMatch(/expected done/);
    expect(f).toMatch(/observed failed/);
    app.stdin.write(KEY.enter);
    await waitFor(() => !frame().includes('observed failed'), 'the detail panel to close');
  });

  it('moves the selection with the arrows', async () => {
    const { store, app, frame } = setup();
    feedSome(store);
    await waitFor(() => frame().includes('3/4'), 'results');
    app.stdin.write(KEY.down);
    app.stdin.write(KEY.down);
    await waitFor(() => /▸ . lock\.da-legacy\.basic/.test(frame()), 'the second scenario selected');
    app.stdin.write(KEY.up);
    await waitFor(() => /▸ . reset\.da-legacy\.temporary/.test(frame()), 'the first scenario selected');
  });

  it('q aborts the run and shows that it is stopping', async () => {
    const { store, app, frame, onQuit } = setup();
    feedSome(store);
    app.stdin.write('q');
    await waitFor(() => frame().includes('stopping'), 'the stopping state');
    expect(onQuit).toHaveBeenCalledTimes(1);
    expect(store.stopping).toBe(true);
  });

  it('q twice while stopping leaves at once', async () => {
    const store = new RunStore(all);
    const onQuit = vi.fn();
    const onForceQuit = vi.fn();
    const app = render(<RunApp store={store} info={info} onQuit={onQuit} onForceQuit={onForceQuit} size={{ columns: 100, rows: 30 }} frameMs={15} />);
    app.stdin.write('q');
    await waitFor(() => onQuit.mock.calls.length === 1, 'the first q');
    app.stdin.write('q');
    await waitFor(() => onForceQuit.mock.calls.length === 1, 'the second q');
    expect(onQuit).toHaveBeenCalledTimes(1);
  });

  it('fits 80x24 and degrades below 72 columns', async () => {
    const { store, frame } = setup({ columns: 80, rows: 24 });
    feedSome(store);
    await waitFor(() => frame().includes('3/4'), 'results');
    const lines = frame().split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(80);
    cleanup();
    const narrow = setup({ columns: 60, rows: 20 });
    feedSome(narrow.store);
    await waitFor(() => narrow.frame().includes('3/4'), 'results (narrow)');
    for (const l of narrow.frame().split('\n')) expect(l.length).toBeLessThanOrEqual(60);
  });

  it('the final frame shows the matrix and takes no keys', async () => {
    const store = new RunStore(all);
    feedSome(store);
    store.listener({ type: 'result', scenario: iosRemoval, result: resultOf(iosRemoval, 'warn') });
    store.markFinished();
    const onQuit = vi.fn();
    const app = render(<RunApp store={store} info={info} onQuit={onQuit} final size={{ columns: 100, rows: 30 }} />);
    const f = plain(app.lastFrame());
    expect(f).toContain('done');
    expect(f).toMatch(/ios-device\s+⚠/);
    app.stdin.write('q');
    await new Promise((r) => setTimeout(r, 30));
    expect(onQuit).not.toHaveBeenCalled();
  });
});
