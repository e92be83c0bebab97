/**
 * What real Graph clients rely on beyond the passcode rules: Graph's 401 code, $filter as admins
 * write it, the published managedDevice properties, and wipe's published parameters (GF-*).
 */
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
    const status = await t.as(ADMIN).wipe(d, { keepEnrollmentData: false, keepUserData: false, persistEsimDataPlan: true });
    t.check('GF-4', 'HTTP status of wipe with persistEsimDataPlan', status, 204);
  },
});

export const GRAPH_FIDELITY_SCENARIOS: readonly Scenario[] = [authenticationCode, adminFilters, publishedProperties, wipeParameters];
