import { matchesFilter, type FilterClause, type FilterExpr } from './odata-query.js';
import type { ActionRecord, DeviceRecord, ReferenceMdm } from './reference-mdm.js';
import { filterTime, filterValue, type DeviceFilterField } from './serialize.js';
import { PartitionedStringIndex } from './string-index.js';

/** Values are compared case-insensitively, like Intune's `$filter`. */
const key = (value: string): string => value.toLowerCase();

/** First position in an ascending array whose value is >= target. */
export function lowerBound(sorted: readonly number[], target: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < target) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface FieldIndex {
  /** value (lower case) -> seqs, ascending. Not one Map: at a million keys its rehash held the event loop for 0.1-0.2 s (measured). */
  map: PartitionedStringIndex<number[]>;
  /** Devices with seq below this are indexed. */
  upTo: number;
}

export interface Page<T> {
  items: T[];
  /** Cursor of the next page, or null when this page is the last one. */
  next: number | null;
}

const EMPTY: readonly number[] = [];

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Per-field value -> seq-list indexes over the fleet, built on first use of a field and
 * caught up with newly enrolled devices on each use (profiles never change, devices are
 * only appended), so a filtered page costs O(page + log n), not O(fleet).
 */
export class DeviceIndex {
  private fields = new Map<DeviceFilterField, FieldIndex>();
  private epoch = -1;

  constructor(private readonly mdm: ReferenceMdm) {}

  private sync(): void {
    if (this.epoch !== this.mdm.epoch) {
      this.fields.clear();
      this.epoch = this.mdm.epoch;
    }
  }

  /** The field's index (empty the first time), after `sync`. */
  private indexOf(field: DeviceFilterField): FieldIndex {
    this.sync();
    let index = this.fields.get(field);
    if (!index) {
      index = { map: new PartitionedStringIndex(), upTo: 0 };
      this.fields.set(field, index);
    }
    return index;
  }

  /** Indexes the devices from `index.upTo` up to seq `end`. */
  private catchUp(index: FieldIndex, field: DeviceFilterField, end: number): void {
    for (let seq = index.upTo; seq < end; seq++) {
      const k = key(filterValue(this.mdm, this.mdm.deviceAt(seq)!, field));
      const list = index.map.get(k);
      if (list) list.push(seq);
      else index.map.addNew(k, [seq]);
    }
    index.upTo = end;
  }

  /**
   * Brings the indexes of these fields up to date in slices of `slice` devices with a turn of the
   * event loop between them, so the first filter on a field of a million devices does not hold
   * every other request for seconds. A later `lookup` then only catches up what is new.
   */
  async prepare(fields: readonly DeviceFilterField[], slice = 5_000): Promise<void> {
    for (const field of fields) {
      for (;;) {
        const index = this.indexOf(field);
        if (this.mdm.size - index.upTo <= slice) break;
        this.catchUp(index, field, index.upTo + slice);
        await nextTurn();
      }
    }
  }

  /** True when `prepare` has work to do for one of these fields. */
  needsPreparing(fields: readonly DeviceFilterField[], slice = 5_000): boolean {
    this.sync();
    return fields.some((f) => this.mdm.size - (this.fields.get(f)?.upTo ?? 0) > slice);
  }

  /** Seqs of devices whose `field` equals `value` (case-insensitively), ascending. */
  lookup(field: DeviceFilterField, value: string): readonly number[] {
    const index = this.indexOf(field);
    this.catchUp(index, field, this.mdm.size);
    return index.map.get(key(value)) ?? EMPTY;
  }

  private matches(record: DeviceRecord, clauses: readonly FilterClause[]): boolean {
    for (const c of clauses) if (key(filterValue(this.mdm, record, c.field as DeviceFilterField)) !== key(c.value)) return false;
    return true;
  }

  /** The smallest index list among the clauses drives; the others are checked per device. */
  private plan(clauses: readonly FilterClause[]): { driver: readonly number[]; rest: FilterClause[] } {
    let driver: readonly number[] | null = null;
    let driverAt = -1;
    clauses.forEach((c, i) => {
      const list = this.lookup(c.field as DeviceFilterField, c.value);
      if (driver === null || list.length < driver.length) {
        driver = list;
        driverAt = i;
      }
    });
    return { driver: driver ?? EMPTY, rest: clauses.filter((_, i) => i !== driverAt) };
  }

