import { afterEach, describe, expect, it } from 'vitest';
import { createActor, type AnyMachineSnapshot } from 'xstate';
import { contextFromFacts, deviceMachine } from './device-machine.js';
import { enrolledSnapshot, onTransitions, stepDevice } from './device-runtime.js';
import { enumerateTransitions, factCombinations, representativeEvents } from './model-graph.js';
import { VARIANT_KEYS, type VariantKey } from '../contract/variants.js';

afterEach(() => onTransitions(null));

describe('onTransitions', () => {
  it('records only transition ids that the variant machine defines', () => {
    const taken = new Map<VariantKey, Set<string>>();
    onTransitions((variant, id) => {
      let set = taken.get(variant);
      if (!set) taken.set(variant, (set = new Set()));
      set.add(id);
    });
    const events = representativeEvents();
    for (const variant of VARIANT_KEYS) {
      for (const facts of factCombinations(variant)) {
        // From before enrollment (a fresh snapshot, not the shared cache) and from the enrolled snapshot.
        const fresh = createActor(deviceMachine(variant), { input: contextFromFacts(facts) }).getSnapshot() as AnyMachineSnapshot;
        for (const start of [fresh, enrolledSnapshot(facts)]) {
          let snapshot = start;
          // Two rounds of every event, each from the state the previous one left.
          for (const event of [...events, ...events]) snapshot = stepDevice(variant, snapshot, event).snapshot;
          for (const event of events) stepDevice(variant, start, event);
        }
      }
    }
    for (const variant of VARIANT_KEYS) {
      const defined = new Set(enumerateTransitions(variant));
      const recorded = [...(taken.get(variant) ?? [])];
      expect(recorded.length, variant).toBeGreaterThan(10);
      expect(recorded.filter((id) => !defined.has(id)), variant).toEqual([]);
      expect(recorded.filter((id) => id.includes('#-1'))).toEqual([]);
    }
    // Internal (raised) events are recorded too.
    expect(taken.get('ae-fully-managed')).toContain('lockScreen|screen.lock|#0');
    expect(taken.get('ae-fully-managed')).toContain('ae-fully-managed.enrolling|ENROLLMENT_COMPLETE|#0');
  });

  it('stops recording when the listener is removed', () => {
    const ids: string[] = [];
    const enrolled = enrolledSnapshot({ ...factCombinations('windows')[0]!, variant: 'windows' });
    onTransitions((_variant, id) => ids.push(id));
    stepDevice('windows', enrolled, { type: 'GO_OFFLINE' });
    expect(ids).toEqual(['windows.enrolled.connectivity.online|GO_OFFLINE|#0']);
    onTransitions(null);
    stepDevice('windows', enrolledSnapshot({ ...factCombinations('windows')[0]!, variant: 'windows' }), { type: 'GO_OFFLINE' });
    expect(ids).toHaveLength(1);
  });

  it('an enrollment served from the snapshot cache still counts its transitions', () => {
    const facts = { ...factCombinations('macos')[0]!, variant: 'macos' as const };
    enrolledSnapshot(facts);
    const ids: string[] = [];
    onTransitions((_variant, id) => ids.push(id));
    enrolledSnapshot(facts);
    onTransitions(null);
    expect(ids).toContain('macos.enrolling|ENROLLMENT_COMPLETE|#0');
  });
});
