/** The names and facts an Apple device gives about itself on the wire, derived from its profile (same device, same names). */
import type { DeviceProfile } from '../device-profile.js';
import { secretDigest } from '../secret-hash.js';
import type { PlistDict } from './protocol.js';

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


/** DeviceInformation's QueryResponses: the queries asked for that the device knows (all of them without Queries). */
export function queryResponses(profile: DeviceProfile, queries: unknown): PlistDict {
  const all: PlistDict = {
    DeviceName: profile.deviceName,
    OSVersion: profile.osVersion,
    BuildVersion: buildVersionOf(profile.osVersion),
    Model: profile.model,
    ModelName: profile.model,
    ProductName: profile.model,
    IsSupervised: profile.isSupervised,
    // A User Enrollment does not give the server its hardware identity.
    ...(profile.facts.variant === 'ios-user-enrollment' ? {} : { SerialNumber: profile.serialNumber, UDID: profile.id.toUpperCase() }),
  };
  if (!Array.isArray(queries)) return all;
  const out: PlistDict = {};
  for (const q of queries) if (typeof q === 'string' && q in all) out[q] = all[q]!;
  return out;
}
