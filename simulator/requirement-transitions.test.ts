import { describe, expect, it } from 'vitest';
import { createMachine, type AnyStateMachine, type AnyTransitionDefinition } from 'xstate';
import { deviceMachine } from './device-machine.js';
import { transitionDefinitions } from './model-graph.js';
import { REQUIREMENT_TRANSITIONS } from './requirement-transitions.js';
import { transitionId } from './transition-id.js';
import { VARIANT_KEYS, type VariantKey } from '../contract/variants.js';

type Table = Readonly<Record<string, ReadonlyArray<readonly [VariantKey, string]>>>;

/** The table's rows whose id names no transition of the variant's machine, as "REQ variant id". */
function unresolved(table: Table, machineOf: (variant: VariantKey) => AnyStateMachine): string[] {
  const bad: string[] = [];
  for (const [req, rows] of Object.entries(table)) {
    for (const [variant, id] of rows) {
      if (!transitionDefinitions(machineOf(variant)).some((t) => transitionId(t) === id)) bad.push(`${req} ${variant} ${id}`);
    }
  }
  return bad;
}

/** A copy of a machine config with every list of transitions in reverse order (nested states included). */
function reversed(config: unknown): unknown {
  if (Array.isArray(config)) return config.map(reversed);
  if (!config || typeof config !== 'object') return config;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key === 'on' && value && typeof value === 'object') {
      out.on = Object.fromEntries(Object.entries(value).map(([event, list]) => [event, Array.isArray(list) ? [...list].reverse() : list]));
    } else out[key] = key === 'states' || typeof value === 'object' ? reversed(value) : value;
  }
  return out;
}

/** The variant's machine built again from its own config and implementations, guarded transitions in reverse order. */
function reorderedMachine(variant: VariantKey): AnyStateMachine {
  const machine = deviceMachine(variant);
  return createMachine(reversed(machine.config) as never, machine.implementations as never) as unknown as AnyStateMachine;
}

/** What a transition does, apart from where it sits: the content a transition id must stand for. */
function content(t: AnyTransitionDefinition): string {
  const actions = t.actions.map((a) => (typeof a === 'string' ? a : typeof a === 'object' ? JSON.stringify(a) : 'inline'));
  return `${t.source.id} ${t.eventType} ${String(t.guard && transitionId({ ...t, target: undefined }))} ${(t.target ?? []).map((s) => s.id).join(',')} ${actions.join(',')}`;
}

describe('requirement-to-transition ids', () => {
  it('every id in the catalogue names a transition of its variant machine', () => {
    expect(unresolved(REQUIREMENT_TRANSITIONS, deviceMachine)).toEqual([]);
    for (const rows of Object.values(REQUIREMENT_TRANSITIONS)) expect(rows.length).toBeGreaterThan(0);
  });

  it('the check fails for an id that names no transition (a stale positional id, a renamed guard)', () => {
    const stale: Table = {
      'DL-1': [['android-da-legacy', 'android-da-legacy.enrolled|RESET_PASSCODE|#1']],
      'RL-2': [['aosp-userless', 'aosp-userless.enrolled|LOCK[not(hasPolicy)]']],
      'RL-1': [['aosp-userless', 'aosp-userless.enrolled|LOCK']],
    };
    expect(unresolved(stale, deviceMachine)).toEqual([
      'DL-1 android-da-legacy android-da-legacy.enrolled|RESET_PASSCODE|#1',
      'RL-2 aosp-userless aosp-userless.enrolled|LOCK[not(hasPolicy)]',
    ]);
  });

  it('ids survive reordering the guarded transitions, and keep naming the same transition', () => {
    let moved = 0;
    for (const variant of VARIANT_KEYS) {
      const original = transitionDefinitions(deviceMachine(variant));
      const reordered = transitionDefinitions(reorderedMachine(variant));
      const byId = (list: AnyTransitionDefinition[]) => new Map(list.map((t) => [transitionId(t), content(t)]));
      expect(byId(reordered), variant).toEqual(byId(original));
      // The reorder is real: transitions changed position within their lists.
      const position = (list: AnyTransitionDefinition[]) =>
        new Map(list.map((t) => [transitionId(t), (t.source.transitions.get(t.eventType) ?? []).indexOf(t)]));
      const before = position(original);
      for (const [id, index] of position(reordered)) if (before.get(id) !== index) moved++;
    }
    expect(moved).toBeGreaterThan(50);
    expect(unresolved(REQUIREMENT_TRANSITIONS, reorderedMachine)).toEqual([]);
  });

  it('ids are unique within each machine, so none can stand for two transitions', () => {
    for (const variant of VARIANT_KEYS) {
      const ids = transitionDefinitions(deviceMachine(variant)).map(transitionId);
      expect(ids.filter((id, i) => ids.indexOf(id) !== i), variant).toEqual([]);
    }
  });
});
