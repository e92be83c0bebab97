/**
 * Action lifecycle: whether a platform supports an action (DL-*, WP-*, RL-*, IR-*), and what
 * delivering the pending commands does (ST-2: pending until the device checks in, in order;
 * a wipe cancels what waits behind it).
 */
import { ACTIONS, type ActionName, type ActionState } from '../../contract/actions.js';
import { lockSupport, resetSupport, wipeRequirement } from './catalogue.js';
import type { ActionModel, ActionPrediction, DeliveryMode, DeviceModel, Observation, Outcome } from './device-model.js';
import { ANY, Prediction } from './prediction.js';

export function support(d: DeviceModel, action: ActionName): { supported: boolean; requirement: string; requires400?: boolean; statuses: number[]; statusRequirement: string } {
  if (action === 'resetPasscode') {
    const { kind, requirement } = resetSupport(d.variant, d.major);
    if (!kind) return { supported: false, requirement, statuses: [400, 204], statusRequirement: 'ST-3' };
    if (kind === 'removal' && d.spec.unlockToken === 'missing') {
      // IR-4: without an unlock token the MDM cannot send ClearPasscode; it may refuse at once.
      return { supported: true, requirement: 'IR-4', statuses: [204, 400], statusRequirement: 'IR-4' };
    }
    return { supported: true, requirement, statuses: [204], statusRequirement: requirement };
  }
  if (action === 'remoteLock') {
    const { kind, requirement } = lockSupport(d.variant);
    if (!kind) return { supported: false, requirement, requires400: true, statuses: [400], statusRequirement: requirement };
    return { supported: true, requirement, statuses: [204], statusRequirement: requirement };
  }
  const requirement = wipeRequirement(d.variant);
  return { supported: true, requirement, statuses: [204], statusRequirement: requirement };
}

// ---- Delivery ----

/** The outcome when nothing reaches the device. */
export function notDelivered(d: DeviceModel, truth: Prediction, requirement: string): Outcome {
  const actions = new Map<ActionName, ActionPrediction>();
  for (const name of ACTIONS) {
    const a = d.actions[name];
    actions.set(name, { values: [a?.state ?? 'absent'], requirement: a && a.state === 'pending' ? 'ST-2' : requirement, model: a ?? null });
  }
  return {
    truth,
    actions,
    pending: [d.pending.length, d.pending.length + d.canceledQueued],
    pendingRequirement: 'ST-2',
    delivered: [],
  };
}

/** The device checks in: a lost reset token is provisioned again, then every pending command is taken in order. */
export function delivered(d: DeviceModel, base: Prediction, requirement: string): Outcome {
  const outcome = notDelivered(d, base.clone(), requirement);
  let p = outcome.truth;
  if (d.tokenLost) {
    p.set('workProfile.resetToken', ['pending'], 'AN-4');
    p.set('workProfile.activationNotification', [true], 'AN-4');
  }
  let wiped: 'no' | 'maybe' | 'yes' = 'no';
  let pinOutstanding: boolean | 'maybe' = d.lockPin !== null;
  d.pending.forEach((a, i) => {
    const wipeLater = d.pending.slice(i + 1).some((b) => b.name === 'wipe');
    if (wiped === 'yes') {
      outcome.actions.set(a.name, { values: ['canceled'], requirement: 'ST-2', model: a });
      return;
    }
    const branches = effect(d, a, p, pinOutstanding);
    let values = branches.map((b) => b.state);
    if (wipeLater || wiped === 'maybe') values = [...values, 'canceled'];
    outcome.actions.set(a.name, { values: [...new Set(values)], requirement: branches.length === 1 ? branches[0]!.requirement : a.requirement, model: a });
    let next = branches[0]!.truth;
    for (const b of branches.slice(1)) next = next.union(b.truth);
    if (wiped === 'maybe' || wipeLater) next = next.union(p);
    p = next;
    if (a.name === 'remoteLock' && d.variant === 'macos') {
      const done = branches.some((b) => b.state === 'done');
      const failed = branches.some((b) => b.state !== 'done');
      pinOutstanding = done && failed ? 'maybe' : done ? true : pinOutstanding;
    }
    if (a.name === 'wipe') wiped = wipeLater ? 'maybe' : 'yes';
  });
  outcome.truth = p;
  outcome.pending = [0, 0];
  outcome.delivered = [...d.pending];
  return outcome;
}

