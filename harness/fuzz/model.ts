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
import type { ActionResult, Audit, EnrollSpec, Truth } from '../../contract/wire.js';
import type { VariantKey } from '../../contract/variants.js';
import { requirement as catalogueEntry } from '../../scenarios/requirements.js';
import type { Level } from '../../contract/result-model.js';
import {
  hasWorkProfile,
  lockSupport,
  maySeeSecrets,
  osMajor,
  passcodeShown,
  resetSupport,
  roleRule,
  wipeRequirement,
  type Actor,
  type GraphRole,
  type Scope,
} from './catalogue.js';

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;
/** TP-3: how long the admin sees a temporary passcode. */
export const PASSCODE_WINDOW_MS = 7 * DAY_MS;
/** By then an online device has taken every command pushed to it. */
export const CONVERGENCE_MS = 15 * MINUTE_MS;
/** The admin who reads the devices when a step has no acting role: may see every secret. */
export const ADMIN_READER: GraphRole = 'intune-administrator';

// ---- Checks and mismatches -------------------------------------------------------------

/** One comparison of an observation with the model. Never holds a secret: secrets are compared by shape. */
export interface Check {
  requirement: string;
  what: string;
  ok: boolean;
  expected: string;
  observed: string;
}

/** The target did something the model says a conforming MDM must not. */
export class ConformanceMismatch extends Error {
  readonly requirement: string;
  readonly level: Level;
  readonly statement: string;
  readonly what: string;
  readonly expected: string;
  readonly observed: string;
  readonly step: string;

