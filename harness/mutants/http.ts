/**
 * Building blocks for mutants: rewrite what the reference answers (the admin's view lies),
 * refuse or accept requests it would not, or patch the reference's device handling (the
 * vendor sends the wrong command). Each mutant file composes these in a few lines.
 */
import type { DeviceFacts } from '../../simulator/device-facts.js';
import type { DeviceMachineEvent } from '../../simulator/device-events.js';
import { advanceDevice, groundTruth, type GroundTruth } from '../../simulator/device-runtime.js';
import type { DeviceRecord, ReferenceMdm, SimEvent } from '../../simulator/mdm/reference-mdm.js';
import { isRole } from '../../contract/roles.js';
import { mayAct } from '../../simulator/mdm/roles.js';
import type { AppFetch, WrapFetch } from './mutant.js';

export type ActionName = 'resetPasscode' | 'remoteLock' | 'wipe';

export const DEVICE_PATH = /^\/(?:v1\.0|beta)\/deviceManagement\/managedDevices\/([^/?]+)\/?$/;
export const DEVICES_PATH = /^\/(?:v1\.0|beta)\/deviceManagement\/managedDevices\/?$/;
export const ACTION_PATH = /^\/(?:v1\.0|beta)\/deviceManagement\/managedDevices\/([^/?]+)\/(resetPasscode|remoteLock|wipe)\/?$/;
export const AUDITS_PATH = /^\/(?:v1\.0|beta)\/deviceManagement\/remoteActionAudits\/?$/;
export const SIM_DEVICES_PATH = /^\/sim\/devices\/?$/;
export const SIM_EVENT_PATH = /^\/sim\/devices\/([^/?]+)\/events\/?$/;

/** Roles the contract lets see temporary passcodes and PINs. */
export const SECRET_ROLES = new Set(['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator']);

export interface ResultEntry {
  actionName?: string;
  actionState?: string;
  passcode?: string | null;
  unlockPin?: string | null;
  errorCode?: number;
  startDateTime?: string;
  lastUpdatedDateTime?: string;
}
export interface DeviceEntry {
  id?: string;
  deviceActionResults?: ResultEntry[];
}
export interface AuditEntry {
  managedDeviceId?: string;
  action?: string;
  actionState?: string;
}

export function pathOf(request: Request): string {
  return new URL(request.url).pathname;
}

/** The role claim of the request's bearer token (decoded, not verified: the app verifies). */
export function roleOf(request: Request): string | null {
  const token = /^Bearer\s+([^\s]+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  const payload = token?.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { role?: unknown };
    return typeof claims.role === 'string' ? claims.role : null;
  } catch {
    return null;
  }
}

export function factsOf(mdm: ReferenceMdm, id: string | undefined): DeviceFacts | undefined {
  return id ? mdm.get(id)?.profile.facts : undefined;
}

/** The leading number of an OS version ("7.1.2" is 7), or null. */
export function majorOf(facts: DeviceFacts): number | null {
  const match = /^(\d+)/.exec(facts.osVersion);
  return match ? Number(match[1]) : null;
}

/** The action request (POST managedDevices/{id}/{action}) this is, if any. */
export function actionRequest(request: Request): { id: string; action: ActionName } | null {
  const match = request.method === 'POST' ? ACTION_PATH.exec(pathOf(request)) : null;
  return match ? { id: decodeURIComponent(match[1]!), action: match[2] as ActionName } : null;
}

export async function rewriteJson(response: Response, edit: (body: unknown) => boolean): Promise<Response> {
  if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes('json')) return response;
  const body = (await response.clone().json()) as unknown;
  if (!edit(body)) return response;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
}

/** Calls `edit` on every managedDevice in a GET managedDevices/{id} or list answer. */
export async function rewriteDevices(request: Request, response: Response, edit: (device: DeviceEntry) => boolean): Promise<Response> {
  if (request.method !== 'GET') return response;
  const path = pathOf(request);
  if (DEVICE_PATH.test(path)) return rewriteJson(response, (body) => edit(body as DeviceEntry));
  if (DEVICES_PATH.test(path)) {
    return rewriteJson(response, (body) => {
      let changed = false;
      for (const d of (body as { value?: DeviceEntry[] }).value ?? []) changed = edit(d) || changed;
      return changed;
    });
  }
  return response;
}

