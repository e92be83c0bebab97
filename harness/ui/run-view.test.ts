import { describe, expect, it } from 'vitest';
import { detailLines } from './detail-lines.js';
import { rowLabel, runLayout } from './run-layout.js';
import { RunStore, type ScenarioRow } from './run-store.js';
import { RunViewState, parseFilter } from './run-view.js';
import { MUST_FINDING, fakeScenario, resultOf } from './test-support/fixtures.js';

const a = { ...fakeScenario('temporary-passcode/ae-fully-managed/presented', 'temporary-passcode', 'ae-fully-managed', 'resetPasscode'), requirements: ['TP-1'] };
const b = { ...fakeScenario('lock/macos/pin', 'lock', 'macos', 'remoteLock'), requirements: ['RL-5'] };
const c = { ...fakeScenario('reset/ios-device/removal', 'reset', 'ios-device', 'removal'), requirements: ['IR-1'] };

function store(): RunStore {
  const s = new RunStore([a, b, c]);
  s.listener({ type: 'result', scenario: a, result: resultOf(a, 'fail', [MUST_FINDING]) });
  s.listener({ type: 'result', scenario: b, result: resultOf(b, 'pass') });
  return s;
}
const rowsOf = (s: RunStore, view: RunViewState): ScenarioRow[] => s.groups(view.keep()).flatMap((g) => g.rows);
const ctx = (rows: ScenarioRow[], finished = false) => ({ rows, finished, stopping: false, detailPage: 10 });

describe('RunViewState', () => {
  it('filters by words, requirement, variant and outcome, k9s-style after /', () => {
    const s = store();
    const view = new RunViewState();
    const type = (text: string) => {
      view.handleKey('/', {}, ctx(rowsOf(s, view)));
      for (const ch of text) view.handleKey(ch, {}, ctx(rowsOf(s, view)));
      view.handleKey('', { return: true }, ctx(rowsOf(s, view)));
    };
    type('req:tp-1');
    expect(rowsOf(s, view).map((r) => r.id)).toEqual([a.id]);
    view.handleKey('', { escape: true }, ctx(rowsOf(s, view)));
    expect(rowsOf(s, view)).toHaveLength(3);
    type('v:macos');
    expect(rowsOf(s, view).map((r) => r.id)).toEqual([b.id]);
    view.handleKey('', { escape: true }, ctx([]));
    type('o:fail presented');
    expect(rowsOf(s, view).map((r) => r.id)).toEqual([a.id]);
    expect(parseFilter('o:err x')).toEqual({ words: ['x'], requirement: null, variant: null, outcome: 'error' });
  });

  it('shows the live filter while typing; esc while typing keeps the applied one', () => {
    const view = new RunViewState();
    view.handleKey('/', {}, ctx([]));
    view.handleKey('l', {}, ctx([]));
    expect(view.help({ finished: false, stopping: false, running: 1 })).toMatch(/^filter: l/);
    view.handleKey('', { escape: true }, ctx([]));
    expect(view.query).toBe('');
    expect(view.editing).toBeNull();
  });

  it('q stops a running run, leaves when stopping, and closes a finished view', () => {
    const view = new RunViewState();
    expect(view.handleKey('q', {}, ctx([]))).toBe('stop');
    expect(view.handleKey('q', {}, { ...ctx([]), stopping: true })).toBe('force-quit');
    expect(view.handleKey('q', {}, ctx([], true))).toBe('quit');
    // While typing a filter, q is a letter.
    view.handleKey('/', {}, ctx([]));
    expect(view.handleKey('q', {}, ctx([]))).toBeNull();
    expect(view.editing).toBe('q');
  });

  it('enter opens the first problem; arrows move; page keys scroll the detail', () => {
    const s = store();
    const view = new RunViewState();
    view.handleKey('', { return: true }, ctx(rowsOf(s, view)));
    expect(view).toMatchObject({ selectedId: a.id, detail: true });
    view.handleKey('', { pageDown: true }, ctx(rowsOf(s, view)));
    expect(view.detailScroll).toBe(8);
    view.handleKey('', { downArrow: true }, ctx(rowsOf(s, view)));
    expect(view.selectedId).not.toBe(a.id);
    expect(view.detailScroll).toBe(0);
  });
});

describe('run layout', () => {
  it('at 80x24 an open detail takes the whole body instead of covering the matrix', () => {
    const open = runLayout(80, 24, true, 13);
    expect(open.detail).toEqual({ place: 'full', width: 80, height: 20 });
    expect(open.matrix.place).toBe('none');
    const closed = runLayout(80, 24, false, 13);
    expect(closed.matrix.place).toBe('right');
    expect(closed.leftWidth + 1 + closed.rightWidth).toBe(80);
    expect(runLayout(160, 40, true, 13).detail.place).toBe('right');
  });

  it('row labels drop the area prefix and keep the distinctive end', () => {
    expect(rowLabel('temporary-passcode/ae-fully-managed/presented', 40)).toBe('ae-fully-managed/presented');
    const cut = rowLabel('temporary-passcode/ae-work-profile-personal/must-be-shown-once', 24);
    expect(cut).toHaveLength(24);
    expect(cut.endsWith('shown-once')).toBe(true);
    expect(rowLabel('temporary-passcode/ae-work-profile-personal/presented', 24)).not.toBe(rowLabel('temporary-passcode/ae-work-profile-corporate/presented', 24));
  });
});

describe('detail lines', () => {
  it('states a requirement once, then each check, its devices and evidence, within the width', () => {
    const s = new RunStore([a]);
    const evidence = [{ method: 'GET', path: '/beta/deviceManagement/managedDevices/d1', role: 'helpdesk-operator', status: 200, requestId: 'r-1', deviceId: 'd1', responseBody: { id: 'd1' } }];
    const findings = [
      { ...MUST_FINDING, evidence, devices: ['d1', 'd2'], devicesTotal: 41 },
      { ...MUST_FINDING, check: 'second check' },
    ];
    s.listener({ type: 'result', scenario: a, result: resultOf(a, 'fail', findings) });
    const lines = detailLines(s.rows.get(a.id)!, 40);
    const text = lines.map((l) => l.text).join('\n');
    expect(text.split(MUST_FINDING.statement.slice(0, 20)).length - 1).toBe(1);
    expect(text).toContain('41 devices: d1, d2 (+39 more)');
    expect(text).toMatch(/GET\s+\/beta\/deviceManagement\/manage/);
    expect(text).toContain('r-1');
    expect(lines.every((l) => l.text.length <= 40)).toBe(true);
  });
});
