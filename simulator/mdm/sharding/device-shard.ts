/**
 * Which shard holds a device, read from its id alone: a `--shard K/N` server generates ids whose
 * last group starts with K as four hex digits (`xxxxxxxx-xxxx-4xxx-yxxx-KKKKxxxxxxxx`). The
 * front and the HAProxy configuration route with this rule and no table.
 */

/** Characters before the shard tag in a device id (8-4-4-4- groups). */
export const SHARD_TAG_OFFSET = 24;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shard tag a device id carries, or null for a string that is not a GUID. */
export function shardTagOf(id: string): number | null {
  if (id.length !== 36 || !GUID.test(id)) return null;
  return Number.parseInt(id.slice(SHARD_TAG_OFFSET, SHARD_TAG_OFFSET + 4), 16);
}

/** The shard (0..count-1) holding this device; null when the id names no shard of `count`. */
export function shardOfDevice(id: string, count: number): number | null {
  const tag = shardTagOf(id);
  return tag !== null && tag < count ? tag : null;
}

/** The shard tag as the four hex digits it is in an id. */
export function shardTagHex(shard: number): string {
  return shard.toString(16).padStart(4, '0');
}

/** A path-matching regular expression fragment for a device id on `shard` (for balancer configs). */
export function deviceIdPattern(shard: number): string {
  return `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-${shardTagHex(shard)}[0-9a-fA-F]{8}`;
}