  constructor(check: Check, step: string) {
    const entry = catalogueEntry(check.requirement);
    super(`${check.requirement} (${entry.level}): ${check.what}: expected ${check.expected}, observed ${check.observed} [step: ${step}]`);
    this.name = 'ConformanceMismatch';
    this.requirement = check.requirement;
    this.level = entry.level;
    this.statement = entry.statement;
    this.what = check.what;
    this.expected = check.expected;
    this.observed = check.observed;
    this.step = step;
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'absent';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function oneOf(values: readonly unknown[]): string {
  return values.length === 1 ? show(values[0]) : `one of ${values.map(show).join(', ')}`;
}

function expectIn<T>(requirement: string, what: string, observed: T, allowed: readonly T[]): Check {
  return { requirement, what, ok: allowed.some((a) => Object.is(a, observed)), expected: oneOf(allowed), observed: show(observed) };
}

// ---- Predicted ground truth ------------------------------------------------------------

export type FieldKey =
  | 'online'
  | 'enrolled'
  | 'lockScreen'
  | 'devicePasscode'
  | 'passcodePrompt'
  | 'workProfile.challenge'
  | 'workProfile.locked'
  | 'workProfile.resetToken'
  | 'workProfile.activationNotification';

const FIELDS: readonly FieldKey[] = [
  'online',
  'enrolled',
  'lockScreen',
  'devicePasscode',
  'passcodePrompt',
  'workProfile.challenge',
  'workProfile.locked',
  'workProfile.resetToken',
  'workProfile.activationNotification',
];

type Val = string | boolean | undefined;
const ANY = 'any' as const;
type Values = readonly Val[] | typeof ANY;

export function readField(truth: Truth, key: FieldKey): Val {
  switch (key) {
    case 'online':
      return truth.online;
    case 'enrolled':
      return truth.enrolled;
    case 'lockScreen':
      return truth.lockScreen;
    case 'devicePasscode':
      return truth.devicePasscode;
    case 'passcodePrompt':
      return truth.passcodePrompt;
    case 'workProfile.challenge':
      return truth.workProfile?.challenge;
    case 'workProfile.locked':
      return truth.workProfile?.locked;
    case 'workProfile.resetToken':
      return truth.workProfile?.resetToken;
    case 'workProfile.activationNotification':
      return truth.workProfile?.activationNotification;
  }
}

interface FieldPrediction {
  values: Values;
  requirement: string;
  changed: boolean;
}

/** What each ground-truth field may read after a step, and which requirement says so. */
export class Prediction {
  private constructor(private readonly fields: Map<FieldKey, FieldPrediction>) {}

  /** Every field as it is now (the frame rule), under `requirement`. */
  static of(truth: Truth, requirement: string): Prediction {
    return new Prediction(new Map(FIELDS.map((k) => [k, { values: [readField(truth, k)], requirement, changed: false }])));
  }

  static free(requirement: string): Prediction {
    return new Prediction(new Map(FIELDS.map((k) => [k, { values: ANY, requirement, changed: false }])));
  }

  clone(): Prediction {
    return new Prediction(new Map([...this.fields].map(([k, f]) => [k, { ...f }])));
  }

  set(key: FieldKey, values: Values, requirement: string): this {
    this.fields.set(key, { values, requirement, changed: true });
    return this;
  }

  /** Keeps the values, names another requirement for them. */
  tag(key: FieldKey, requirement: string): this {
    const f = this.fields.get(key)!;
    this.fields.set(key, { ...f, requirement });
    return this;
  }

  values(key: FieldKey): Values {
    return this.fields.get(key)!.values;
  }

  may(key: FieldKey, value: Val): boolean {
    const v = this.values(key);
    return v === ANY || v.includes(value);
  }

  must(key: FieldKey, value: Val): boolean {
    const v = this.values(key);
    return v !== ANY && v.length === 1 && v[0] === value;
  }

  /** Either prediction may come true (a branch the model cannot decide before observing). */
  union(other: Prediction): Prediction {
    const out = new Map<FieldKey, FieldPrediction>();
    for (const k of FIELDS) {
      const a = this.fields.get(k)!;
      const b = other.fields.get(k)!;
      const values: Values = a.values === ANY || b.values === ANY ? ANY : [...new Set([...a.values, ...b.values])];
      out.set(k, { values, requirement: a.changed || !b.changed ? a.requirement : b.requirement, changed: a.changed || b.changed });
    }
    return new Prediction(out);
  }

  check(truth: Truth, describe: (key: FieldKey) => string): Check[] {
    const checks: Check[] = [];
    for (const k of FIELDS) {
      const f = this.fields.get(k)!;
      if (f.values === ANY) continue;
      checks.push(expectIn(f.requirement, describe(k), readField(truth, k), f.values));
    }
    return checks;
  }
}

// ---- Devices and actions ---------------------------------------------------------------

/** One remote action the model knows of: the latest of its name is the device's action result. */
export interface ActionModel {
  name: ActionName;
  /** The state last observed (adopted once it matched the prediction). */
  state: ActionState;
  /** The requirement that decides its outcome. */
  requirement: string;
  requestedAt: number;
  /** Latest simulated time at which it can have settled (TP-3's window may count from there). */
  settledBy: number | null;
  /** The temporary passcode or unlock PIN, once an admin has seen it. Never reported. */
  secret: string | null;
}

/** A device secret the user can type: their own, or a temporary one an action set (known once the admin saw it). */
type Secret = 'user' | 'unknown' | ActionModel | null;

export interface DeviceModel {
  index: number;
  id: string;
  variant: VariantKey;
  spec: EnrollSpec;
  major: number | null;
  truth: Truth;
  /** The wipe reached the device: it is no longer enrolled, steps leave it alone. */
  wiped: boolean;
  /** Accepted actions waiting for the device, in the order requested. */
  pending: ActionModel[];
  /** Canceled commands a target may still count in pendingCommands until the next check-in. */
  canceledQueued: number;
  actions: Partial<Record<ActionName, ActionModel>>;
  /** How the latest request of each action ended: accepted (204), refused (400) or forbidden (401/403). */
  lastRequest: Partial<Record<ActionName, 'accepted' | 'refused'>>;
  deviceSecret: Secret;
  workProfileSecret: Secret;
  /** macOS: the lock whose PIN has not been used yet (RL-5). */
  lockPin: ActionModel | null;
  /** AN-4: a never-activated reset token was lost on reboot and waits for the next check-in. */
  tokenLost: boolean;
  onlineSince: number;
  /** Device actions list bounds: requests that must appear (accepted) and may appear (refused with 400). */
  audit: { accepted: number; refused: number; forbidden: number };
}

interface ActionPrediction {
  values: readonly (ActionState | 'absent')[];
  requirement: string;
  /** The action the observed entry stands for. */
  model: ActionModel | null;
  /** A refused request the target may record as notSupported instead (ST-3). */
  refused?: ActionModel;
}

interface Outcome {
  truth: Prediction;
  actions: Map<ActionName, ActionPrediction>;
  /** Allowed pendingCommands (a target may still count canceled commands). */
  pending: readonly [number, number];
  pendingRequirement: string;
  /** Actions this outcome delivers to the device, in order. */
  delivered: ActionModel[];
  settledBy: number;
}

export interface Observation {
  truthStatus: number;
  truth?: Truth;
  viewStatus: number;
  results?: ActionResult[];
  viewer: GraphRole;
}

export type DeliveryMode = 'must' | 'may' | 'mustNot';

/** A user or device event of the simulation API, as the fuzzer drives it. */
export type ModelEvent =
  | { type: 'enterPasscode'; scope: Scope; passcode: 'own' | 'learned' | 'wrong' }
  | { type: 'setPasscode'; scope: Scope; passcode: string }
  | { type: 'reboot' }
  | { type: 'goOffline' }
  | { type: 'goOnline' }
  | { type: 'checkIn' };

/** How the contract's Device actions list names each action. */
export function auditActionName(action: ActionName): string {
  return action === 'wipe' ? 'factoryReset' : action;
}

function shapeOf(value: unknown): 'present' | 'null' | 'absent' {
  if (value === undefined) return 'absent';
  return value === null || value === '' ? 'null' : 'present';
}

const HIDDEN = ['null', 'absent'] as const;

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
    // One pending request per action name, and nothing new once a wipe is on its way: the contract leaves both open.
    return !!d && !d.pending.some((a) => a.name === action || a.name === 'wipe');
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
    const d = this.devices[index];
    if (!d) return null;
    if (scope === 'device' && d.lockPin) return d.lockPin.secret;
    const s = scope === 'device' ? d.deviceSecret : d.workProfileSecret;
    return s !== null && typeof s === 'object' ? s.secret : null;
  }

