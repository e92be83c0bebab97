/**
 * The fuzzer's oracle: a plain model of what a conforming MDM and its devices must do,
 * built from the behaviour catalogue and the HTTP contract (never from simulator/ code).
 *
 * The model judges observations. For every step it predicts, per observable (HTTP status,
 * each ground-truth field, each action's state, the shape of each secret), the values a
 * conforming target may show and the requirement that says so. Where the catalogue leaves a
 * detail open (say, what the lock screen shows right after a passcode removal) the prediction
 * allows every plausible value, and the model then adopts what the target showed: the next
 * prediction starts from the observed ground truth. Fields a step has no business changing
 * must stay as they were (the frame rule), under the step's own requirement.
 *
 * Timing: an action waits `pending` until the device checks in (ST-2). An explicit check-in
 * delivers everything. An online device may take its commands on its own at any moment after
 * a push; the model treats 15 simulated minutes as the deadline by which it must have (so a
 * PT10S advance may or may not deliver, PT1H must). An offline device takes nothing.
 */
import { ACTIONS, type ActionName, type ActionState } from '../../contract/actions.js';
import type { Audit, EnrollSpec, Truth } from '../../contract/wire.js';
import { hasWorkProfile, osMajor, roleRule, type Actor, type Scope } from './catalogue.js';
import { expectIn, show, type Check } from './checks.js';
import { auditActionName, CONVERGENCE_MS, describeEvent, type ActionModel, type DeliveryMode, type DeviceModel, type ModelEvent, type Observation } from './device-model.js';
import { eventPrediction } from './events.js';
import { notDelivered, resolve, support as supportOf } from './lifecycle.js';
import { invariants, observe } from './observe.js';
import { ANY, Prediction } from './prediction.js';
import { secretFor, secretsOf, syncSecrets } from './secrets.js';

// The model's parts live in modules of their own; these re-exports keep one import for its users.
export { ConformanceMismatch, type Check } from './checks.js';
export { ADMIN_READER, auditActionName, CONVERGENCE_MS, DAY_MS, describeEvent, MINUTE_MS, PASSCODE_WINDOW_MS, type DeviceModel, type ModelEvent, type Observation } from './device-model.js';
export { Prediction, readField, type FieldKey } from './prediction.js';

// ---- The fleet model --------------------------------------------------------------------

export class FleetModel {
  /** Simulated milliseconds since the run started. */
  now = 0;
  readonly devices: DeviceModel[] = [];

  constructor(readonly maxDevices = 4) {}

  // ---- Preconditions (fast-check `check`) ----

  device(index: number): DeviceModel | undefined {
    const d = this.devices[index];
    return d && !d.wiped ? d : undefined;
  }

  canEnroll(): boolean {
    return this.devices.length < this.maxDevices;
  }

  canAct(index: number, action: ActionName): boolean {
    const d = this.device(index);
    // Nothing new once a wipe is on its way (the contract leaves that open). A second request of
    // an action already pending is sent: the target may refuse it (409) or take it (204).
    return !!d && !d.pending.some((a) => a.name === 'wipe');
  }

  canEvent(index: number, event: ModelEvent): boolean {
    const d = this.device(index);
    if (!d) return false;
    switch (event.type) {
      case 'enterPasscode':
        // Typing what the admin was shown needs the admin to have seen it.
        return event.passcode !== 'learned' || this.secretFor(index, event.scope) !== null;
      case 'setPasscode':
        return true;
      case 'goOffline':
      case 'checkIn':
        // An offline device cannot check in; whether the simulation API should refuse it is left open.
        return d.truth.online;
      case 'goOnline':
        return !d.truth.online;
      case 'reboot':
        return true;
    }
  }

  /** The temporary passcode or PIN the admin view showed for what locks this scope now, if known. */
  secretFor(index: number, scope: Scope): string | null {
    return secretFor(this.devices[index], scope);
  }

  /** Every secret seen so far, to keep them out of reports and to look for them where they must not be. */
  secrets(): string[] {
    return secretsOf(this.devices);
  }

  // ---- Steps ----

