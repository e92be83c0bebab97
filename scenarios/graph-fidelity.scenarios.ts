/**
 * What real Graph clients rely on beyond the passcode rules: Graph's 401 code, $filter as admins
 * write it, the published managedDevice properties, wipe's published parameters, the v1.0/beta
 * split and refused unknown action parameters (GF-*).
 */
import { MANAGED_DEVICE_BETA_ONLY_PROPERTIES, MANAGED_DEVICE_V1_PROPERTIES } from '../contract/graph-managed-device.js';
import { scenario, type Device, type Scenario, type ScenarioContext } from './dsl.js';
import { ADMIN } from './steps.js';

interface List {
  value?: Array<Record<string, unknown>>;
  '@odata.nextLink'?: string;
}

/** The ids a filtered list answers (every page), or the HTTP status when a page is not 200. */
async function filteredIds(t: ScenarioContext, filter: string): Promise<string[] | number> {
  const ids: string[] = [];
  let path: string | undefined = `/managedDevices?$select=id&$top=100&$filter=${encodeURIComponent(filter)}`;
  for (let pages = 0; path && pages < 50; pages++) {
    const reply = await t.as(ADMIN).get(path);
    if (reply.status !== 200) return reply.status;
    const page = reply.body as List;
    ids.push(...(page.value ?? []).map((d) => String(d.id)));
    path = page['@odata.nextLink'];
  }
  return ids;
}

const sorted = (ids: readonly string[]) => [...ids].sort();
const show = (result: string[] | number) => (typeof result === 'number' ? `HTTP ${result}` : `${result.length} devices`);

const authenticationCode = scenario({
  id: 'graph/401-invalid-authentication-token',
  title: "A request without a token gets Graph's 401: error code InvalidAuthenticationToken",
  area: 'graph-fidelity',
  requirements: ['GF-1'],
  tags: ['graph', 'auth', 'no-token'],
  async run(t) {
    const reply = await t.as(null).get('/managedDevices?$top=1');
    t.check('GF-1', 'HTTP status without a token', reply.status, 401);
    const code = (reply.body as { error?: { code?: unknown } } | undefined)?.error?.code;
    t.check('GF-1', 'error.code of the 401', code, 'InvalidAuthenticationToken');
  },
});

const adminFilters = scenario({
  id: 'graph/filter/startswith-or-not-ne',
  title: "$filter as admins write it: startswith(deviceName,'…'), or, not, ne, and serialNumber eq: exactly the matching devices",
  area: 'graph-fidelity',
  requirements: ['GF-2'],
  tags: ['graph', 'lists', 'filter'],
  async run(t) {
    const tag = `GF2-${t.seed.toString(36)}`;
    const names = [`${tag}-Alpha`, `${tag}-Beta`, `${tag.toLowerCase()}-gamma`];
    const devices: Device[] = [];
    for (const [i, deviceName] of names.entries()) devices.push(await t.enroll({ variant: i === 1 ? 'windows' : 'ios-device', deviceName }));
    const [alpha, beta, gamma] = devices.map((d) => d.id) as [string, string, string];
    const cases: Array<[string, string[]]> = [
      [`startswith(deviceName,'${tag}-')`, [alpha, beta, gamma]],
      [`deviceName eq '${names[0]}' or deviceName eq '${names[1]}'`, [alpha, beta]],
      [`startswith(deviceName,'${tag}') and not (deviceName eq '${names[0]}')`, [beta, gamma]],
      [`startswith(deviceName,'${tag}') and operatingSystem ne 'Windows'`, [alpha, gamma]],
    ];
    for (const [filter, want] of cases) {
      const got = await filteredIds(t, filter);
      t.checkThat('GF-2', `$filter=${filter}`, typeof got !== 'number' && sorted(got).join() === sorted(want).join(), `${want.length} devices, exactly the matching ones`, show(got));
    }
    const one = await t.as(ADMIN).get(`/managedDevices/${alpha}?$select=serialNumber`);
    const serial = String((one.body as { serialNumber?: unknown } | undefined)?.serialNumber ?? '');
    const bySerial = await filteredIds(t, `serialNumber eq '${serial.replace(/'/g, "''")}'`);
    t.checkThat('GF-2', 'serialNumber eq finds the device', typeof bySerial !== 'number' && bySerial.includes(alpha), `a list with ${alpha}`, show(bySerial));
  },
});

/** Published v1.0 properties that scripts select and that go beyond the passcode actions. */
const PUBLISHED = ['complianceState', 'azureADDeviceId', 'managementState', 'isEncrypted', 'totalStorageSpaceInBytes', 'enrolledDateTime', 'userPrincipalName'];

