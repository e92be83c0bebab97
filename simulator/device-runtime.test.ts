import { afterEach, describe, expect, it } from 'vitest';
import { createActor, type AnyMachineSnapshot, type InspectionEvent } from 'xstate';
import { deviceMachine } from './device-machine.js';
import { enrolledSnapshot, onTransitions, stepDevice, transitionId, unenrolledSnapshot } from './device-runtime.js';
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
        const fresh = unenrolledSnapshot(facts);
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
          }
    // Internal (raised) events are recorded too.
    expect(taken.get('ae-fully-managed')).toContain('lockScreen|screen.lock→locked');
    expect(taken.get('ae-fully-managed')).toContain('ae-fully-managed.enrolling|ENROLLMENT_COMPLETE→enrolled');
  });

  it('stops recording when the listener is removed', () => {
    const ids: string[] = [];
    const enrolled = enrolledSnapshot({ ...factCombinations('windows')[0]!, variant: 'windows' });
    onTransitions((_variant, id) => ids.push(id));
    stepDevice('windows', enrolled, { type: 'GO_OFFLINE' });
    expect(ids).toEqual(['windows.enrolled.connectivity.online|GO_OFFLINE→offline']);
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
    expect(ids).toContain('macos.enrolling|ENROLLMENT_COMPLETE→enrolled');
  });
});

/** What a started actor does with the same event, told by xstate's own inspection: the oracle for the runtime. */
function actorStep(variant: VariantKey, snapshot: AnyMachineSnapshot, event: Parameters<typeof stepDevice>[2]) {
  const transitions: string[] = [];
  const emitted: unknown[] = [];
  const inspect = (e: InspectionEvent) => {
    if (e.type === '@xstate.microstep') for (const t of e._transitions) transitions.push(transitionId(t));
  };
  const actor = createActor(deviceMachine(variant), { snapshot: snapshot as never, inspect }).start();
  actor.on('*', (e) => emitted.push(e));
  actor.send(event);
  const next = actor.getSnapshot() as AnyMachineSnapshot;
  actor.stop();
  return { value: next.value, context: next.context, transitions, emitted };
}

describe('stepping on the public API', () => {
  it('with and without coverage recording gives what a started actor gives: state, memory, emitted events, transitions taken', () => {
    const events = representativeEvents();
    let compared = 0;
    for (const variant of VARIANT_KEYS) {
      for (const facts of factCombinations(variant).slice(0, 4)) {
        let snapshot = enrolledSnapshot(facts);
        for (const event of [...events, ...events.slice().reverse()]) {
          const oracle = actorStep(variant, snapshot, event);
          const fast = stepDevice(variant, snapshot, event);
          const recorded: string[] = [];
          onTransitions((_v, id) => recorded.push(id));
          const recording = stepDevice(variant, snapshot, event);
          onTransitions(null);
          for (const step of [fast, recording]) {
            expect(step.snapshot.value).toEqual(oracle.value);
            expect(step.snapshot.context).toEqual(oracle.context);
            expect(step.emitted).toEqual(oracle.emitted);
          }
          expect(recorded, `${variant} ${event.type}`).toEqual(oracle.transitions);
          compared++;
          // A wiped device is final (an actor would refuse more events): start again from enrollment.
          snapshot = fast.snapshot.status === 'active' ? fast.snapshot : enrolledSnapshot(facts);
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
