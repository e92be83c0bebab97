/** The names an Apple device gives itself on the wire, derived from its id (same device, same names). */
import { secretDigest } from '../secret-hash.js';

/** A User Enrollment's EnrollmentID. */
export function enrollmentIdOf(id: string): string {
  return `${secretDigest(id, 0xe1).toString(16).padStart(14, '0')}${secretDigest(id, 0xe2).toString(16).padStart(14, '0')}`.toUpperCase().slice(0, 24);
}

export function pushMagicOf(id: string): string {
  const h = secretDigest(id, 0x9a91c).toString(16).padStart(14, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(1, 4)}-8${h.slice(4, 7)}-${id.slice(-12)}`.toUpperCase();
}

/** A plausible build number for an OS version (18.1 -> 22B83). */
export function buildVersionOf(osVersion: string): string {
  const major = Number(osVersion.split('.')[0]) || 17;
  const minor = Number(osVersion.split('.')[1] ?? 0);
  return `${major + 4}${String.fromCharCode(65 + Math.min(minor, 25))}${80 + minor}`;
}

