/** How a seeded fleet is cut into shards: contiguous slices of device indexes. */

export interface Slice {
  /** Index of the slice's first device in the seeded fleet. */
  start: number;
  count: number;
}

/** Slice `index` of `count` over devices `start .. start+total-1`: sizes differ by at most one. */
export function sliceOf(index: number, count: number, total: number, start = 0): Slice {
  const lo = Math.floor((index * total) / count);
  const hi = Math.floor(((index + 1) * total) / count);
  return { start: start + lo, count: hi - lo };
}

export interface ShardSpec {
  /** 0-based. */
  index: number;
  count: number;
}

/** `--shard k/N`: shard k (0-based) of N. Null when the text is not of that form. */
export function parseShardSpec(text: string): ShardSpec | null {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(text.trim());
  if (!match) return null;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || index >= count) return null;
  return { index, count };
}
