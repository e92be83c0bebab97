/**
 * Names for device-machine transitions that come from what a transition is, not where it
 * sits: `source|event[guard]→target` (the target state's key). Reordering a list of guarded transitions keeps every
 * name, so the requirement catalogue's transition ids cannot silently start naming another
 * transition. Two transitions of one state and event with the same guard and target would
 * share a name; model-graph.test.ts fails if a machine ever has such a pair.
 */
import type { AnyTransitionDefinition } from 'xstate';

/** The parts of a transition definition a name is made of (structural, so tests can name hand-built ones). */
export interface NamedTransition {
  source: { id: string };
  eventType: string;
  guard?: unknown;
  target?: ReadonlyArray<{ key: string }> | undefined;
}

/** The guard as text: a named guard by its name, and(…)/or(…)/not(…)/in(#state) spelled out. */
export function guardText(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    // xstate's and()/or()/not() return functions named after themselves, carrying `guards`; stateIn() carries `stateValue`.
    const g = guard as { name: string; guards?: unknown[]; stateValue?: unknown };
    if (g.guards) return `${g.name}(${g.guards.map(guardText).join(',')})`;
    if (g.stateValue !== undefined) return `in(${typeof g.stateValue === 'string' ? g.stateValue : JSON.stringify(g.stateValue)})`;
    if (g.name) return g.name;
  }
  if (guard && typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string') {
    const { type, params } = guard as { type: string; params?: unknown };
    return params === undefined ? type : `${type}(${JSON.stringify(params)})`;
  }
  throw new Error('a device-machine guard needs a name (an anonymous inline guard cannot give a stable transition id)');
}

/** The transition's stable name, e.g. `lockScreen|screen.lockOrOff[deviceHasPasscode]→locked`. */
export function transitionId(t: NamedTransition | AnyTransitionDefinition): string {
  const event = t.eventType === '' ? 'always' : t.eventType;
  const guard = t.guard === undefined ? '' : `[${guardText(t.guard)}]`;
  const target = t.target && t.target.length > 0 ? `→${t.target.map((s) => s.key).join(',')}` : '';
  return `${t.source.id}|${event}${guard}${target}`;
}