  /** POST /sim/devices answered: the device's facts decide its first ground truth. */
  enrolled(spec: EnrollSpec, reply: { status: number; id?: string; truth?: Truth }): Check[] {
    const checks: Check[] = [expectIn('ST-2', `HTTP status of enrolling a ${spec.variant} device`, reply.status, [201])];
    if (reply.status !== 201) return checks;
    checks.push({ requirement: 'ST-2', what: 'enrolled device id', ok: typeof reply.id === 'string' && reply.id !== '', expected: 'an id', observed: show(reply.id) });
    checks.push({ requirement: 'ST-2', what: 'ground truth (sim block) of the enrolled device', ok: !!reply.truth, expected: 'present', observed: reply.truth ? 'present' : 'absent' });
    if (!reply.truth || typeof reply.id !== 'string') return checks;

    const variant = spec.variant;
    const major = osMajor(spec.osVersion);
    const p = Prediction.free('ST-2');
    p.set('online', [spec.online ?? true], 'ST-2');
    p.set('enrolled', [true], 'ST-2');
    if (spec.devicePasscodeSet !== undefined) p.set('devicePasscode', [spec.devicePasscodeSet ? 'user' : 'none'], 'RL-4');
    p.set('passcodePrompt', [false], 'IR-2');
    if (!hasWorkProfile(variant)) {
      for (const k of ['workProfile.challenge', 'workProfile.locked', 'workProfile.resetToken', 'workProfile.activationNotification'] as const) p.set(k, [undefined], 'DL-5');
    } else {
      if (spec.workProfilePasswordSet !== undefined) p.set('workProfile.challenge', [spec.workProfilePasswordSet ? 'user' : 'none'], 'AN-1');
      p.set('workProfile.locked', [false, true], 'WP-1');
      p.set('workProfile.resetToken', ['none', 'pending', 'active'], 'WP-1');
      if (variant === 'ae-work-profile-personal') {
        const tokenApi = major === null || major >= 8;
        if (tokenApi && spec.workProfilePasswordSet === true) {
          p.set('workProfile.resetToken', ['pending'], 'AN-1');
          p.set('workProfile.activationNotification', [true], 'AN-1');
        } else if (spec.workProfilePasswordSet !== undefined) {
          p.set('workProfile.activationNotification', [false], 'AN-1');
        }
      } else {
        p.set('workProfile.activationNotification', [false, true], 'WP-2');
      }
    }
    const index = this.devices.length;
    checks.push(...p.check(reply.truth, (k) => `${k} of the newly enrolled device ${index} (${variant})`));
    checks.push(expectIn('ST-2', `pendingCommands of the newly enrolled device ${index}`, reply.truth.pendingCommands, [0]));

    const device: DeviceModel = {
      index,
      id: reply.id,
      variant,
      spec,
      major,
      truth: reply.truth,
      wiped: false,
      pending: [],
      canceledQueued: 0,
      actions: {},
      lastRequest: {},
      deviceSecret: null,
      workProfileSecret: null,
      lockPin: null,
      tokenLost: false,
      onlineSince: this.now,
      audit: { accepted: 0, refused: 0, forbidden: 0 },
    };
    syncSecrets(device);
    this.devices.push(device);
    checks.push(...invariants(device, reply.truth, `the newly enrolled device ${index}`));
    return checks;
  }

  /** An admin (or nobody) asked for an action; `status` is the answer, `obs` what followed. */
  acted(index: number, action: ActionName, actor: Actor, status: number, obs: Observation): Check[] {
    const d = this.devices[index]!;
    const who = actor ?? 'no token';
    const rule = roleRule(action, actor);
    const checks: Check[] = [];
    const statusWhat = `HTTP status of ${action} on device ${index} (${d.variant}) as ${who}`;

    if (!rule.allowed) {
      // RB-3: refused before anything happens, and no trace on the device or in its results.
      checks.push(expectIn(rule.requirement, statusWhat, status, [rule.refusal!]));
      d.audit.forbidden++;
      const outcome = notDelivered(d, Prediction.of(d.truth, 'RB-3'), 'RB-3');
      return [...checks, ...observe(d, outcome, obs, `after ${action} as ${who}`, this.now)];
    }

    const support = supportOf(d, action);
    const base = Prediction.of(d.truth, support.requirement);
    const fresh = (state: ActionState, requirement: string): ActionModel => ({
      name: action,
      state,
      requirement,
      requestedAt: this.now,
      secret: null,
    });

    if (!support.supported) {
      // ST-3: refused at once (400) or accepted and recorded notSupported; never carried out.
      const statuses = support.requires400 ? [400] : [400, 204];
      checks.push(expectIn(status === 401 || status === 403 ? rule.requirement : support.requires400 ? support.requirement : 'ST-3', statusWhat, status, statuses));
      const outcome = notDelivered(d, base, support.requirement);
      // A command queued for an unsupported action means it is being carried out: the platform's row.
      outcome.pendingRequirement = support.requirement;
      const refused = fresh('notSupported', support.requirement);
      if (status === 204) {
        outcome.actions.set(action, { values: ['notSupported'], requirement: support.requirement, model: refused });
        d.audit.accepted++;
        d.lastRequest[action] = 'accepted';
      } else {
        const prev = d.actions[action];
        outcome.actions.set(action, { values: [prev?.state ?? 'absent', 'notSupported'], requirement: 'ST-3', model: prev ?? null, refused });
        d.audit.refused++;
        d.lastRequest[action] = 'refused';
      }
      return [...checks, ...observe(d, outcome, obs, `after the unsupported ${action}`, this.now)];
    }

    // A role the catalogue lets act, turned away (401/403), breaks the role row, not the platform's.
    const again = d.pending.some((a) => a.name === action);
    checks.push(expectIn(status === 401 || status === 403 ? rule.requirement : again && status === 409 ? 'ST-2' : support.statusRequirement, statusWhat, status, again ? [...support.statuses, 409] : support.statuses));
    if (status === 409 && again) {
      // The same action already waits for the device: refused, nothing changes (it may still check in meanwhile).
      d.audit.refused++;
      const outcome = resolve(d, base, 'ST-2', d.truth.online ? 'may' : 'mustNot', obs);
      return [...checks, ...observe(d, outcome, obs, `after a second ${action} while one is pending`, this.now)];
    }
    if (status !== 204) {
      const prev = d.actions[action];
      const outcome = notDelivered(d, base, support.requirement);
      outcome.actions.set(action, { values: [prev?.state ?? 'absent', 'notSupported'], requirement: support.statusRequirement, model: prev ?? null, refused: fresh('notSupported', support.requirement) });
      d.audit.refused++;
      d.lastRequest[action] = 'refused';
      return [...checks, ...observe(d, outcome, obs, `after ${action}`, this.now)];
    }

    const accepted = fresh('pending', support.requirement);
    d.pending.push(accepted);
    d.actions[action] = accepted;
    d.audit.accepted++;
    d.lastRequest[action] = 'accepted';
    const mode: DeliveryMode = d.truth.online ? 'may' : 'mustNot';
    const outcome = resolve(d, base, support.requirement, mode, obs);
    if (action === 'wipe' && !outcome.delivered.length) {
      // A wipe makes what waits before it moot: a target may cancel those at once.
      for (const a of d.pending) if (a !== accepted) outcome.actions.set(a.name, { values: ['pending', 'canceled'], requirement: 'ST-2', model: a });
      // Commands canceled at once are no longer pending on the device: only the wipe may be left.
      outcome.pending = [1, outcome.pending[1]];
    }
    return [...checks, ...observe(d, outcome, obs, `after ${action}`, this.now)];
  }

