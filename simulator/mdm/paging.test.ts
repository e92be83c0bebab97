import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './test-support/server.js';

let s: TestServer;
const FLEET = 12_000;

beforeAll(async () => {
  s = await startTestServer();
  // Over SYNC_FLEET_LIMIT: enrolled as an operation (202), polled until it succeeds.
  const r = await s.enrollFleet({ count: FLEET, seed: 99 });
  expect(r.status).toBe(202);
  expect(r.body).toMatchObject({ status: 'succeeded', count: FLEET, enrolled: FLEET, total: FLEET });
});
afterAll(() => s.close());

type Device = { id: string; operatingSystem: string; deviceEnrollmentType: string };

/** Follows nextLinks from `first`, calling `between` after each page. */
async function pageAll(first: string, between: (page: number) => Promise<void> = async () => {}) {
  const seen: Device[] = [];
  let path: string | null = first;
  let pages = 0;
  while (path) {
    const r = await s.req('read-only-operator', 'GET', path);
    expect(r.status, r.text).toBe(200);
    seen.push(...(r.body.value as Device[]));
    const next = r.body['@odata.nextLink'] as string | undefined;
    path = next ? new URL(next).pathname + new URL(next).search : null;
    pages++;
    if (path) await between(pages);
  }
  return { seen, pages };
}

const ids = (devices: readonly { id: string }[]) => devices.map((d) => d.id);
const enrolledIds = () => s.mdm.all().map((r) => r.profile.id);

