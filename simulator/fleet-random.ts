/** The fleet generator's randomness: a per-device sfc32 stream and weighted choice. */
const UINT32 = 2 ** 32;

/** murmur3's 32-bit finalizer: a bijection on 32-bit integers. */
export function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** sfc32 with a 128-bit state seeded from (seed, index): distinct devices never share a stream. */
export class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** Reseeds for one device; returns a word that is distinct for every index under one seed. */
  reset(seed: number, index: number): number {
    const unique = fmix32((index + fmix32(seed ^ 0x2545f491)) >>> 0);
    this.a = fmix32(seed ^ 0x9e3779b9);
    this.b = unique;
    this.c = fmix32(index ^ 0x6a09e667);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
    return unique;
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next() / UINT32;
  }

  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: ArrayLike<T>): T {
    return items[this.below(items.length)]!;
  }
}

/** Cumulative weights for weighted choice by binary search. */
export class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(readonly items: readonly T[], weights: readonly number[]) {
    let sum = 0;
    for (const w of weights) this.cumulative.push((sum += w));
    this.total = sum;
    if (!(sum > 0)) throw new Error('weighted choice needs a positive total weight');
  }

  index(rng: Rng): number {
    const r = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r < this.cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  pick(rng: Rng): T {
    return this.items[this.index(rng)]!;
  }
}