  /** A user or device event; `status` is the simulation API's answer. */
  evented(index: number, event: ModelEvent, status: number, obs: Observation): Check[] {
    const d = this.devices[index]!;
    const { checks, p, mode, frame, after } = eventPrediction(d, event, status, this.now);
    const outcome = resolve(d, p, frame, mode, obs);
    const result = [...checks, ...observe(d, outcome, obs, `after ${describeEvent(event)}`, this.now)];
    if (obs.truth) for (const f of after) f(obs.truth);
    return result;
  }

  /** Simulated time moved on; `obs` holds what each enrolled device showed afterwards. */
  advanced(duration: string, ms: number, status: number, obs: ReadonlyMap<number, Observation>): Check[] {
    const checks: Check[] = [expectIn('ST-2', `HTTP status of advancing the clock by ${duration}`, status, [200])];
    this.now += ms;
    for (const d of this.devices) {
      const o = obs.get(d.index);
      if (!o || d.wiped) continue;
      const p = Prediction.of(d.truth, 'ST-2');
      if (d.tokenLost) {
        // AN-4: an interval check-in may provision the lost token again.
        p.set('workProfile.resetToken', ['none', 'pending'], 'AN-4');
        p.set('workProfile.activationNotification', ANY, 'AN-4');
      }
      const mode: DeliveryMode = !d.truth.online || !d.pending.length ? 'mustNot' : ms >= CONVERGENCE_MS ? 'must' : 'may';
      const outcome = resolve(d, p, 'ST-2', mode, o);
      checks.push(...observe(d, outcome, o, `${duration} later`, this.now));
    }
    return checks;
  }

  /** The Device actions list (remoteActionAudits) entries of one device, newest first. */
  auditsRead(index: number, audits: readonly Audit[] | null): Check[] {
    const d = this.devices[index]!;
    const checks: Check[] = [{ requirement: 'ST-1', what: 'GET remoteActionAudits', ok: audits !== null, expected: 'HTTP 200 with a list', observed: audits ? 'a list' : 'no list' }];
    if (!audits) return checks;
    const n = audits.length;
    const { accepted, refused, forbidden } = d.audit;
    checks.push({
      requirement: 'ST-1',
      what: `entries for device ${index} in the Device actions list`,
      ok: n >= accepted,
      expected: `at least ${accepted} (one per accepted action)`,
      observed: String(n),
    });
    checks.push({
      requirement: forbidden > 0 ? 'RB-3' : 'ST-1',
      what: `entries for device ${index} in the Device actions list`,
      ok: n <= accepted + refused,
      expected: `at most ${accepted + refused} (requests refused with 401/403 leave no trace)`,
      observed: String(n),
    });
    const secrets = this.secrets();
    const text = JSON.stringify(audits);
    checks.push({ requirement: 'TP-5', what: 'temporary passcodes and PINs in the Device actions list', ok: !secrets.some((s) => text.includes(s)), expected: 'none', observed: secrets.some((s) => text.includes(s)) ? 'a secret appears' : 'none' });
    for (const name of ACTIONS) {
      const a = d.actions[name];
      if (!a || d.lastRequest[name] !== 'accepted') continue;
      const newest = audits.find((e) => e.action === auditActionName(name));
      checks.push(expectIn('ST-1', `actionState of the newest ${auditActionName(name)} entry for device ${index}`, newest?.actionState, [a.state]));
    }
    return checks;
  }

}