describe('paging managedDevices', () => {
  it('pages a large fleet with $top=1000: every device once, in enrollment order, including devices enrolled between pages', async () => {
    const added: string[] = [];
    const { seen, pages } = await pageAll('/beta/deviceManagement/managedDevices?$top=1000&$select=id,operatingSystem', async (page) => {
      if (page === 3) added.push(await s.enroll({ variant: 'windows' }));
      if (page === 7) {
        const r = await s.sim('POST', '/sim/fleet', { count: 5, seed: 100, returnIds: true });
        added.push(...r.body.ids);
      }
    });
    expect(added).toHaveLength(6);
    expect(new Set(ids(seen)).size).toBe(seen.length);
    expect(ids(seen)).toEqual(enrolledIds());
    expect(ids(seen).slice(-6)).toEqual(added);
    expect(pages).toBe(Math.ceil((FLEET + 6) / 1000));
  });

  it('pages a filtered list (indexed; one and two clauses) with nothing missing or repeated, plus matching devices enrolled mid-paging', async () => {
    const wantWindows = () => s.mdm.all().filter((r) => r.profile.operatingSystem === 'Windows').map((r) => r.profile.id);
    const added: string[] = [];
    const { seen } = await pageAll("/v1.0/deviceManagement/managedDevices?$top=1000&$filter=operatingSystem eq 'Windows'", async (page) => {
      if (page === 1) {
        added.push(await s.enroll({ variant: 'windows' }));
        await s.enroll({ variant: 'macos' });
      }
    });
    expect(seen.every((d) => d.operatingSystem === 'Windows')).toBe(true);
    expect(ids(seen)).toEqual(wantWindows());
    expect(ids(seen)).toContain(added[0]);
    expect(seen.length).toBeGreaterThan(3000);

    const two = "operatingSystem eq 'android' and deviceEnrollmentType eq 'androidEnterpriseFullyManaged'";
    const want = s.mdm
      .all()
      .filter((r) => r.profile.operatingSystem === 'Android' && r.profile.deviceEnrollmentType === 'androidEnterpriseFullyManaged')
      .map((r) => r.profile.id);
    const paged = await pageAll(`/beta/deviceManagement/managedDevices?$top=97&$count=true&$filter=${encodeURIComponent(two)}`);
    expect(ids(paged.seen)).toEqual(want);
    const counted = await s.req('read-only-operator', 'GET', `/beta/deviceManagement/managedDevices?$top=1&$count=true&$filter=${encodeURIComponent(two)}`);
    expect(counted.body['@odata.count']).toBe(want.length);
  });

  it('counts, selects and filters on every indexed field, with quotes escaped', async () => {
    const all = await s.req('read-only-operator', 'GET', '/beta/deviceManagement/managedDevices?$count=true&$top=5&$select=id,deviceName');
    expect(all.body['@odata.count']).toBe(s.mdm.size);
    expect(all.body.value).toHaveLength(5);
    expect(Object.keys(all.body.value[0])).toEqual(['id', 'deviceName']);
    expect(all.body['@odata.context']).toMatch(/#deviceManagement\/managedDevices\(id,deviceName\)$/);

    const id = await s.enroll({ variant: 'android-da-legacy', deviceName: "O'Brien's Pixel", osVersion: '5.1' });
    const byName = await s.req('read-only-operator', 'GET', `/beta/deviceManagement/managedDevices?$filter=${encodeURIComponent("deviceName eq 'O''Brien''s Pixel'")}`);
    expect(ids(byName.body.value)).toEqual([id]);
    const sample = s.mdm.deviceAt(42)!.profile;
    for (const field of ['operatingSystem', 'deviceEnrollmentType', 'managedDeviceOwnerType', 'osVersion', 'deviceName'] as const) {
      const value = sample[field];
      const r = await s.req('read-only-operator', 'GET', `/beta/deviceManagement/managedDevices?$top=1000&$count=true&$filter=${encodeURIComponent(`${field} eq '${value.replace(/'/g, "''")}'`)}`);
      expect(r.status).toBe(200);
      const expected = s.mdm.all().filter((d) => d.profile[field].toLowerCase() === value.toLowerCase()).length;
      expect(r.body['@odata.count']).toBe(expected);
      expect(r.body.value.length).toBe(Math.min(1000, expected));
    }
    const none = await s.req('read-only-operator', 'GET', "/beta/deviceManagement/managedDevices?$count=true&$filter=osVersion eq '1.0' and operatingSystem eq 'iOS'");
    expect(none.body).toMatchObject({ '@odata.count': 0, value: [] });
    expect(none.body['@odata.nextLink']).toBeUndefined();
  });

  it.each([
    ['$top=0', /\$top/],
    ['$top=1001', /\$top/],
    ['$top=abc', /\$top/],
    ['$top=1.5', /\$top/],
    ['$top=-1', /\$top/],
    ['$top=1&$top=2', /more than once/],
    ['$count=yes', /\$count/],
    ['$select=id,secretSauce', /Could not find a property named 'secretSauce' on type 'microsoft.graph.managedDevice'/],
    ['$select=', /empty property name/],
    ['$filter=' + encodeURIComponent("osVersion gt '14'"), /operator 'gt' is not supported/],
    ['$filter=' + encodeURIComponent("lastSyncDateTime eq 'X'"), /must be a DateTimeOffset literal/],
    ['$filter=' + encodeURIComponent("isEncrypted eq true"), /filtering on 'isEncrypted' is not supported/],
    ['$filter=' + encodeURIComponent("colour eq 'red'"), /^Could not find a property named 'colour' on type 'microsoft.graph.managedDevice'\./],
    ['$filter=' + encodeURIComponent('operatingSystem eq iOS'), /string literal/],
    ['$filter=' + encodeURIComponent("operatingSystem eq 'iOS' xor operatingSystem eq 'macOS'"), /unexpected 'xor/],
    ['$filter=' + encodeURIComponent("(operatingSystem eq 'iOS'"), /expected '\)'/],
    ['$filter=' + encodeURIComponent("operatingSystem eq 'iOS"), /unterminated/],
    ['$filter=' + encodeURIComponent("startswith(deviceName)"), /expected ','/],
    ['$filter=', /expected a property name/],
    ['$skiptoken=garbage!', /Invalid \$skiptoken/],
    ['$skiptoken=' + Buffer.from('d.0.99999999').toString('base64url'), /Invalid \$skiptoken/],
    ['$skiptoken=' + Buffer.from('a.0.1').toString('base64url'), /Invalid \$skiptoken/],
    ['$orderby=deviceName', /'\$orderby' is not supported here; supported: \$top, \$skiptoken, \$filter, \$select, \$count/],
    ['$expand=x', /not supported/],
  ])('?%s is 400 BadRequest', async (query, message) => {
    const r = await s.req('read-only-operator', 'GET', `/beta/deviceManagement/managedDevices?${query}`);
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('BadRequest');
    expect(r.body.error.message).toMatch(message);
  });

  it('filters with or, not, ne and startswith exactly as a scan of the fleet would, paged and counted', async () => {
    const profiles = s.mdm.all().map((r) => r.profile);
    const sample = profiles[123]!;
    const prefix = sample.deviceName.slice(0, 4);
    const cases: Array<[string, (p: (typeof profiles)[number]) => boolean]> = [
      [`startswith(deviceName,'${prefix.toUpperCase()}')`, (p) => p.deviceName.toLowerCase().startsWith(prefix.toLowerCase())],
      ["operatingSystem eq 'iOS' or operatingSystem eq 'macOS'", (p) => p.operatingSystem === 'iOS' || p.operatingSystem === 'macOS'],
      [`serialNumber eq '${sample.serialNumber}' or userPrincipalName eq '${sample.userPrincipalName}'`, (p) => p.serialNumber === sample.serialNumber || p.userPrincipalName.toLowerCase() === sample.userPrincipalName.toLowerCase()],
      ["not (operatingSystem eq 'Windows') and managedDeviceOwnerType ne 'company'", (p) => p.operatingSystem !== 'Windows' && p.managedDeviceOwnerType !== 'company'],
    ];
    for (const [filter, want] of cases) {
      const expected = profiles.filter(want).map((p) => p.id);
      expect(expected.length, filter).toBeGreaterThan(0);
      const { seen } = await pageAll(`/beta/deviceManagement/managedDevices?$top=500&$select=id&$filter=${encodeURIComponent(filter)}`);
      expect(ids(seen), filter).toEqual(expected);
      const counted = await s.req('read-only-operator', 'GET', `/v1.0/deviceManagement/managedDevices?$top=1&$count=true&$filter=${encodeURIComponent(filter)}`);
      expect(counted.body['@odata.count'], filter).toBe(expected.length);
    }
    // azureADDeviceId is derived, not stored: a device is found by the value it shows.
    const shown = await s.req('read-only-operator', 'GET', `/v1.0/deviceManagement/managedDevices/${sample.id}?$select=azureADDeviceId`);
    const found = await s.req('read-only-operator', 'GET', `/v1.0/deviceManagement/managedDevices?$select=id&$filter=${encodeURIComponent(`azureADDeviceId eq '${shown.body.azureADDeviceId}'`)}`);
    expect(ids(found.body.value)).toEqual([sample.id]);
  });

  it('compares lastSyncDateTime and enrolledDateTime with ge, le, gt, lt, eq, ne (unquoted DateTimeOffset), scanned, alone and with other clauses', async () => {
    const records = s.mdm.all();
    const syncs = records.map((r) => s.mdm.lastSyncAt(r)).sort((a, b) => a - b);
    const mid = syncs[Math.floor(syncs.length / 2)]!;
    const iso = (ms: number) => new Date(ms).toISOString();
    const sample = records[321]!;
    const cases: Array<[string, (r: (typeof records)[number]) => boolean]> = [
      [`lastSyncDateTime ge ${iso(mid)}`, (r) => s.mdm.lastSyncAt(r) >= mid],
      [`lastSyncDateTime le ${iso(mid)} and operatingSystem eq 'iOS'`, (r) => s.mdm.lastSyncAt(r) <= mid && r.profile.operatingSystem === 'iOS'],
      [`enrolledDateTime eq ${iso(sample.enrolledAt)} or lastSyncDateTime gt ${iso(mid)}`, (r) => r.enrolledAt === sample.enrolledAt || s.mdm.lastSyncAt(r) > mid],
      [`not (lastSyncDateTime lt ${iso(mid).replace('Z', '+00:00')}) and enrolledDateTime ne 1999-01-01T00:00:00Z`, (r) => s.mdm.lastSyncAt(r) >= mid],
    ];
    for (const [filter, want] of cases) {
      const expected = records.filter(want).map((r) => r.profile.id);
      expect(expected.length, filter).toBeGreaterThan(0);
      const { seen } = await pageAll(`/v1.0/deviceManagement/managedDevices?$top=1000&$select=id&$filter=${encodeURIComponent(filter)}`);
      expect(ids(seen), filter).toEqual(expected);
    }
    for (const [filter, message] of [
      [`lastSyncDateTime ge '2026-01-01T00:00:00Z'`, /DateTimeOffset literal without quotes/],
      ['lastSyncDateTime ge 2026-01-01', /DateTimeOffset literal/],
      ['startswith(lastSyncDateTime,\'2026\')', /filtering on 'lastSyncDateTime' is not supported/],
      ["deviceName gt 'a'", /operator 'gt' is not supported/],
      ["contains(deviceName,'a')", /function 'contains' is not supported/],
      ["deviceName in ('a','b')", /operator 'in' is not supported/],
    ] as const) {
      const r = await s.req('read-only-operator', 'GET', `/v1.0/deviceManagement/managedDevices?$filter=${encodeURIComponent(filter)}`);
      expect(r.status, filter).toBe(400);
      expect(r.body.error.message, filter).toMatch(message);
    }
  });

  it("takes option names case-insensitively, and on beta without their '$', as Graph documents", async () => {
    const beta = await s.req('read-only-operator', 'GET', '/beta/deviceManagement/managedDevices?top=2&Select=id&count=true');
    expect(beta.body.value).toHaveLength(2);
    expect(Object.keys(beta.body.value[0])).toEqual(['id']);
    expect(beta.body['@odata.count']).toBe(s.mdm.size);
    const next = new URL(beta.body['@odata.nextLink']);
    const token = next.searchParams.get('$skiptoken')!;
    const second = await s.req('read-only-operator', 'GET', `/beta/deviceManagement/managedDevices?$Top=2&$select=id&$skipToken=${token}`);
    expect(ids(second.body.value)).toEqual(enrolledIds().slice(2, 4));
    expect((await s.req('read-only-operator', 'GET', '/v1.0/deviceManagement/managedDevices?$TOP=3&$select=id')).body.value).toHaveLength(3);
    // v1.0 keeps the '$': a bare 'top' is an ordinary parameter there, ignored.
    expect((await s.req('read-only-operator', 'GET', '/v1.0/deviceManagement/managedDevices?top=3&$select=id')).body.value).toHaveLength(100);
    expect((await s.req('read-only-operator', 'GET', '/beta/deviceManagement/managedDevices?top=1&$top=2')).status).toBe(400);
  });

  it('ignores query parameters that are not system query options, like Graph', async () => {
    expect((await s.req('read-only-operator', 'GET', '/beta/deviceManagement/managedDevices?$top=1&api-version=1')).status).toBe(200);
  });

  it('a skiptoken from before DELETE /sim/fleet is refused; the list is empty after it', async () => {
    const first = await s.req('read-only-operator', 'GET', '/beta/deviceManagement/managedDevices?$top=10');
    const next = new URL(first.body['@odata.nextLink']);
    expect((await s.sim('DELETE', '/sim/fleet')).status).toBe(204);
    const stale = await s.req('read-only-operator', 'GET', next.pathname + next.search);
    expect(stale.status).toBe(400);
    expect(stale.body.error.message).toMatch(/cleared/);
    const empty = await s.req('read-only-operator', 'GET', "/beta/deviceManagement/managedDevices?$count=true&$filter=operatingSystem eq 'Windows'");
    expect(empty.body).toMatchObject({ '@odata.count': 0, value: [] });
    const id = await s.enroll({ variant: 'windows' });
    const after = await s.req('read-only-operator', 'GET', "/beta/deviceManagement/managedDevices?$filter=operatingSystem eq 'Windows'");
    expect(ids(after.body.value)).toEqual([id]);
  });
});
