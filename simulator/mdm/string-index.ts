/**
 * An insert-only map from string keys to values, for the million-device inventory. A JS Map with
 * a million string keys costs ~1.5 µs per insert here (rehashing and its garbage); open
 * addressing over typed arrays with cached hashes costs a fraction of that and no garbage.
 */
export class StringIndex<T> {
  private slots = new Int32Array(1024);
  private hashes = new Uint32Array(512);
  /** Entries by number, in the first `count` slots (reserve() can make them longer). */
  private keys: string[] = [];
  private values: T[] = [];
  private count = 0;
  /** The entry found last: one request looks its device up several times (resolve the id, act, explain). */
  private lastKey: string | null = null;
  private lastEntry = -1;

  get size(): number {
    return this.count;
  }

  has(key: string): boolean {
    return this.entryOf(key) >= 0;
  }

  get(key: string, hash?: number): T | undefined {
    const at = hash === undefined ? this.entryOf(key) : this.find(key, hash);
    return at >= 0 ? this.values[at] : undefined;
  }

  private entryOf(key: string): number {
    if (key === this.lastKey) return this.lastEntry;
    const at = this.find(key, hashOf(key));
    if (at >= 0) {
      this.lastKey = key;
      this.lastEntry = at;
    }
    return at;
  }

  /** Adds `key` unless it is there already; answers whether it was added. `hash`: hashOf(key), when the caller has it. */
  addNew(key: string, value: T, hash = hashOf(key)): boolean {
    if (this.find(key, hash) >= 0) return false;
    const n = this.count;
    if ((n + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    if (n === this.hashes.length) {
      const hashes = new Uint32Array(n * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    this.keys[n] = key;
    this.values[n] = value;
    this.count = n + 1;
    this.hashes[n] = hash;
    this.place(hash, n);
    return true;
  }

  /**
   * Makes room for `count` entries (see ReferenceMdm.reserving): no rehash and no array growth
   * while they are added. Yields between its large allocations (a million-slot array takes ~25 ms).
   */
  *reserving(count: number): Generator<void> {
    let slots = this.slots.length;
    while (count * 2 > slots) slots *= 2;
    if (slots !== this.slots.length) {
      this.rehash(slots);
      yield;
    }
    if (count <= this.hashes.length) return;
    const hashes = new Uint32Array(count);
    hashes.set(this.hashes.subarray(0, this.count));
    this.hashes = hashes;
    this.keys = copied(this.keys, this.count, count);
    yield;
    this.values = copied(this.values, this.count, count);
  }

  clear(): void {
    this.lastKey = null;
    this.slots = new Int32Array(1024);
    this.hashes = new Uint32Array(512);
    this.keys = [];
    this.values = [];
    this.count = 0;
  }

  /** The entry number of `key`, or -1. Slots hold entry number + 1; 0 is empty. */
  private find(key: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const entry = this.slots[i]! - 1;
      if (entry < 0) return -1;
      if (this.hashes[entry] === hash && this.keys[entry] === key) return entry;
    }
  }

  private place(hash: number, entry: number): void {
    const mask = this.slots.length - 1;
    let i = hash & mask;
    while (this.slots[i] !== 0) i = (i + 1) & mask;
    this.slots[i] = entry + 1;
  }

  private rehash(slots: number): void {
    this.slots = new Int32Array(slots);
    for (let entry = 0; entry < this.count; entry++) this.place(this.hashes[entry]!, entry);
  }
}

/**
 * A StringIndex cut into 64 parts by hash, each growing on its own: a million keys never need
 * one large copy or rehash (one part's is a 64th of it), so a build in slices keeps every slice
 * short without sizing anything up front. For indexes whose final size is unknown.
 */
export class PartitionedStringIndex<T> {
  private readonly parts: Array<StringIndex<T> | undefined> = new Array(64);

  get(key: string): T | undefined {
    const hash = hashOf(key);
    return this.parts[hash >>> 26]?.get(key, hash);
  }

  addNew(key: string, value: T): boolean {
    const hash = hashOf(key);
    return (this.parts[hash >>> 26] ??= new StringIndex<T>()).addNew(key, value, hash);
  }
}

/** FNV-1a over UTF-16 code units, with a final avalanche so the low bits (the slot) mix well. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h >>> 0;
}

/** The first `used` items of `items` in a new array `length` long. */
export function copied<T>(items: readonly T[], used: number, length: number): T[] {
  const next = new Array<T>(length);
  for (let i = 0; i < used; i++) next[i] = items[i]!;
  return next;
}