const publishedProperties = scenario({
  id: 'graph/select/published-properties',
  title: 'Published v1.0 managedDevice properties can be named in $select and are answered',
  area: 'graph-fidelity',
  requirements: ['GF-3'],
  tags: ['graph', 'select'],
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed' });
    const reply = await t.as(ADMIN).get(`/managedDevices/${d.id}?$select=${PUBLISHED.join(',')}`);
    t.check('GF-3', `HTTP status of $select=${PUBLISHED.join(',')}`, reply.status, 200);
    const body = (reply.body ?? {}) as Record<string, unknown>;
    const missing = PUBLISHED.filter((p) => !(p in body));
    t.checkThat('GF-3', 'every selected property is in the answer', missing.length === 0, PUBLISHED.join(', '), missing.length ? `missing ${missing.join(', ')}` : 'all present');
    const list = await t.as(ADMIN).get(`/managedDevices?$top=1&$select=complianceState`);
    t.check('GF-3', 'HTTP status of the list with $select=complianceState', list.status, 200);
    // Every published v1.0 property, on v1.0: written without $select, and selectable all at once.
    const full = await t.as(ADMIN).get(`/managedDevices/${d.id}`, 'v1.0');
    const absent = MANAGED_DEVICE_V1_PROPERTIES.filter((p) => !(p in ((full.body ?? {}) as Record<string, unknown>)));
    t.checkThat('GF-3', 'published v1.0 properties missing from a v1.0 managedDevice', full.status === 200 && absent.length === 0, `none of ${MANAGED_DEVICE_V1_PROPERTIES.length} (HTTP 200)`, `HTTP ${full.status}${absent.length ? `, missing ${absent.join(', ')}` : ''}`);
    const all = await t.as(ADMIN).get(`/managedDevices/${d.id}?$select=${MANAGED_DEVICE_V1_PROPERTIES.join(',')}`, 'v1.0');
    t.check('GF-3', 'HTTP status of v1.0 $select of every published property', all.status, 200);
  },
});

const wipeParameters = scenario({
  id: 'graph/wipe/published-parameters',
  title: 'wipe with its published parameters, persistEsimDataPlan included, is accepted',
  area: 'graph-fidelity',
  requirements: ['GF-4'],
  tags: ['graph', 'wipe'],
  action: 'wipe',
  async run(t) {
    const d = await t.enroll({ variant: 'ae-fully-managed' });
    const body = { keepEnrollmentData: false, keepUserData: false, persistEsimDataPlan: true };
    const reply = await t.as(ADMIN).post(`/managedDevices/${d.id}/wipe`, body, 'v1.0');
    t.check('GF-4', 'HTTP status of v1.0 wipe with persistEsimDataPlan', reply.status, 204);
  },
});

const BETA_ONLY: readonly string[] = MANAGED_DEVICE_BETA_ONLY_PROPERTIES;
const errorCode = (body: unknown) => String((body as { error?: { code?: unknown } } | undefined)?.error?.code ?? '(none)');

const versionSplit = scenario({
  id: 'graph/versions/v1-beta-split',
  title: 'v1.0 serves what v1.0 publishes: no remoteActionAudits and no beta-only properties; beta has both',
  area: 'graph-fidelity',
  requirements: ['GF-5'],
  tags: ['graph', 'versions', 'select'],
  async run(t) {
    const d = await t.enroll({ variant: 'windows' });
    const admin = t.as(ADMIN);
    const v1Audits = await admin.get('/remoteActionAudits?$top=1', 'v1.0');
    t.checkOneOf('GF-5', 'HTTP status of GET v1.0 remoteActionAudits (beta only)', v1Audits.status, [400, 404]);
    const betaAudits = await admin.get('/remoteActionAudits?$top=1', 'beta');
    t.check('GF-5', 'HTTP status of GET beta remoteActionAudits', betaAudits.status, 200);
    const v1Device = await admin.get(`/managedDevices/${d.id}`, 'v1.0');
    const leaked = BETA_ONLY.filter((p) => p in ((v1Device.body ?? {}) as Record<string, unknown>));
    t.checkThat('GF-5', 'beta-only properties in a v1.0 managedDevice', v1Device.status === 200 && leaked.length === 0, 'none (HTTP 200)', `HTTP ${v1Device.status}${leaked.length ? `, with ${leaked.join(', ')}` : ''}`);
    const v1Select = await admin.get(`/managedDevices/${d.id}?$select=deviceType`, 'v1.0');
    t.check('GF-5', 'HTTP status of v1.0 $select=deviceType (beta only)', v1Select.status, 400);
    t.check('GF-5', 'error.code of v1.0 $select=deviceType', errorCode(v1Select.body), 'BadRequest');
    const betaSelect = await admin.get(`/managedDevices/${d.id}?$select=deviceType`, 'beta');
    t.check('GF-5', 'HTTP status of beta $select=deviceType', betaSelect.status, 200);
  },
});

const unknownParameters = scenario({
  id: 'graph/actions/unknown-parameters',
  title: 'An action body with a parameter the action does not publish is 400 BadRequest and nothing is done',
  area: 'graph-fidelity',
  requirements: ['GF-6'],
  tags: ['graph', 'wipe', 'reset'],
  async run(t) {
    // A device every action is supported on, so a wrongly accepted body shows as 204, not notSupported.
    const d = await t.enroll({ variant: 'ios-device' });
    const admin = t.as(ADMIN);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['wipe', { keepUserData: false, eraseSdCard: true }],
      ['resetPasscode', { keepUserData: true }],
      ['remoteLock', { message: 'lost' }],
    ];
    for (const [action, body] of cases) {
      for (const version of ['v1.0', 'beta'] as const) {
        const reply = await admin.post(`/managedDevices/${d.id}/${action}`, body, version);
        t.check('GF-6', `HTTP status of ${version} ${action} with ${Object.keys(body).join(', ')}`, reply.status, 400);
        t.check('GF-6', `error.code of ${version} ${action} with an unknown parameter`, errorCode(reply.body), 'BadRequest');
      }
    }
    for (const action of ['wipe', 'resetPasscode', 'remoteLock'] as const) {
      const result = await admin.actionResult(d, action);
      t.check('GF-6', `${action} result after refused requests`, result?.actionState ?? 'none', 'none');
    }
  },
});

export const GRAPH_FIDELITY_SCENARIOS: readonly Scenario[] = [authenticationCode, adminFilters, publishedProperties, wipeParameters, versionSplit, unknownParameters];