/** Calls `edit` on every Device actions list entry of a GET remoteActionAudits answer; `edit` may return 'drop'. */
export async function rewriteAudits(request: Request, response: Response, edit: (audit: AuditEntry) => boolean | 'drop'): Promise<Response> {
  if (request.method !== 'GET' || !AUDITS_PATH.test(pathOf(request))) return response;
  return rewriteJson(response, (body) => {
    const list = body as { value?: AuditEntry[] };
    let changed = false;
    const kept: AuditEntry[] = [];
    for (const a of list.value ?? []) {
      const verdict = edit(a);
      if (verdict === 'drop') changed = true;
      else kept.push(a);
      changed = changed || verdict === true;
    }
    if (list.value) list.value = kept;
    return changed;
  });
}

/** Graph's error answer, as the reference gives it. */
export function graphError(status: number, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: { code, message, innerError: { 'request-id': 'mutant', date: new Date(0).toISOString() } } }), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

type Pick = (facts: DeviceFacts, id: string) => boolean;

/** Whether the request's role may take the action (the wrong MDM still checks roles first). */
function authorized(request: Request, action: ActionName): boolean {
  const role = roleOf(request);
  return isRole(role) && mayAct(role, action);
}

/** Answers an authorized POST {action} with 400 (never reaching the reference) on devices `pick` chooses. */
export function refuses(action: ActionName, pick: Pick): WrapFetch {
  return (fetch, mdm) => async (request) => {
    const hit = actionRequest(request);
    const facts = hit?.action === action ? factsOf(mdm, hit.id) : undefined;
    if (hit && facts && pick(facts, hit.id) && authorized(request, action)) return graphError(400, 'BadRequest', `${action} is not supported on this device`);
    return fetch(request);
  };
}

/** Answers POST {action} with `status` for the given role, whatever the reference says. */
export function answersRole(action: ActionName, role: string, status: number): WrapFetch {
  return (fetch) => async (request) => {
    const hit = actionRequest(request);
    if (hit?.action === action && roleOf(request) === role) return graphError(status, status === 403 ? 'Forbidden' : 'BadRequest', 'not allowed');
    return fetch(request);
  };
}

/** How the Device actions list names an action. */
export function auditName(action: ActionName): string {
  return action === 'wipe' ? 'factoryReset' : action;
}

/**
 * Rewrites one action's state in device reads and the Device actions list, on devices
 * `pick` chooses, from any of `from` to `to` (a secret is dropped unless the state is done).
 */
export function readsAs(action: ActionName, pick: Pick, from: readonly string[], to: string, options: { audits?: boolean } = {}): WrapFetch {
  return (fetch, mdm) => async (request) => {
    const chosen = (id: string | undefined) => {
      const facts = factsOf(mdm, id);
      return !!facts && pick(facts, id!);
    };
    const response = await fetch(request);
    const rewritten = await rewriteDevices(request, response, (device) => {
      if (!chosen(device.id)) return false;
      let changed = false;
      for (const r of device.deviceActionResults ?? []) {
        if (r.actionName === action && r.actionState && from.includes(r.actionState)) {
          r.actionState = to;
          r.errorCode = 0;
          if (to !== 'done') {
            if ('passcode' in r) r.passcode = null;
            if ('unlockPin' in r) r.unlockPin = null;
          }
          changed = true;
        }
      }
      return changed;
    });
    if (options.audits === false) return rewritten;
    return rewriteAudits(request, rewritten, (audit) => {
      if (!chosen(audit.managedDeviceId) || audit.action !== auditName(action)) return false;
      if (!audit.actionState || !from.includes(audit.actionState)) return false;
      audit.actionState = to;
      return true;
    });
  };
}

