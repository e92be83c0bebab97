/** Wrong MDMs on the published managedDevice (GF-3), the version split (GF-5) and action parameters (GF-6). */
import { actionRequest, AUDITS_PATH, DEVICE_PATH, DEVICES_PATH, pathOf, rewriteDevices } from './http.js';
import { WIPE_FIELDS } from '../../simulator/mdm/management-routes.js';
import { mutant, type MutantGroup, type WrapFetch } from './mutant.js';

/** The same request, sent to beta instead of v1.0. */
function onBeta(request: Request): Request {
  const url = new URL(request.url);
  url.pathname = url.pathname.replace(/^\/v1\.0\//, '/beta/');
  return new Request(url, request);
}

const isV1 = (request: Request) => pathOf(request).startsWith('/v1.0/');

/** remoteActionAudits answered on v1.0 as on beta (one handler for both versions). */
const auditsOnV1: WrapFetch = (fetch) => (request) => (isV1(request) && AUDITS_PATH.test(pathOf(request)) ? fetch(onBeta(request)) : fetch(request));

/** v1.0 managedDevices answered from beta's model: beta-only properties appear and can be selected. */
const betaModelOnV1: WrapFetch = (fetch) => (request) => {
  const path = pathOf(request);
  return request.method === 'GET' && isV1(request) && (DEVICE_PATH.test(path) || DEVICES_PATH.test(path)) ? fetch(onBeta(request)) : fetch(request);
};

/** On these actions, members of the body outside `allowed` are ignored (dropped) instead of refused. */
const laxParameters = (allowed: Record<string, readonly string[]>): WrapFetch => (fetch) => async (request) => {
  const act = actionRequest(request);
  if (!act || !(act.action in allowed)) return fetch(request);
  const text = await request.clone().text();
  let body: unknown;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    return fetch(request);
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return fetch(request);
  const kept = Object.fromEntries(Object.entries(body).filter(([k]) => allowed[act.action]?.includes(k)));
  const headers = new Headers(request.headers);
  headers.delete('content-length');
  const stripped = Object.keys(kept).length === 0 ? { body: null } : { body: JSON.stringify(kept) };
  if (stripped.body === null) headers.delete('content-type');
  return fetch(new Request(request.url, { method: 'POST', headers, ...stripped }));
};

/** Without $select, the properties it never fills (nulls, empty strings) are left out instead of written. */
const omitsEmptyProperties: WrapFetch = (fetch) => async (request) => {
  const response = await fetch(request);
  if (new URL(request.url).searchParams.has('$select')) return response;
  return rewriteDevices(request, response, (device) => {
    const entry = device as Record<string, unknown>;
    let changed = false;
    for (const [k, v] of Object.entries(entry)) {
      if (v === null || v === '') {
        delete entry[k];
        changed = true;
      }
    }
    return changed;
  });
};


export const GRAPH_SCHEMA_MUTANTS: MutantGroup = {
  name: 'graph-schema',
  mutants: [
    mutant('GF-3', 'omits-empty-properties', 'leaves out the published properties it has no value for (null or empty) instead of writing them', omitsEmptyProperties),
    mutant('GF-5', 'audits-on-v1', 'serves remoteActionAudits on v1.0 too (Graph has it on beta only)', auditsOnV1),
    mutant('GF-5', 'beta-model-on-v1', "answers v1.0 managedDevices from beta's model: deviceType and the other beta-only properties show and select on v1.0", betaModelOnV1),
    mutant('GF-6', 'ignores-unknown-parameters', 'drops parameters an action does not publish and carries the action out', laxParameters({ wipe: WIPE_FIELDS, resetPasscode: [], remoteLock: [] })),
    mutant('GF-6', 'reset-takes-wipe-parameters', "accepts wipe's parameters on resetPasscode and remoteLock (one body schema for all actions)", laxParameters({ resetPasscode: WIPE_FIELDS, remoteLock: WIPE_FIELDS })),
  ],
};
