/**
 * A 53-bit non-cryptographic digest (cyrb53). The simulated device keeps only this
 * digest of a passcode or PIN: enough to verify an entry, never enough to print it.
 */
export function secretDigest(text: string, salt = 0): number {
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  // 0 means "no secret" in device context, so a digest is never 0.
  return 4294967296 * (2097151 & h2) + (h1 >>> 0) || 1;
}