  /** Up to `top` devices from seq `from` on, in enrollment order. */
  page(clauses: readonly FilterClause[], from: number, top: number): Page<DeviceRecord> {
    const items: DeviceRecord[] = [];
    if (clauses.length === 0) {
      const size = this.mdm.size;
      const end = Math.min(size, from + top);
      for (let seq = from; seq < end; seq++) items.push(this.mdm.deviceAt(seq)!);
      return { items, next: end < size ? end : null };
    }
    const { driver, rest } = this.plan(clauses);
    for (let i = lowerBound(driver, from); i < driver.length; i++) {
      const record = this.mdm.deviceAt(driver[i]!)!;
      if (!this.matches(record, rest)) continue;
      if (items.length === top) return { items, next: record.seq };
      items.push(record);
    }
    return { items, next: null };
  }

  count(clauses: readonly FilterClause[]): number {
    if (clauses.length === 0) return this.mdm.size;
    const { driver, rest } = this.plan(clauses);
    if (rest.length === 0) return driver.length;
    let n = 0;
    for (const seq of driver) if (this.matches(this.mdm.deviceAt(seq)!, rest)) n++;
    return n;
  }
  private matchesWhere(where: FilterExpr, record: DeviceRecord): boolean {
    return matchesFilter(where, (field) => filterValue(this.mdm, record, field as DeviceFilterField), (field) => filterTime(this.mdm, record, field));
  }

  /**
   * Devices matching an expression (or/not/ne/startswith, dates): up to `top` from seq `from` on,
   * and with `count` how many match in all. A scan that stops at a full page unless it counts, in
   * slices of `slice` devices with a turn of the event loop between them (a million devices take
   * ~0.1 s). Null when the fleet was cleared meanwhile.
   */
  async scan(where: FilterExpr, from: number, top: number, count: boolean, slice = 20_000): Promise<{ page: Page<DeviceRecord>; count: number } | null> {
    const epoch = this.mdm.epoch;
    const size = this.mdm.size;
    const items: DeviceRecord[] = [];
    let next: number | null = null;
    let n = 0;
    for (let seq = count ? 0 : from; seq < size; seq++) {
      if (seq % slice === slice - 1) {
        await nextTurn();
        if (this.mdm.epoch !== epoch) return null;
      }
      const record = this.mdm.deviceAt(seq)!;
      if (!this.matchesWhere(where, record)) continue;
      n++;
      if (seq < from || next !== null) continue;
      if (items.length === top) {
        next = seq;
        if (!count) break;
      } else items.push(record);
    }
    return { page: { items, next }, count: n };
  }

}

/** Audits per device (append-only like the audit list), for `$filter=managedDeviceId eq '...'`. */
export class AuditIndex {
  private byDevice = new Map<number, number[]>();
  private upTo = 0;
  private epoch = -1;

  constructor(private readonly mdm: ReferenceMdm) {}

  private positions(deviceSeq: number): readonly number[] {
    if (this.epoch !== this.mdm.auditEpoch) {
      this.byDevice.clear();
      this.upTo = 0;
      this.epoch = this.mdm.auditEpoch;
    }
    const audits = this.mdm.allAudits();
    for (let i = this.upTo; i < audits.length; i++) {
      const seq = audits[i]!.deviceSeq;
      const list = this.byDevice.get(seq);
      if (list) list.push(i);
      else this.byDevice.set(seq, [i]);
    }
    this.upTo = audits.length;
    return this.byDevice.get(deviceSeq) ?? EMPTY;
  }

  /** The device seq a managedDeviceId filter selects: -1 when no device has that id, null without a filter. */
  private deviceOf(clauses: readonly FilterClause[]): number | null {
    let seq: number | null = null;
    for (const c of clauses) {
      const record = this.mdm.get(c.value.toLowerCase()) ?? this.mdm.get(c.value);
      const s = record ? record.seq : -1;
      if (seq !== null && seq !== s) return -1;
      seq = s;
    }
    return seq;
  }

  /** Newest first: up to `top` audits at or below index `from` (null: from the newest). */
  page(clauses: readonly FilterClause[], from: number | null, top: number): Page<ActionRecord> {
    const audits = this.mdm.allAudits();
    const start = from ?? audits.length - 1;
    const items: ActionRecord[] = [];
    const device = this.deviceOf(clauses);
    if (device === null) {
      const end = Math.max(-1, start - top);
      for (let i = start; i > end; i--) items.push(audits[i]!);
      return { items, next: end >= 0 ? end : null };
    }
    if (device < 0) return { items, next: null };
    const list = this.positions(device);
    let p = lowerBound(list, start + 1) - 1;
    for (; p >= 0 && items.length < top; p--) items.push(audits[list[p]!]!);
    return { items, next: p >= 0 ? list[p]! : null };
  }

  count(clauses: readonly FilterClause[]): number {
    const device = this.deviceOf(clauses);
    if (device === null) return this.mdm.auditCount;
    return device < 0 ? 0 : this.positions(device).length;
  }
}
