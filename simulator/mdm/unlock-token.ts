import type { DeviceProfile } from '../device-profile.js';
import { secretDigest } from '../secret-hash.js';

/** The unlock token in the device's keychain (Apple escrows it to the MDM at TokenUpdate). */
export function keychainUnlockToken(profile: DeviceProfile): string {
  return `ut-${secretDigest(profile.id, 0x5eed).toString(36)}`;
}

/** What the MDM holds: the device's token, a wrong one, or none (IR-3). `keychain`: keychainUnlockToken(profile), when the caller has it. */
export function storedUnlockToken(profile: DeviceProfile, keychain = keychainUnlockToken(profile)): string | null {
  switch (profile.facts.unlockToken) {
    case 'good':
      return keychain;
    case 'bad':
      return `ut-${secretDigest(profile.id, 0xbad).toString(36)}`;
    case 'missing':
      return null;
  }
}
