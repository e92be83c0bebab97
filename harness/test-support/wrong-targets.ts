/**
 * Deliberately wrong MDMs for tests: `wrapFetch` wrappers for embeddedTarget() that rewrite
 * requests and responses around the reference app, each breaking one catalogue rule the way a
 * real vendor might. Use them to prove a check (scenario or fuzzer) catches the bug:
 *
 *   const target = await embeddedTarget({ seed: 1, wrapFetch: wrongTargets.locksAospWithoutPolicy });
 *
 * | wrapper                                | breaks   | what it does                                                         |
 * |----------------------------------------|----------|----------------------------------------------------------------------|
 * | reportsDoneForModernDeviceAdminReset   | DL-6     | resetPasscode on android-da-modern answers 204 and reads as `done`    |
 * | showsPasscodeAfterSevenDays            | TP-3     | the temporary passcode stays visible after the seven days             |
 * | locksAospWithoutPolicy                 | RL-2     | remoteLock on AOSP without a passcode policy reads as `done` (the device stays unlocked) |
 * | readOnlyMayReset                       | RB-3     | read-only-operator's resetPasscode runs as if helpdesk-operator sent it |
 * | badUnlockTokenRemovalDone              | IR-3     | an iOS removal that failed (bad unlock token) reads as `done`         |
 */
import type { ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';
import type { EmbeddedOptions } from '../targets.js';

export type AppFetch = (request: Request) => Promise<Response>;
export type WrapFetch = NonNullable<EmbeddedOptions['wrapFetch']>;

const DEVICE_PATH = /^\/(?:v1\.0|beta)\/deviceManagement\/managedDevices\/([^/?]+)\/?$/;
const DEVICES_PATH = /^\/(?:v1\.0|beta)\/deviceManagement\/managedDevices\/?$/;
const ACTION_PATH = /^\/(?:v1\.0|beta)\/deviceManagement\/managedDevices\/([^/?]+)\/(resetPasscode|remoteLock|wipe)\/?$/;
const AUDITS_PATH = /^\/(?:v1\.0|beta)\/deviceManagement\/remoteActionAudits\/?$/;

/** Roles the contract lets see temporary passcodes and PINs. */
const SECRET_ROLES = new Set(['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator']);

interface ResultEntry {
  actionName?: string;
  actionState?: string;
  passcode?: string | null;
  unlockPin?: string | null;
  errorCode?: number;
  startDateTime?: string;
}
interface DeviceEntry {
  id?: string;
  deviceActionResults?: ResultEntry[];
}
interface AuditEntry {
  managedDeviceId?: string;
  action?: string;
  actionState?: string;
}

function pathOf(request: Request): string {
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

function variantOf(mdm: ReferenceMdm, id: string | undefined): string | undefined {
  return id ? mdm.get(id)?.profile.facts.variant : undefined;
}

async function rewriteJson(response: Response, edit: (body: unknown) => boolean): Promise<Response> {
  if (response.status !== 200 || !(response.headers.get('content-type') ?? '').includes('json')) return response;
  const body = (await response.clone().json()) as unknown;
  if (!edit(body)) return response;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status: response.status, statusText: response.statusText, headers });
}