/** What one command does to the device: the possible action states, each with the ground truth it leaves. */
export function effect(d: DeviceModel, a: ActionModel, p: Prediction, pinOutstanding: boolean | 'maybe'): Array<{ state: ActionState; requirement: string; truth: Prediction }> {
  const unchanged = (state: ActionState, requirement: string) => ({ state, requirement, truth: p.clone() });
  if (a.name === 'wipe') {
    const t = Prediction.free(a.requirement).set('enrolled', [false], a.requirement).set('devicePasscode', ['none'], a.requirement);
    return [{ state: 'done', requirement: a.requirement, truth: t }];
  }
  if (a.name === 'remoteLock') {
    const { kind } = lockSupport(d.variant);
    if (kind === 'aosp' && d.spec.passcodePolicy === false) return [unchanged('failed', 'RL-2')];
    if (kind === 'macos') {
      const lock = { state: 'done' as const, requirement: 'RL-5', truth: p.clone().set('lockScreen', ['locked'], 'RL-5') };
      if (pinOutstanding === true) return [unchanged('failed', 'RL-5')];
      if (pinOutstanding === 'maybe') return [lock, unchanged('failed', 'RL-5')];
      return [lock];
    }
    const t = p.clone();
    const passcode = p.values('devicePasscode');
    const none = passcode !== ANY && passcode.every((v) => v === 'none');
    const some = passcode !== ANY && passcode.every((v) => v !== 'none');
    // RL-4: without a passcode the screen only turns off.
    t.set('lockScreen', none ? ['screenOff'] : some ? ['locked'] : ['locked', 'screenOff'], 'RL-4');
    if (!p.must('workProfile.challenge', 'none') && !p.must('workProfile.challenge', undefined)) {
      const locked = p.values('workProfile.locked');
      t.set('workProfile.locked', locked === ANY ? ANY : [...new Set([...locked, true])], 'RL-3');
    }
    return [{ state: 'done', requirement: kind === 'aosp' ? 'RL-1' : none ? 'RL-4' : 'RL-3', truth: t }];
  }
  // resetPasscode
  const { kind, requirement } = resetSupport(d.variant, d.major);
  if (kind === 'device') {
    const t = p.clone().set('devicePasscode', ['temporary'], requirement).set('lockScreen', ['locked'], 'TP-2');
    return [{ state: 'done', requirement, truth: t }];
  }
  if (kind === 'workProfile') {
    // WP-5: only the work profile changes; TP-2: it stays locked behind the temporary passcode.
    const done = { state: 'done' as const, requirement, truth: p.clone().set('workProfile.challenge', ['temporary'], requirement).set('workProfile.locked', [true], 'TP-2').tag('devicePasscode', 'WP-5').tag('lockScreen', 'WP-5') };
    if (d.variant === 'ae-work-profile-corporate') return [done];
    // AN-3: the token-based reset needs a token the user activated.
    const token = p.values('workProfile.resetToken');
    const canDo = token === ANY || token.includes('active');
    const canFail = token === ANY || token.some((v) => v !== 'active');
    const out: Array<{ state: ActionState; requirement: string; truth: Prediction }> = [];
    if (canDo) out.push({ ...done, requirement: canFail ? 'AN-3' : requirement });
    if (canFail) out.push(unchanged('failed', 'AN-3'));
    return out;
  }
  // removal (iOS/iPadOS)
  if (d.spec.unlockToken === 'bad') return [unchanged('failed', 'IR-3')];
  if (d.spec.unlockToken === 'missing') return [unchanged('failed', 'IR-4'), unchanged('notSupported', 'IR-4')];
  const t = p.clone()
    .set('devicePasscode', ['none'], 'DL-3')
    .set('lockScreen', ANY, 'DL-3')
    .set('passcodePrompt', d.spec.passcodeCompliancePolicy === undefined ? ANY : [d.spec.passcodeCompliancePolicy], 'IR-2'); // unset: the target's typical device decides
  return [{ state: 'done', requirement: 'DL-3', truth: t }];
}

/** Picks the outcome the observation shows when delivery may or may not have happened. */
export function resolve(d: DeviceModel, base: Prediction, requirement: string, mode: DeliveryMode, obs: Observation): Outcome {
  if (mode === 'must') return delivered(d, base, requirement);
  if (mode === 'mustNot') return notDelivered(d, base, requirement);
  if (!d.pending.length) {
    // Nothing to deliver: only a re-provisioned reset token (AN-4) shows that the device checked in.
    const provisioned = d.tokenLost && obs.truth?.workProfile !== undefined && obs.truth.workProfile.resetToken !== 'none';
    return provisioned ? delivered(d, base, requirement) : notDelivered(d, base, requirement);
  }
  return obs.truth?.pendingCommands === 0 ? delivered(d, base, requirement) : notDelivered(d, base, requirement);
}
