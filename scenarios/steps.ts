/**
 * Small steps shared by the scenario files. Nothing here knows what a target should do:
 * every expected outcome stays written in the scenario that checks it.
 */
import type { RoleName } from '../contract/roles.js';
import type { ActionName, ActionState } from '../contract/actions.js';
import type { ActionResult, Audit, Truth } from '../contract/wire.js';
import type { Device, ScenarioContext } from './dsl.js';
import type { VariantKey } from '../contract/variants.js';

/** The role scenarios act as unless they are about roles: allowed every action and to see passcodes. */
export const ADMIN: RoleName = 'intune-administrator';


const PLATFORM: Readonly<Record<VariantKey, string>> = {
  'android-da-legacy': 'android',
  'android-da-modern': 'android',
  'ae-work-profile-personal': 'android',
  'ae-work-profile-corporate': 'android',
  'ae-fully-managed': 'android',
  'ae-dedicated': 'android',
  'aosp-user-associated': 'aosp',
  'aosp-userless': 'aosp',
  'ios-device': 'ios',
  'ios-user-enrollment': 'ios',
  macos: 'macos',
  windows: 'windows',
};

/** Tags of a scenario about one variant and action: platform, variant, action, then any extra. */
export function tagsFor(variant: VariantKey, action: ActionName, ...extra: string[]): string[] {
  return [PLATFORM[variant], variant, action, ...extra];
}

/** The Device actions list names a wipe `factoryReset`. */
export function auditActionName(action: ActionName): string {
  return action === 'wipe' ? 'factoryReset' : action;
}

/** Requests an action as a role; answers the HTTP status. */
export function act(t: ScenarioContext, role: RoleName | null, device: Device, action: ActionName): Promise<number> {
  const view = t.as(role);
  if (action === 'resetPasscode') return view.resetPasscode(device);
  if (action === 'remoteLock') return view.remoteLock(device);
  return view.wipe(device);
}

/** The action's state as the admin sees it, or 'absent' when the device has no result for it. */
export async function stateOf(t: ScenarioContext, device: Device, action: ActionName, role: RoleName = ADMIN): Promise<ActionState | 'absent'> {
  return (await t.as(role).actionResult(device, action))?.actionState ?? 'absent';
}

export interface Delivered {
  status: number;
  result: ActionResult | undefined;
  state: ActionState | 'absent';
}

/**
 * Requests a supported action, checks the target accepted it (204), has the device check
 * in so the command is delivered, and returns the admin's view of the result.
 */
export async function actAndDeliver(t: ScenarioContext, requirement: string, device: Device, action: ActionName, role: RoleName = ADMIN): Promise<Delivered> {
  const status = await act(t, role, device, action);
  t.check(requirement, `HTTP status of the ${action} request`, status, 204);
  if (action === 'wipe') {
    // An online device may already have checked in by itself and been wiped: then it takes no check-in (409).
    await t.event(device, { type: 'checkIn' });
  } else {
    await t.checkIn(device);
  }
  const result = await t.as(role).actionResult(device, action);
  return { status, result, state: result?.actionState ?? 'absent' };
}

export interface RefusedOptions {
  /** Requirements that say the platform does not support the action. */
  requirements: string[];
  role?: RoleName;
  /** The requirement, if any, that insists on the synchronous HTTP 400 (RL-3 for Windows). */
  requires400?: string;
}

/**
 * An action the platform does not support: the target answers 400 or records notSupported
 * (ST-3 accepts either), never carries it out (not done) and leaves the device as it was.
 */
export async function expectRefused(t: ScenarioContext, device: Device, action: ActionName, options: RefusedOptions): Promise<void> {
  const role = options.role ?? ADMIN;
  const before = await t.truth(device);
  const status = await act(t, role, device, action);
  // Whatever the answer, give the device its chance to receive a command.
  await t.checkIn(device);
  const state = status === 400 || status === 204 ? await stateOf(t, device, action, role) : 'absent';
  const signal = status === 400 ? 'HTTP 400' : status === 204 ? `actionState ${state}` : `HTTP ${status}`;
  t.checkOneOf('ST-3', `how the target answered an unsupported ${action}`, signal, ['HTTP 400', 'actionState notSupported']);
  if (status === 400 && state !== 'absent') {
    t.check('ST-3', `actionState recorded for the refused ${action}`, state, 'notSupported');
  }
  if (options.requires400) t.check(options.requires400, `HTTP status of the ${action} request`, status, 400);
  const after = await t.truth(device);
  for (const requirement of options.requirements) {
    t.checkThat(requirement, `${action} is not carried out`, state !== 'done' && state !== 'active', 'never done', signal);
    t.check(requirement, `ground truth after the refused ${action}`, after, before);
  }
}

/** The device's entries for one action in the Device actions list, newest first. */
export async function auditsFor(t: ScenarioContext, device: Device, action: ActionName, role: RoleName = ADMIN): Promise<Audit[]> {
  return (await t.as(role).audits(device)).filter((a) => a.action === auditActionName(action));
}

/** The scope of a device or work-profile step, for messages. */
export function lockPlace(scope: 'device' | 'workProfile'): string {
  return scope === 'device' ? 'device lock screen' : 'work profile';
}

/** Whether the place is locked in this truth. */
export function isLocked(truth: Truth, scope: 'device' | 'workProfile'): boolean | undefined {
  return scope === 'device' ? truth.lockScreen === 'locked' : truth.workProfile?.locked;
}

/** Describes a secret by its form only ("8 digits", "absent"), never by value. */
export function secretForm(value: string | null | undefined): string {
  if (value === undefined) return 'absent';
  if (value === null || value === '') return 'null';
  return /^\d+$/.test(value) ? `${value.length} digits` : `${value.length} characters`;
}