  /** Every secret seen so far, to keep them out of reports and to look for them where they must not be. */
  secrets(): string[] {
    const out: string[] = [];
    for (const d of this.devices) {
      for (const a of Object.values(d.actions)) if (a?.secret) out.push(a.secret);
      for (const s of [d.deviceSecret, d.workProfileSecret, d.lockPin]) if (s && typeof s === 'object' && s.secret) out.push(s.secret);
    }
    return [...new Set(out)];
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
          p.set('workProfile.resetToken', ['pending'], 'AN-3');
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
    this.syncSecrets(device);
    this.devices.push(device);
    checks.push(...this.invariants(device, reply.truth, `the newly enrolled device ${index}`));
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
      const outcome = this.notDelivered(d, Prediction.of(d.truth, 'RB-3'), 'RB-3');
      return [...checks, ...this.observe(d, outcome, obs, `after ${action} as ${who}`)];
    }

    const support = this.support(d, action);
    const base = Prediction.of(d.truth, support.requirement);
    const fresh = (state: ActionState, requirement: string): ActionModel => ({
      name: action,
      state,
      requirement,
      requestedAt: this.now,
      settledBy: state === 'pending' ? null : this.now,
      secret: null,
    });

    if (!support.supported) {
      // ST-3: refused at once (400) or accepted and recorded notSupported; never carried out.
      const statuses = support.requires400 ? [400] : [400, 204];
      checks.push(expectIn(support.requires400 ? support.requirement : 'ST-3', statusWhat, status, statuses));
      const outcome = this.notDelivered(d, base, support.requirement);
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
      return [...checks, ...this.observe(d, outcome, obs, `after the unsupported ${action}`)];
    }

