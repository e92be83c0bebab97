import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateFleet } from '../fleet-generator.js';
import { AuditIndex, DeviceIndex, lowerBound, type Page } from './list-index.js';
import { decodeSkipToken, encodeSkipToken, parseFilter, parseFilterExpression, type FilterClause } from './odata-query.js';
import { ReferenceMdm, type DeviceRecord } from './reference-mdm.js';
import { DEVICE_FILTER_FIELDS, filterValue, type DeviceFilterField } from './serialize.js';

describe('parseFilter', () => {
  it('parses eq clauses joined by and, with escaped quotes and loose case', () => {
    expect(parseFilter("operatingSystem eq 'iOS'", DEVICE_FILTER_FIELDS)).toEqual([{ field: 'operatingSystem', value: 'iOS' }]);
    expect(parseFilter("  OperatingSystem EQ 'Android'  AND deviceName eq 'Bob''s ''phone'''", DEVICE_FILTER_FIELDS)).toEqual([
      { field: 'operatingSystem', value: 'Android' },
      { field: 'deviceName', value: "Bob's 'phone'" },
    ]);
    expect(parseFilter("deviceName eq ''", DEVICE_FILTER_FIELDS)).toEqual([{ field: 'deviceName', value: '' }]);
  });

  it('never throws anything but a 400 GraphError on garbage (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        try {
          parseFilter(text, DEVICE_FILTER_FIELDS);
        } catch (error) {
          expect((error as { status?: number }).status).toBe(400);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('skiptoken', () => {
  it('round-trips and is bound to the list kind, the fleet epoch and the current size', () => {
    const spec = { kind: 'd' as const, filterFields: [], selectFields: [], epoch: 2, maxCursor: 500 };
    expect(decodeSkipToken(encodeSkipToken('d', 2, 420), spec)).toBe(420);
    expect(() => decodeSkipToken(encodeSkipToken('a', 2, 420), spec)).toThrow(/Invalid/);
    expect(() => decodeSkipToken(encodeSkipToken('d', 1, 420), spec)).toThrow(/cleared/);
    expect(() => decodeSkipToken(encodeSkipToken('d', 2, 501), spec)).toThrow(/Invalid/);
  });
});

describe('DeviceIndex', () => {
  const mdm = new ReferenceMdm();
  for (const p of generateFleet({ count: 400, seed: 11, mix: { windows: 2, macos: 1, 'ios-device': 2, 'ae-fully-managed': 1, 'android-da-modern': 1 } })) mdm.enroll(p);
  const index = new DeviceIndex(mdm);
  const values = (field: DeviceFilterField) => [...new Set(mdm.all().map((r) => filterValue(mdm, r, field)))];

  it('lowerBound finds the first position at or above the target', () => {
    expect(lowerBound([1, 3, 5, 7], 0)).toBe(0);
    expect(lowerBound([1, 3, 5, 7], 4)).toBe(2);
    expect(lowerBound([1, 3, 5, 7], 5)).toBe(2);
    expect(lowerBound([1, 3, 5, 7], 8)).toBe(4);
  });

  it('pages exactly the devices a naive scan selects, in order, for any clauses and page size (property)', () => {
    const clause = fc.constantFrom(...DEVICE_FILTER_FIELDS).chain((field) =>
      fc.oneof(fc.constantFrom(...values(field)), fc.constant('no-such-value')).map((value): FilterClause => ({ field, value: Math.random() < 0.5 ? value.toUpperCase() : value })),
    );
    fc.assert(
      fc.property(fc.array(clause, { maxLength: 3 }), fc.integer({ min: 1, max: 120 }), (clauses, top) => {
        const want = mdm
          .all()
          .filter((r) => clauses.every((c) => filterValue(mdm, r, c.field as DeviceFilterField).toLowerCase() === c.value.toLowerCase()))
          .map((r) => r.seq);
        const got: number[] = [];
        let cursor: number | null = 0;
        while (cursor !== null) {
          const page = index.page(clauses, cursor, top);
          expect(page.items.length).toBeLessThanOrEqual(top);
          if (page.next !== null) expect(page.items.length).toBe(top);
          got.push(...page.items.map((r) => r.seq));
          cursor = page.next;
        }
        expect(got).toEqual(want);
        expect(index.count(clauses)).toBe(want.length);
      }),
      { numRuns: 150 },
    );
  });

  it('catches up with devices enrolled after it was built and resets after clear()', () => {
    const local = new ReferenceMdm();
    const fleet = generateFleet({ count: 30, seed: 4, mix: { windows: 1 } });
    for (const p of fleet.slice(0, 10)) local.enroll(p);
    const idx = new DeviceIndex(local);
    expect(idx.count([{ field: 'operatingSystem', value: 'Windows' }])).toBe(10);
    for (const p of fleet.slice(10)) local.enroll(p);
    expect(idx.count([{ field: 'operatingSystem', value: 'windows' }])).toBe(30);
    local.clear();
    expect(idx.count([{ field: 'operatingSystem', value: 'Windows' }])).toBe(0);
    local.enroll(fleet[0]!);
    expect(idx.page([{ field: 'operatingSystem', value: 'Windows' }], 0, 10).items.map((r) => r.profile.id)).toEqual([fleet[0]!.id]);
  });

  it('scans in slices to the same pages and counts as a naive filter, and gives up when the fleet is cleared', async () => {
    const where = parseFilterExpression("startswith(deviceName,'a') or operatingSystem ne 'Android'", DEVICE_FILTER_FIELDS)!;
    const want = mdm.all().filter((r) => /^a/i.test(r.profile.deviceName) || r.profile.operatingSystem !== 'Android').map((r) => r.seq);
    expect(want.length).toBeGreaterThan(10);
    for (const [top, slice] of [[7, 13], [50, 1], [1000, 100_000]] as const) {
      const got: number[] = [];
      let cursor: number | null = 0;
      while (cursor !== null) {
        const scanned: { page: Page<DeviceRecord>; count: number } = (await index.scan(where, cursor, top, true, slice))!;
        expect(scanned.count).toBe(want.length);
        expect(scanned.page.items.length).toBeLessThanOrEqual(top);
        got.push(...scanned.page.items.map((r) => r.seq));
        cursor = scanned.page.next;
        if (cursor !== null) expect(scanned.page.items.length).toBe(top);
      }
      expect(got).toEqual(want);
    }
    const local = new ReferenceMdm();
    for (const p of generateFleet({ count: 40, seed: 6 })) local.enroll(p);
    const scanning = new DeviceIndex(local).scan(where, 0, 5, true, 10);
    local.clear();
    expect(await scanning).toBeNull();
  });
});

describe('AuditIndex', () => {
  it('pages audits newest first, overall and per device', () => {
    const mdm = new ReferenceMdm();
    const fleet = generateFleet({ count: 3, seed: 8, mix: { 'ae-fully-managed': 1 } });
    for (const p of fleet) mdm.enroll(p);
    const ids = fleet.map((p) => p.id);
    for (let round = 0; round < 3; round++) for (const id of ids) mdm.requestAction(id, (['resetPasscode', 'remoteLock', 'wipe'] as const)[round]!, 'x');
    const index = new AuditIndex(mdm);
    const all = index.page([], null, 4);
    expect(all.items.map((a) => mdm.allAudits().indexOf(a))).toEqual([8, 7, 6, 5]);
    expect(all.next).toBe(4);
    const mine = [{ field: 'managedDeviceId', value: ids[1]!.toUpperCase() }];
    const first = index.page(mine, null, 2);
    expect(first.items.map((a) => mdm.allAudits().indexOf(a))).toEqual([7, 4]);
    expect(index.page(mine, first.next, 2).items.map((a) => mdm.allAudits().indexOf(a))).toEqual([1]);
    expect(index.count(mine)).toBe(3);
    expect(index.count([{ field: 'managedDeviceId', value: 'nope' }])).toBe(0);
  });
});
