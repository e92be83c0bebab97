/** Wrong MDMs on work-profile passcode reset (WP-1 to WP-5). */
import { acceptsUnsupported, afterCheckIn, latestAction, poke, refuses } from './http.js';
import { mutant, type MutantGroup } from './mutant.js';
import { is, justSettled, major, naiveMajor, WORK_PROFILE } from './picks.js';

const PERSONAL = is('ae-work-profile-personal');
const CORPORATE = is('ae-work-profile-corporate');
const MODERN_ADMIN = is('android-da-modern');

export const WORK_PROFILE_MUTANTS: MutantGroup = {
  name: 'work-profile',
  mutants: [
    mutant('WP-1', 'refuses-personal-below-9', 'refuses personally-owned work-profile resets below Android 9 (8.x is supported)', refuses('resetPasscode', (f) => PERSONAL(f) && major(f) < 9)),
    mutant('WP-1', 'compares-versions-as-text', 'compares OS versions as text, so "10" to "15" sort before "8" and are refused', refuses('resetPasscode', (f) => PERSONAL(f) && f.osVersion < '8')),
    mutant('WP-2', 'refuses-corporate', 'answers 400 to resetPasscode on corporate-owned work profiles', refuses('resetPasscode', CORPORATE)),
    mutant('WP-2', 'corporate-compares-versions-as-text', 'compares corporate-owned work-profile OS versions as text, refusing 10 and later', refuses('resetPasscode', (f) => CORPORATE(f) && f.osVersion < '8')),
    mutant('WP-3', 'accepts-personal-7', 'accepts work-profile resets on Android 7.x (off by one) and reports them done', acceptsUnsupported('resetPasscode', (f) => PERSONAL(f) && major(f) === 7)),
    mutant('WP-3', 'patch-version-parsed-as-supported', 'parses "7.1.2" with Number(), gets NaN, and lets the work-profile reset through', acceptsUnsupported('resetPasscode', (f) => PERSONAL(f) && Number.isNaN(naiveMajor(f)))),
    mutant('WP-4', 'accepts-device-admin-7', 'accepts resets on Android 7.x device administrator (off by one) and reports them done', acceptsUnsupported('resetPasscode', (f) => MODERN_ADMIN(f) && major(f) === 7)),
    mutant('WP-4', 'device-admin-patch-version-parsed-as-supported', 'parses a device-administrator "7.1.2" with Number(), gets NaN, and lets the reset through', acceptsUnsupported('resetPasscode', (f) => MODERN_ADMIN(f) && Number.isNaN(naiveMajor(f)))),
    mutant('WP-5', 'work-profile-reset-locks-device', 'sends a device lock (LOCK_NOW) along with the work-profile reset', afterCheckIn((mdm, record) => {
      if (WORK_PROFILE(record.profile.facts) && justSettled(mdm, record, 'resetPasscode')) poke(record, { type: 'LOCK' });
    })),
    mutant('WP-5', 'unified-lock-gets-temporary-passcode', 'applies the temporary passcode to the device lock screen too, as if the lock were unified', afterCheckIn((mdm, record) => {
      const passcode = latestAction(record, 'resetPasscode')?.passcode;
      if (WORK_PROFILE(record.profile.facts) && passcode && justSettled(mdm, record, 'resetPasscode')) poke(record, { type: 'SET_PASSCODE', passcode });
    })),
  ],
};