/** An unsupported action the wrong MDM accepts (204 instead of 400) and reports as `state`. */
export function acceptsUnsupported(action: ActionName, pick: Pick, state = 'done'): WrapFetch {
  return (fetch, mdm) => {
    const reads = readsAs(action, pick, ['notSupported', 'failed'], state)(fetch, mdm);
    return async (request) => {
      const hit = actionRequest(request);
      const facts = hit?.action === action ? factsOf(mdm, hit.id) : undefined;
      if (hit && facts && pick(facts, hit.id) && authorized(request, action)) {
        const response = await fetch(request);
        return response.status === 400 ? new Response(null, { status: 204 }) : response;
      }
      return reads(request);
    };
  };
}

/** Edits each deviceActionResults entry of `action` on chosen devices, as `viewer` roles see it. */
export function editsResults(action: ActionName, pick: Pick, edit: (entry: ResultEntry, facts: DeviceFacts, id: string) => boolean): WrapFetch {
  return (fetch, mdm) => async (request) => {
    const response = await fetch(request);
    return rewriteDevices(request, response, (device) => {
      const facts = factsOf(mdm, device.id);
      if (!facts || !pick(facts, device.id!)) return false;
      let changed = false;
      for (const r of device.deviceActionResults ?? []) if (r.actionName === action) changed = edit(r, facts, device.id!) || changed;
      return changed;
    });
  };
}

/** Chains wrappers: the first one listed sees the request first. */
export function compose(...wraps: WrapFetch[]): WrapFetch {
  return (fetch, mdm) => wraps.reduceRight<AppFetch>((inner, wrap) => wrap(inner, mdm), fetch);
}

// ---- Patching the reference's device handling ------------------------------------------

/** The device's ground truth right now (without pendingCommands). */
export function truthOf(mdm: ReferenceMdm, record: DeviceRecord): GroundTruth {
  return groundTruth(record.profile.facts.variant, record.snapshot, mdm.isOnline(record));
}

/** Hands the device an event the reference would not have sent (the wrong MDM's extra command). */
export function poke(record: DeviceRecord, event: DeviceMachineEvent): void {
  record.snapshot = advanceDevice(record.profile.facts.variant, record.snapshot, event).snapshot;
}

/** Runs `after` after every check-in of the reference, with the truth from before it. */
export function afterCheckIn(after: (mdm: ReferenceMdm, record: DeviceRecord, before: GroundTruth) => void): WrapFetch {
  return (fetch, mdm) => {
    const original = mdm.checkIn.bind(mdm);
    mdm.checkIn = (record: DeviceRecord) => {
      const before = truthOf(mdm, record);
      original(record);
      after(mdm, record, before);
    };
    return fetch;
  };
}

/** Runs `after` after every user or device event the reference took, with the truth from before it. */
export function afterEvent(after: (mdm: ReferenceMdm, record: DeviceRecord, event: SimEvent, before: GroundTruth) => void): WrapFetch {
  return (fetch, mdm) => {
    const original = mdm.deviceEvent.bind(mdm);
    mdm.deviceEvent = (id: string, event: SimEvent) => {
      const record = mdm.get(id);
      const before = record ? truthOf(mdm, record) : null;
      const outcome = original(id, event);
      if (record && before && outcome.kind === 'ok') after(mdm, record, event, before);
      return outcome.kind === 'ok' && record ? { kind: 'ok', truth: mdm.truthOf(record) } : outcome;
    };
    return fetch;
  };
}

/** Runs `after` on each device the simulation API enrolls. */
export function afterEnroll(after: (mdm: ReferenceMdm, record: DeviceRecord) => void): WrapFetch {
  return (fetch, mdm) => {
    const original = mdm.enroll.bind(mdm);
    mdm.enroll = (profile) => {
      const record = original(profile);
      after(mdm, record);
      return record;
    };
    return fetch;
  };
}

/** The device's latest action of a name, as the reference holds it. */
export function latestAction(record: DeviceRecord, action: ActionName) {
  return record.actions?.find((a) => a.actionName === action);
}