    checks.push(expectIn(support.statusRequirement, statusWhat, status, support.statuses));
    if (status !== 204) {
      const prev = d.actions[action];
      const outcome = this.notDelivered(d, base, support.requirement);
      outcome.actions.set(action, { values: [prev?.state ?? 'absent', 'notSupported'], requirement: support.statusRequirement, model: prev ?? null, refused: fresh('notSupported', support.requirement) });
      d.audit.refused++;
      d.lastRequest[action] = 'refused';
      return [...checks, ...this.observe(d, outcome, obs, `after ${action}`)];
    }

    const accepted = fresh('pending', support.requirement);
    d.pending.push(accepted);
    d.actions[action] = accepted;
    d.audit.accepted++;
    d.lastRequest[action] = 'accepted';
    const mode: DeliveryMode = d.truth.online ? 'may' : 'mustNot';
    const outcome = this.resolve(d, base, support.requirement, mode, obs, this.now);
    if (action === 'wipe' && !outcome.delivered.length) {
      // A wipe makes what waits before it moot: a target may cancel those at once.
      for (const a of d.pending) if (a !== accepted) outcome.actions.set(a.name, { values: ['pending', 'canceled'], requirement: 'ST-2', model: a });
      // Commands canceled at once are no longer pending on the device: only the wipe may be left.
      outcome.pending = [1, outcome.pending[1]];
    }
    return [...checks, ...this.observe(d, outcome, obs, `after ${action}`)];
  }

  /** A user or device event; `status` is the simulation API's answer. */
  evented(index: number, event: ModelEvent, status: number, obs: Observation): Check[] {
    const d = this.devices[index]!;
    const t = d.truth;
    const what = `HTTP status of ${describeEvent(event)} on device ${index} (${d.variant})`;
    const checks: Check[] = [];
    let p: Prediction;
    let mode: DeliveryMode = 'mustNot';
    let frame = 'TP-2';
    const after: Array<(truth: Truth) => void> = [];

    switch (event.type) {
      case 'enterPasscode': {
        p = Prediction.of(t, 'TP-2');
        // The contract: an event the device cannot take in its state is a 409 (a scope it lacks may also be a 400).
        if (event.scope === 'workProfile' && (!hasWorkProfile(d.variant) || !t.workProfile)) {
          checks.push(expectIn('TP-2', what, status, [409, 400]));
          break;
        }
        if (event.scope === 'workProfile' ? t.workProfile?.challenge === 'none' : t.devicePasscode === 'none' && !d.lockPin) {
          checks.push(expectIn('TP-2', what, status, [409]));
          break;
        }
        checks.push(expectIn('TP-2', what, status, [200]));
        if (event.scope === 'device') {
          const pin = d.lockPin;
          let right: boolean;
          let requirement = 'TP-2';
          if (pin) {
            right = event.passcode === 'learned';
            requirement = 'RL-5';
          } else if (t.devicePasscode === 'temporary') {
            right = event.passcode === 'learned';
          } else {
            right = event.passcode === 'own';
          }
          if (status === 200) {
            if (right) {
              p.set('lockScreen', ['unlocked'], requirement);
              if (!pin && t.devicePasscode === 'temporary') p.set('devicePasscode', ['temporary', 'user'], 'TP-2');
              if (pin) after.push((truth) => { if (truth.lockScreen === 'unlocked') d.lockPin = null; });
            } else {
              p.set('lockScreen', t.lockScreen === 'locked' ? ['locked'] : [t.lockScreen, 'locked'], requirement);
            }
          }
        } else {
          const wp = t.workProfile!; // present: checked above
          const right = (wp.challenge === 'user' && event.passcode === 'own') || (wp.challenge === 'temporary' && event.passcode === 'learned');
          if (status === 200) {
            if (right) {
              p.set('workProfile.locked', [false], 'TP-2');
              if (wp.challenge === 'temporary') p.set('workProfile.challenge', ['temporary', 'user'], 'TP-2');
              if (wp.resetToken === 'pending' || wp.resetToken === 'active') {
                p.set('workProfile.resetToken', ['active'], 'AN-3');
                if (wp.resetToken === 'pending') p.set('workProfile.activationNotification', [false], 'AN-2');
              } else {
                p.set('workProfile.resetToken', ANY, 'AN-4');
                p.set('workProfile.activationNotification', ANY, 'AN-4');
              }
            } else {
              p.set('workProfile.locked', wp.locked ? [true] : [false, true], 'TP-2');
              p.tag('workProfile.resetToken', 'AN-3').tag('workProfile.activationNotification', 'AN-2');
            }
          }
        }
        break;
      }
      case 'setPasscode': {
        p = Prediction.of(t, 'TP-2');
        if (event.scope === 'device') {
          const statuses = t.lockScreen === 'locked' ? [409] : t.lockScreen === 'screenOff' ? [200, 409] : [200];
          checks.push(expectIn('TP-2', what, status, statuses));
          if (status === 200) {
            p.set('devicePasscode', ['user'], 'TP-2');
            p.set('passcodePrompt', [false], 'IR-2');
          }
        } else if (!t.workProfile) {
          checks.push(expectIn('TP-2', what, status, [409, 400]));
        } else {
          const wp = t.workProfile;
          checks.push(expectIn('TP-2', what, status, wp.locked ? [409] : [200]));
          if (status === 200) {
            p.set('workProfile.challenge', ['user'], 'TP-2');
            if (wp.resetToken === 'none') {
              p.set('workProfile.resetToken', ANY, 'AN-4');
              p.set('workProfile.activationNotification', ANY, 'AN-4');
            }
          }
        }
        break;
      }
      case 'reboot': {
        checks.push(expectIn('AN-4', what, status, [200]));
        p = Prediction.of(t, 'TP-2');
        if (d.lockPin) p.set('lockScreen', ['locked'], 'RL-5');
        else if (t.devicePasscode === 'temporary') p.set('lockScreen', ['locked'], 'TP-2');
        else p.set('lockScreen', ANY, 'TP-2');
        const wp = t.workProfile;
        if (wp) {
          if (wp.challenge === 'temporary') p.set('workProfile.locked', [true], 'TP-2');
          else if (wp.challenge === 'user') p.set('workProfile.locked', [wp.locked, true], 'TP-2');
          else p.set('workProfile.locked', ANY, 'TP-2');
          p.set('workProfile.resetToken', wp.resetToken === 'active' ? ['active'] : ['none', 'pending'], 'AN-4');
          p.set('workProfile.activationNotification', ANY, 'AN-4');
          const before = wp.resetToken;
          after.push((truth) => {
            const now = truth.workProfile?.resetToken;
            if (now === 'none' && (before === 'pending' || d.tokenLost)) d.tokenLost = true;
          });
        }
        break;
      }
      case 'goOffline':
        checks.push(expectIn('ST-2', what, status, [200]));
        p = Prediction.of(t, 'ST-2').set('online', [false], 'ST-2');
        frame = 'ST-2';
        break;
      case 'goOnline':
        checks.push(expectIn('ST-2', what, status, [200]));
        p = Prediction.of(t, 'ST-2').set('online', [true], 'ST-2');
        frame = 'ST-2';
        // Coming back, a device may check in at once (the reference does); the observation tells.
        mode = 'may';
        d.onlineSince = this.now;
        break;
      case 'checkIn':
        checks.push(expectIn('ST-2', what, status, [200]));
        p = Prediction.of(t, 'ST-2');
        frame = 'ST-2';
        mode = 'must';
        break;
    }
    if (status !== 200 && status !== 409) {
      // Off contract: judge the device as untouched.
      p = Prediction.of(t, frame);
    }
    const outcome = this.resolve(d, p, frame, mode, obs, this.now);
    const result = [...checks, ...this.observe(d, outcome, obs, `after ${describeEvent(event)}`)];
    if (obs.truth) for (const f of after) f(obs.truth);
    return result;
  }

  /** Simulated time moved on; `obs` holds what each enrolled device showed afterwards. */
  advanced(duration: string, ms: number, status: number, obs: ReadonlyMap<number, Observation>): Check[] {
    const checks: Check[] = [expectIn('ST-2', `HTTP status of advancing the clock by ${duration}`, status, [200])];
    const before = this.now;
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
      const settledBy = mode === 'must' ? Math.min(this.now, before + CONVERGENCE_MS) : this.now;
      const outcome = this.resolve(d, p, 'ST-2', mode, o, settledBy);
      checks.push(...this.observe(d, outcome, o, `${duration} later`));
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

  // ---- Support (DL-*, WP-*, RL-*, IR-*) ----

  private support(d: DeviceModel, action: ActionName): { supported: boolean; requirement: string; requires400?: boolean; statuses: number[]; statusRequirement: string } {
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
  private notDelivered(d: DeviceModel, truth: Prediction, requirement: string): Outcome {
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
      settledBy: this.now,
    };
  }

  /** The device checks in: a lost reset token is provisioned again, then every pending command is taken in order. */
  private delivered(d: DeviceModel, base: Prediction, requirement: string, settledBy: number): Outcome {
    const outcome = this.notDelivered(d, base.clone(), requirement);
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
      const branches = this.effect(d, a, p, pinOutstanding);
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
    outcome.settledBy = settledBy;
    return outcome;
  }

  /** What one command does to the device: the possible action states, each with the ground truth it leaves. */
  private effect(d: DeviceModel, a: ActionModel, p: Prediction, pinOutstanding: boolean | 'maybe'): Array<{ state: ActionState; requirement: string; truth: Prediction }> {
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
      return [{ state: 'done', requirement: kind === 'aosp' ? 'RL-1' : 'RL-3', truth: t }];
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
      .set('passcodePrompt', [d.spec.passcodeCompliancePolicy === true], 'IR-2');
    return [{ state: 'done', requirement: 'DL-3', truth: t }];
  }

  /** Picks the outcome the observation shows when delivery may or may not have happened. */
  private resolve(d: DeviceModel, base: Prediction, requirement: string, mode: DeliveryMode, obs: Observation, settledBy: number): Outcome {
    if (mode === 'must') return this.delivered(d, base, requirement, settledBy);
    if (mode === 'mustNot') return this.notDelivered(d, base, requirement);
    if (!d.pending.length) {
      // Nothing to deliver: only a re-provisioned reset token (AN-4) shows that the device checked in.
      const provisioned = d.tokenLost && obs.truth?.workProfile !== undefined && obs.truth.workProfile.resetToken !== 'none';
      return provisioned ? this.delivered(d, base, requirement, settledBy) : this.notDelivered(d, base, requirement);
    }
    return obs.truth?.pendingCommands === 0 ? this.delivered(d, base, requirement, settledBy) : this.notDelivered(d, base, requirement);
  }

  // ---- Judging an observation, then adopting it ----

  private observe(d: DeviceModel, o: Outcome, obs: Observation, when: string): Check[] {
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
    checks.push(...this.invariants(d, truth, `${label} ${when}`));

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
            const justDelivered = o.delivered.includes(model);
            const settled = justDelivered ? o.settledBy : (model.settledBy ?? this.now);
            checks.push(...this.secretChecks(d, model, entry, state, settled, justDelivered, obs.viewer, `${label} ${when}`));
          }
        }
      }
    }

    this.adopt(d, o, obs, chosen);
    return checks;
  }

  /** TP-1, TP-3, TP-4, TP-5, IR-1, RL-5: which secrets the viewer may, must or must not see. */
  private secretChecks(d: DeviceModel, a: ActionModel, entry: ActionResult, state: string, settled: number, justDelivered: boolean, viewer: GraphRole, where: string): Check[] {
    if (a.name === 'wipe') return [];
    const field = a.name === 'resetPasscode' ? 'passcode' : 'unlockPin';
    const value = a.name === 'resetPasscode' ? entry.passcode : entry.unlockPin;
    const shape = shapeOf(value);
    const what = `${a.name === 'resetPasscode' ? 'temporary passcode' : 'unlock PIN'} (${field}) shown to ${viewer} on ${where}`;
    let allowed: readonly string[] | null = null;
    let requirement = 'TP-5';
    if (!maySeeSecrets(viewer)) {
      allowed = HIDDEN;
    } else if (a.name === 'resetPasscode') {
      const rule = passcodeShown(d.variant);
      if (rule && !rule.shown) {
        allowed = HIDDEN;
        requirement = rule.requirement;
      } else if (state === 'done') {
        if (this.now > settled + PASSCODE_WINDOW_MS) {
          allowed = HIDDEN;
          requirement = 'TP-3';
        } else if (this.now < a.requestedAt + PASSCODE_WINDOW_MS && rule?.shown) {
          allowed = ['present'];
          requirement = rule.requirement;
        }
      }
    } else if (d.variant === 'macos' && state === 'done' && (d.lockPin === a || justDelivered)) {
      allowed = ['present'];
      requirement = 'RL-5';
    }
    const checks: Check[] = [];
    if (allowed) checks.push(expectIn(requirement, what, shape, allowed));
    if (field === 'unlockPin' && shape === 'present') {
      const ok = typeof value === 'string' && /^\d{6}$/.test(value);
      checks.push({ requirement: 'RL-5', what: `form of the unlock PIN on ${where}`, ok, expected: '6 digits', observed: ok ? '6 digits' : typeof value === 'string' ? `${value.length} characters` : show(typeof value) });
    }
    return checks;
  }

  /** Rules that hold whatever the step: RL-4 (no passcode, never locked), AN-1/AN-2 (notification follows the token). */
  private invariants(d: DeviceModel, truth: Truth, where: string): Check[] {
    const checks: Check[] = [];
    if (!truth.enrolled) return checks;
    if (d.variant !== 'macos' && truth.devicePasscode === 'none') {
      checks.push({ requirement: 'RL-4', what: `lockScreen of ${where} (no device passcode)`, ok: truth.lockScreen !== 'locked', expected: 'unlocked or screenOff', observed: truth.lockScreen });
    }
    if (d.variant === 'ae-work-profile-personal' && truth.workProfile) {
      const wp = truth.workProfile;
      if (wp.resetToken === 'pending') checks.push(expectIn('AN-1', `activationNotification of ${where} (reset token waits for activation)`, wp.activationNotification, [true]));
      if (wp.resetToken === 'active') checks.push(expectIn('AN-2', `activationNotification of ${where} (reset token active)`, wp.activationNotification, [false]));
    }
    return checks;
  }

  private adopt(d: DeviceModel, o: Outcome, obs: Observation, chosen: Map<ActionName, ActionModel | null>): void {
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
        a.settledBy = o.settledBy;
        if (a.state === 'done') this.onDone(d, a);
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
      this.syncSecrets(d);
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

  private onDone(d: DeviceModel, a: ActionModel): void {
    if (a.name === 'wipe') {
      d.wiped = true;
      return;
    }
    if (a.name === 'remoteLock') {
      if (d.variant === 'macos') d.lockPin = a;
      return;
    }
    const { kind } = resetSupport(d.variant, d.major);
    if (kind === 'device') d.deviceSecret = a;
    else if (kind === 'workProfile') d.workProfileSecret = a;
    else if (kind === 'removal') d.deviceSecret = null;
  }

  /** Keeps what the user can type in line with the ground truth. */
  private syncSecrets(d: DeviceModel): void {
    const sync = (kind: string | undefined, current: Secret): Secret => {
      if (kind === 'user') return 'user';
      if (kind === 'temporary') return current !== null && typeof current === 'object' ? current : 'unknown';
      return null;
    };
    d.deviceSecret = sync(d.truth.devicePasscode, d.deviceSecret);
    d.workProfileSecret = sync(d.truth.workProfile?.challenge, d.workProfileSecret);
  }
}

export function describeEvent(event: ModelEvent): string {
  switch (event.type) {
    case 'enterPasscode':
      return `enterPasscode (${event.passcode === 'learned' ? 'the passcode the admin was shown' : event.passcode === 'own' ? 'their own' : 'a wrong one'}${event.scope === 'workProfile' ? ', work profile' : ''})`;
    case 'setPasscode':
      return `setPasscode${event.scope === 'workProfile' ? ' (work profile)' : ''}`;
    default:
      return event.type;
  }
}
