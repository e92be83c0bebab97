/** Wrong MDMs on Graph fidelity (GF-1 to GF-4): each is lockstep as it was before it spoke Graph's dialect. */
import { actionRequest, DEVICE_PATH, DEVICES_PATH, graphError, pathOf, rewriteJson } from './http.js';
import { mutant, type MutantGroup, type WrapFetch } from './mutant.js';

/** 401s carry code Unauthorized (the HTTP reason phrase), not Graph's InvalidAuthenticationToken. */
const unauthorizedCode: WrapFetch = (fetch) => async (request) => {
  const response = await fetch(request);
  if (response.status !== 401) return response;
  const body = (await response.clone().json().catch(() => null)) as { error?: { code?: string } } | null;
  if (!body?.error) return response;
  body.error.code = 'Unauthorized';
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status: 401, headers });
};

/** $filter takes only eq clauses joined by and: startswith, or, not and ne are 400. */
const eqOnlyFilter: WrapFetch = (fetch) => async (request) => {
  const url = new URL(request.url);
  const filter = url.searchParams.get('$filter');
  if (request.method === 'GET' && DEVICES_PATH.test(pathOf(request)) && filter && /\b(or|not|ne)\b|startswith\(/i.test(filter)) {
    return graphError(400, 'BadRequest', `Unsupported $filter '${filter}': only eq clauses joined by 'and'`);
  }
  return fetch(request);
};

/** startswith compares case-sensitively (a JavaScript startsWith on the raw value). */
const caseSensitiveStartswith: WrapFetch = (fetch) => async (request) => {
  const url = new URL(request.url);
  const filter = url.searchParams.get('$filter') ?? '';
  const prefix = /startswith\(\s*deviceName\s*,\s*'((?:[^']|'')*)'\s*\)/i.exec(filter)?.[1]?.replace(/''/g, "'");
  if (request.method !== 'GET' || !DEVICES_PATH.test(pathOf(request)) || prefix === undefined) return fetch(request);
  // Ask for the names too, then drop the devices whose name differs in case.
  const select = url.searchParams.get('$select');
  if (select) url.searchParams.set('$select', `${select},deviceName`);
  const response = await fetch(new Request(url, request));
  return rewriteJson(response, (body) => {
    const list = body as { value?: Array<Record<string, unknown>> };
    if (!list.value) return false;
    list.value = list.value.filter((d) => String(d.deviceName ?? '').startsWith(prefix));
    if (select) for (const d of list.value) delete d.deviceName;
    return true;
  });
};

/** Only the 17 properties of lockstep's first contract exist: $select of any other published one is 400. */
const FIRST_CONTRACT = new Set(['id', 'deviceName', 'operatingSystem', 'osVersion', 'deviceEnrollmentType', 'managedDeviceOwnerType', 'managementAgent', 'isSupervised', 'userPrincipalName', 'userDisplayName', 'serialNumber', 'imei', 'model', 'manufacturer', 'enrolledDateTime', 'lastSyncDateTime', 'deviceActionResults']);
const fewProperties: WrapFetch = (fetch) => async (request) => {
  const select = new URL(request.url).searchParams.get('$select');
  const path = pathOf(request);
  if (request.method === 'GET' && select && (DEVICE_PATH.test(path) || DEVICES_PATH.test(path))) {
    const unknown = select.split(',').map((p) => p.trim()).find((p) => !FIRST_CONTRACT.has(p));
    if (unknown) return graphError(400, 'BadRequest', `Invalid $select: '${unknown}' is not a property`);
  }
  return fetch(request);
};

/** wipe knows three parameters: persistEsimDataPlan (published on v1.0) is an unknown field, 400. */
const wipeWithoutEsim: WrapFetch = (fetch) => async (request) => {
  if (actionRequest(request)?.action !== 'wipe') return fetch(request);
  const text = await request.clone().text();
  if (text.includes('"persistEsimDataPlan"')) return graphError(400, 'BadRequest', "Unknown field 'persistEsimDataPlan' in the wipe request");
  return fetch(request);
};

export const GRAPH_FIDELITY_MUTANTS: MutantGroup = {
  name: 'graph-fidelity',
  mutants: [
    mutant('GF-1', 'unauthorized-code', "answers 401 with error code 'Unauthorized' instead of Graph's InvalidAuthenticationToken", unauthorizedCode),
    mutant('GF-2', 'eq-only-filter', 'takes only eq clauses joined by and in $filter: startswith, or, not and ne are 400', eqOnlyFilter),
    mutant('GF-2', 'case-sensitive-startswith', 'compares startswith(deviceName, ...) case-sensitively', caseSensitiveStartswith),
    mutant('GF-3', 'seventeen-properties', 'knows 17 managedDevice properties: $select=complianceState and the like are 400', fewProperties),
    mutant('GF-4', 'wipe-without-esim-parameter', "refuses wipe's published persistEsimDataPlan parameter as an unknown field", wipeWithoutEsim),
  ],
};
