/**
 * Judging an observation against an outcome, then adopting it: the next prediction starts
 * from what the target showed once it matched.
 */
import { ACTIONS, type ActionName, type ActionState } from '../../contract/actions.js';
import type { Truth } from '../../contract/wire.js';
import { truthInvariants } from '../../scenarios/invariants.js';
import { maySeeSecrets } from './catalogue.js';
import { expectIn, show, type Check } from './checks.js';
import type { ActionModel, DeviceModel, Observation, Outcome } from './device-model.js';
import { onDone, secretChecks, syncSecrets } from './secrets.js';

export function observe(d: DeviceModel, o: Outcome, obs: Observation, when: string, now: number): Check[] {
  const checks: Check[] = [];
  const label = `device ${d.index} (${d.variant})`;
  checks.push(expectIn('ST-2', `HTTP status of GET /sim/devices for ${label}`, obs.truthStatus, [200]));
  const truth = obs.truth;
  if (obs.truthStatus !== 200 || !truth) return checks;

  checks.push(...o.truth.check(truth, (k) => `${k} of ${label} ${when}`));
  checks.push({
    requirement: o.pendingRequirement,
    what: `pendingCommands of ${label} ${when}`,
    ok: truth.pendingCommands >= o.pending[0] && truth.pendingCommands <= o.pending[1],
    expected: o.pending[0] === o.pending[1] ? String(o.pending[0]) : `${o.pending[0]} to ${o.pending[1]}`,
    observed: show(truth.pendingCommands),
  });
  checks.push(...invariants(d, truth, `${label} ${when}`));

  const mayBeGone = !truth.enrolled;
  const readRequirement = obs.viewer === 'read-only-operator' ? 'RB-3' : 'ST-1';
  checks.push(expectIn(readRequirement, `HTTP status of GET managedDevices/{id} for ${label} as ${obs.viewer}`, obs.viewStatus, mayBeGone ? [200, 404] : [200]));

  const chosen = new Map<ActionName, ActionModel | null>();
  if (obs.viewStatus === 200) {
    const results = obs.results;
    checks.push({ requirement: 'ST-1', what: `deviceActionResults of ${label}`, ok: Array.isArray(results), expected: 'a list', observed: Array.isArray(results) ? 'a list' : show(results) });
    if (Array.isArray(results)) {
      const names = results.map((r) => r.actionName);
      const dupes = names.filter((n, i) => names.indexOf(n) !== i);
      checks.push({ requirement: 'ST-1', what: `deviceActionResults of ${label} (one entry per action name)`, ok: dupes.length === 0, expected: 'no action name twice', observed: dupes.length ? `${dupes[0]} twice` : 'no action name twice' });
      for (const name of ACTIONS) {
        const entry = results.find((r) => r.actionName === name);
        const state = entry?.actionState ?? 'absent';
        const pred = o.actions.get(name)!;
        const allowed = pred.values.includes('absent') ? [...pred.values, 'none' as const] : pred.values;
        checks.push(expectIn(pred.requirement, `actionState of ${name} on ${label} ${when}`, state, allowed));
        const model = pred.refused && state === 'notSupported' && !(pred.model && pred.model.state === 'notSupported') ? pred.refused : pred.model;
        chosen.set(name, model);
        if (entry && model) {
          checks.push(...secretChecks(d, model, entry, state, now, o.delivered.includes(model), obs.viewer, `${label} ${when}`));
        }
      }
    }
  }

  adopt(d, o, obs, chosen);
  return checks;
}

/** Rules that hold whatever the step (scenarios/invariants.ts): RL-4, DL-5, IR-1, IR-2, AN-1, AN-2. */
export function invariants(d: DeviceModel, truth: Truth, where: string): Check[] {
  // The same rules the suite checks at every observation (scenarios/invariants.ts); a step that holds them counts as one check.
  const broken = truthInvariants(d.variant, truth);
  if (!broken.length) return [{ requirement: 'ST-2', what: `invariants of ${where}`, ok: true, expected: 'hold', observed: 'hold' }];
  return broken.map((v) => ({ requirement: v.requirement, what: `${v.what} (${where})`, ok: false, expected: v.expected, observed: v.observed }));
}

function adopt(d: DeviceModel, o: Outcome, obs: Observation, chosen: Map<ActionName, ActionModel | null>): void {
  const truth = obs.truth;
  if (truth) d.truth = truth;
  const states = new Map<ActionName, ActionState>();
  for (const r of obs.results ?? []) if (ACTIONS.includes(r.actionName)) states.set(r.actionName, r.actionState);

  for (const name of ACTIONS) {
    const model = chosen.has(name) ? chosen.get(name)! : (o.actions.get(name)?.model ?? null);
    if (model) {
      d.actions[name] = model;
      const observed = states.get(name);
      if (observed) model.state = observed;
    }
  }
  if (o.delivered.length) {
    for (const a of o.delivered) {
      const observed = states.get(a.name);
      // An entry replaced by a later request of the same name is judged by its successor.
      if (observed && d.actions[a.name] === a) a.state = observed;
      else if (a.state === 'pending') {
        const first = o.actions.get(a.name)?.values[0];
        a.state = first && first !== 'absent' ? first : 'done';
      }
      if (a.state === 'done') onDone(d, a);
    }
    d.pending = d.pending.filter((a) => !o.delivered.includes(a));
    d.canceledQueued = 0;
  } else {
    const canceled = d.pending.filter((a) => a.state === 'canceled');
    d.pending = d.pending.filter((a) => a.state !== 'canceled');
    d.canceledQueued += canceled.length;
  }
  if (truth) {
    if (!truth.enrolled) d.wiped = true;
    if (truth.workProfile && truth.workProfile.resetToken !== 'none') d.tokenLost = false;
    syncSecrets(d);
  }
  // Learn what the admin sees, so the user can type it.
  if (maySeeSecrets(obs.viewer)) {
    for (const r of obs.results ?? []) {
      const a = d.actions[r.actionName];
      if (!a) continue;
      const value = r.actionName === 'resetPasscode' ? r.passcode : r.actionName === 'remoteLock' ? r.unlockPin : null;
      if (typeof value === 'string' && value !== '') a.secret = value;
    }
  }
}
