/**
 * Secrets: which temporary passcodes and unlock PINs the admin may, must or must not see
 * (TP-1, TP-3 from the request, TP-4, TP-5, IR-1, RL-5), and which one the user can type.
 * Secrets are compared by shape only; their values never reach a Check.
 */
import type { ActionResult } from '../../contract/wire.js';
import { maySeeSecrets, passcodeShown, resetSupport, type GraphRole, type Scope } from './catalogue.js';
import { expectIn, HIDDEN, shapeOf, show, type Check } from './checks.js';
import { PASSCODE_WINDOW_MS, type ActionModel, type DeviceModel, type Secret } from './device-model.js';

/** The temporary passcode or PIN the admin view showed for what locks this scope now, if known. */
export function secretFor(d: DeviceModel | undefined, scope: Scope): string | null {
  if (!d) return null;
  if (scope === 'device' && d.lockPin) return d.lockPin.secret;
  const s = scope === 'device' ? d.deviceSecret : d.workProfileSecret;
  return s !== null && typeof s === 'object' ? s.secret : null;
}

/** Every secret seen so far, to keep them out of reports and to look for them where they must not be. */
export function secretsOf(devices: readonly DeviceModel[]): string[] {
  const out: string[] = [];
  for (const d of devices) {
    for (const a of Object.values(d.actions)) if (a?.secret) out.push(a.secret);
    for (const s of [d.deviceSecret, d.workProfileSecret, d.lockPin]) if (s && typeof s === 'object' && s.secret) out.push(s.secret);
  }
  return [...new Set(out)];
}

/** TP-1, TP-3, TP-4, TP-5, IR-1, RL-5: which secrets the viewer may, must or must not see. */
export function secretChecks(d: DeviceModel, a: ActionModel, entry: ActionResult, state: string, now: number, justDelivered: boolean, viewer: GraphRole, where: string): Check[] {
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
      // TP-3: seven days from the admin's request (startDateTime), whenever the device received it.
      if (now > a.requestedAt + PASSCODE_WINDOW_MS) {
        allowed = HIDDEN;
        requirement = 'TP-3';
      } else if (now < a.requestedAt + PASSCODE_WINDOW_MS && rule?.shown) {
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


export function onDone(d: DeviceModel, a: ActionModel): void {
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
export function syncSecrets(d: DeviceModel): void {
  const sync = (kind: string | undefined, current: Secret): Secret => {
    if (kind === 'user') return 'user';
    if (kind === 'temporary') return current !== null && typeof current === 'object' ? current : 'unknown';
    return null;
  };
  d.deviceSecret = sync(d.truth.devicePasscode, d.deviceSecret);
  d.workProfileSecret = sync(d.truth.workProfile?.challenge, d.workProfileSecret);
}