/** Calls `edit` on every managedDevice in a GET managedDevices/{id} or list answer. */
async function rewriteDevices(request: Request, response: Response, edit: (device: DeviceEntry) => boolean): Promise<Response> {
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

/** Calls `edit` on every Device actions list entry of a GET remoteActionAudits answer. */
async function rewriteAudits(request: Request, response: Response, edit: (audit: AuditEntry) => boolean): Promise<Response> {
  if (request.method !== 'GET' || !AUDITS_PATH.test(pathOf(request))) return response;
  return rewriteJson(response, (body) => {
    let changed = false;
    for (const a of (body as { value?: AuditEntry[] }).value ?? []) changed = edit(a) || changed;
    return changed;
  });
}

/** Rewrites one action's failed (or notSupported) result to done on devices `pick` chooses. */
function reportDone(mdm: ReferenceMdm, fetch: AppFetch, action: string, auditAction: string, pick: (id: string) => boolean, states: readonly string[]) {
  return async (request: Request): Promise<Response> => {
    const response = await fetch(request);
    const rewritten = await rewriteDevices(request, response, (device) => {
      if (!device.id || !pick(device.id)) return false;
      let changed = false;
      for (const r of device.deviceActionResults ?? []) {
        if (r.actionName === action && r.actionState && states.includes(r.actionState)) {
          r.actionState = 'done';
          r.errorCode = 0;
          changed = true;
        }
      }
      return changed;
    });
    return rewriteAudits(request, rewritten, (audit) => {
      if (!audit.managedDeviceId || !pick(audit.managedDeviceId) || audit.action !== auditAction) return false;
      if (!audit.actionState || !states.includes(audit.actionState)) return false;
      audit.actionState = 'done';
      return true;
    });
  };
}

/**
 * DL-6: an MDM that pretends device-administrator passcode reset still works on Android 7+:
 * POST resetPasscode on an android-da-modern device answers 204 instead of 400, and the
 * device's resetPasscode result (notSupported or failed) reads as `done`.
 */
export const reportsDoneForModernDeviceAdminReset: WrapFetch = (fetch, mdm) => {
  const modern = (id: string) => variantOf(mdm, id) === 'android-da-modern';
  const reads = reportDone(mdm, fetch, 'resetPasscode', 'resetPasscode', modern, ['notSupported', 'failed']);
  return async (request) => {
    const match = request.method === 'POST' ? ACTION_PATH.exec(pathOf(request)) : null;
    if (match?.[2] === 'resetPasscode' && modern(decodeURIComponent(match[1]!))) {
      const response = await fetch(request);
      return response.status === 400 ? new Response(null, { status: 204 }) : response;
    }
    return reads(request);
  };
};

/**
 * TP-3: an MDM that never hides a temporary passcode. Before each read it remembers every
 * reset passcode the reference still holds, and puts it back into the answer once the
 * reference has dropped it (for roles allowed to see passcodes).
 */
export const showsPasscodeAfterSevenDays: WrapFetch = (fetch, mdm) => {
  const remembered = new Map<string, { startDateTime: string; passcode: string }>();
  const remember = (id: string) => {
    const action = mdm.get(id)?.actions?.find((a) => a.actionName === 'resetPasscode');
    if (action?.passcode) remembered.set(id, { startDateTime: new Date(action.startedAt).toISOString(), passcode: action.passcode });
  };
  return async (request) => {
    const path = pathOf(request);
    const single = DEVICE_PATH.exec(path);
    if (request.method === 'GET' && single) remember(decodeURIComponent(single[1]!));
    else if (request.method === 'GET' && DEVICES_PATH.test(path)) for (const record of mdm.all()) remember(record.profile.id);
    const response = await fetch(request);
    if (!SECRET_ROLES.has(roleOf(request) ?? '')) return response;
    return rewriteDevices(request, response, (device) => {
      const kept = device.id ? remembered.get(device.id) : undefined;
      if (!kept) return false;
      let changed = false;
      for (const r of device.deviceActionResults ?? []) {
        if (r.actionName === 'resetPasscode' && r.actionState === 'done' && !r.passcode && r.startDateTime === kept.startDateTime) {
          r.passcode = kept.passcode;
          changed = true;
        }
      }
      return changed;
    });
  };
};

/**
 * RL-2: an MDM that reports a remote lock on an AOSP device without a device passcode policy
 * as `done`. The device itself still refused (its ground truth stays unlocked), so only the
 * management view lies.
 */
export const locksAospWithoutPolicy: WrapFetch = (fetch, mdm) => {
  const aospWithoutPolicy = (id: string) => {
    const facts = mdm.get(id)?.profile.facts;
    return !!facts && facts.variant.startsWith('aosp-') && !facts.passcodePolicy;
  };
  return reportDone(mdm, fetch, 'remoteLock', 'remoteLock', aospWithoutPolicy, ['failed']);
};

/**
 * RB-3: an MDM that lets a Read Only Operator reset passcodes: its resetPasscode request is
 * sent on with a helpdesk-operator token the wrapper fetched for itself.
 */
export const readOnlyMayReset: WrapFetch = (fetch) => {
  let helpdesk: string | null = null;
  const helpdeskToken = async (origin: string): Promise<string> => {
    if (helpdesk) return helpdesk;
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'helpdesk-operator', client_secret: 'helpdesk-operator' });
    const response = await fetch(new Request(`${origin}/oauth2/v2.0/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() }));
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error('readOnlyMayReset: the app refused the built-in helpdesk-operator client');
    helpdesk = body.access_token;
    return helpdesk;
  };
  return async (request) => {
    const match = request.method === 'POST' ? ACTION_PATH.exec(pathOf(request)) : null;
    if (match?.[2] !== 'resetPasscode' || roleOf(request) !== 'read-only-operator') return fetch(request);
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${await helpdeskToken(new URL(request.url).origin)}`);
    const body = await request.arrayBuffer();
    return fetch(new Request(request.url, { method: request.method, headers, body: body.byteLength ? body : null }));
  };
};

/** IR-3: an MDM that reports an iOS passcode removal that failed on a bad unlock token as `done`. */
export const badUnlockTokenRemovalDone: WrapFetch = (fetch, mdm) => {
  const badToken = (id: string) => {
    const facts = mdm.get(id)?.profile.facts;
    return facts?.variant === 'ios-device' && facts.unlockToken === 'bad';
  };
  return reportDone(mdm, fetch, 'resetPasscode', 'resetPasscode', badToken, ['failed']);
};

/** Every wrong target by name, for table-driven tests. */
export const WRONG_TARGETS = {
  reportsDoneForModernDeviceAdminReset,
  showsPasscodeAfterSevenDays,
  locksAospWithoutPolicy,
  readOnlyMayReset,
  badUnlockTokenRemovalDone,
} as const satisfies Record<string, WrapFetch>;

/** The requirement each wrong target breaks. */
export const WRONG_TARGET_BREAKS: Readonly<Record<keyof typeof WRONG_TARGETS, string>> = {
  reportsDoneForModernDeviceAdminReset: 'DL-6',
  showsPasscodeAfterSevenDays: 'TP-3',
  locksAospWithoutPolicy: 'RL-2',
  readOnlyMayReset: 'RB-3',
  badUnlockTokenRemovalDone: 'IR-3',
};
