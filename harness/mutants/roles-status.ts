/** Wrong MDMs on roles (RB-1 to RB-3) and action status (ST-1, ST-2). */
import { actionRequest, answersRole, AUDITS_PATH, DEVICES_PATH, pathOf, readsAs, rewriteAudits, rewriteJson, roleOf } from './http.js';
import { mutant, type MutantGroup, type WrapFetch } from './mutant.js';

/** RB-3, the original wrong target: a Read Only Operator's resetPasscode runs as if a helpdesk operator sent it. */
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
    if (actionRequest(request)?.action !== 'resetPasscode' || roleOf(request) !== 'read-only-operator') return fetch(request);
    const headers = new Headers(request.headers);
    headers.set('authorization', `Bearer ${await helpdeskToken(new URL(request.url).origin)}`);
    const body = await request.arrayBuffer();
    return fetch(new Request(request.url, { method: request.method, headers, body: body.byteLength ? body : null }));
  };
};

/** The Device actions list leaves out entries `drop` picks. */
const auditsDrop = (drop: (state: string | undefined) => boolean): WrapFetch => (fetch) => async (request) =>
  rewriteAudits(request, await fetch(request), (audit) => (drop(audit.actionState) ? 'drop' : false));

/** The Device actions list shows every entry as it was when requested (pending), never updated. */
const auditsFrozen: WrapFetch = (fetch) => async (request) =>
  rewriteAudits(request, await fetch(request), (audit) => {
    if (audit.actionState === 'pending' || audit.actionState === 'notSupported') return false;
    audit.actionState = 'pending';
    return true;
  });

/** Every page after the first loses its first entry (an off-by-one in the $skiptoken cursor). */
const pagingSkipsOne: WrapFetch = (fetch) => async (request) => {
  const response = await fetch(request);
  const url = new URL(request.url);
  if (request.method !== 'GET' || !url.searchParams.has('$skiptoken') || !(DEVICES_PATH.test(url.pathname) || AUDITS_PATH.test(url.pathname))) return response;
  return rewriteJson(response, (body) => {
    const list = body as { value?: unknown[] };
    if (!list.value?.length) return false;
    list.value = list.value.slice(1);
    return true;
  });
};

/** Lists answer without a token (an auth middleware mounted on single-device routes only). */
const listsWithoutToken: WrapFetch = (fetch) => async (request) => {
  const path = pathOf(request);
  if (request.method === 'GET' && !request.headers.get('authorization') && (DEVICES_PATH.test(path) || AUDITS_PATH.test(path))) {
    return new Response(JSON.stringify({ value: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
  }
  return fetch(request);
};

export const ROLES_STATUS_MUTANTS: MutantGroup = {
  name: 'roles-status',
  mutants: [
    mutant('RB-1', 'role-administrator-may-not-reset', 'answers 403 to a Role Administrator resetting a passcode', answersRole('resetPasscode', 'role-administrator', 403)),
    mutant('RB-1', 'global-administrator-not-mapped', 'maps only Intune roles: a Global Administrator gets 403 on resetPasscode', answersRole('resetPasscode', 'global-administrator', 403)),
    mutant('RB-2', 'school-administrator-may-not-reset', 'answers 403 to a School Administrator resetting a passcode', answersRole('resetPasscode', 'school-administrator', 403)),
    mutant('RB-3', 'read-only-operator-may-reset', 'lets a Read Only Operator reset passcodes', readOnlyMayReset),
    mutant('RB-3', 'lists-readable-without-token', 'answers the managedDevices and Device actions lists without a token', listsWithoutToken),
    mutant('ST-1', 'failed-actions-not-listed', 'leaves failed actions out of the Device actions list', auditsDrop((state) => state === 'failed')),
    mutant('ST-1', 'paging-skips-one', 'loses the first entry of every page after the first (an off-by-one $skiptoken)', pagingSkipsOne),
    mutant('ST-1', 'listed-state-never-updated', 'lists each action with the state it had when requested, never updated', auditsFrozen),
    mutant('ST-2', 'done-before-check-in', 'reports an action done as soon as it is sent, before the device checked in', readsAs('resetPasscode', () => true, ['pending'], 'done')),
  ],
};
