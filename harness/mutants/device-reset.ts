/** Wrong MDMs on device-level passcode reset (DL-1 to DL-10). */
import type { DeviceFacts } from '../../simulator/device-facts.js';
import { acceptsUnsupported, afterCheckIn, factsOf, poke, readsAs, refuses, actionRequest } from './http.js';
import { mutant, type MutantGroup } from './mutant.js';
import { AOSP, DEVICE_OWNER, is, justSettled, major, WORK_PROFILE } from './picks.js';

/** The work-profile reset also went to the device level (the parent profile): its lock screen locks. */
const alsoResetsDevice = (pick: (facts: DeviceFacts) => boolean) =>
  afterCheckIn((mdm, record) => {
    if (pick(record.profile.facts) && justSettled(mdm, record, 'resetPasscode')) poke(record, { type: 'screen.lockOrOff' });
  });

export const DEVICE_RESET_MUTANTS: MutantGroup = {
  name: 'device-reset',
  mutants: [
    mutant('DL-1', 'refuses-legacy-device-admin', 'answers 400 to resetPasscode on every device-administrator device, 6.x included', refuses('resetPasscode', is('android-da-legacy'))),
    mutant('DL-1', 'legacy-reset-reads-failed', 'resets a 6.x device-administrator device but reports the action failed', readsAs('resetPasscode', is('android-da-legacy'), ['done'], 'failed')),
    mutant('DL-2', 'refuses-dedicated', 'answers 400 to resetPasscode on dedicated (kiosk) devices', refuses('resetPasscode', is('ae-dedicated'))),
    mutant('DL-2', 'refuses-device-owner-below-9', 'refuses device-owner resets below Android 9 (8.x is supported)', refuses('resetPasscode', (f) => DEVICE_OWNER(f) && major(f) < 9)),
    mutant('DL-3', 'refuses-ios-removal', 'answers 400 to resetPasscode on iOS/iPadOS (no "reset" there), instead of removing the passcode', refuses('resetPasscode', is('ios-device'))),
    mutant('DL-3', 'removal-supervised-only', 'removes passcodes only on supervised iOS devices and refuses the rest', refuses('resetPasscode', (f) => f.variant === 'ios-device' && !f.supervised)),
    mutant('DL-4', 'user-enrollment-reads-done', 'accepts resetPasscode on User Enrollment and reports it done', acceptsUnsupported('resetPasscode', is('ios-user-enrollment'))),
    mutant('DL-4', 'user-enrollment-reads-active', 'accepts resetPasscode on User Enrollment and reports it active', acceptsUnsupported('resetPasscode', is('ios-user-enrollment'), 'active')),
    mutant('DL-5', 'work-profile-reset-also-resets-device', 'sends the work-profile reset to the parent profile as well, which locks the device lock screen', alsoResetsDevice(WORK_PROFILE)),
    mutant('DL-5', 'corporate-work-profile-reset-as-device-owner', 'treats corporate-owned work profiles as device owner and sends the reset to the device level too (its lock screen locks)', alsoResetsDevice(is('ae-work-profile-corporate'))),
    mutant('DL-6', 'accepts-modern-device-admin', 'accepts resetPasscode on Android 7+ device administrator and reports it done', acceptsUnsupported('resetPasscode', is('android-da-modern'))),
    mutant('DL-6', 'accepts-modern-device-admin-without-passcode', 'allows the reset on Android 7+ device administrator when no passcode is set yet', acceptsUnsupported('resetPasscode', (f) => f.variant === 'android-da-modern' && !f.devicePasscodeSet)),
    mutant('DL-7', 'accepts-macos', 'accepts resetPasscode on macOS and reports it done', acceptsUnsupported('resetPasscode', is('macos'))),
    mutant('DL-7', 'macos-reset-sends-lock', 'turns a macOS resetPasscode into a DeviceLock', (fetch, mdm) => async (request) => {
      const hit = actionRequest(request);
      if (hit?.action !== 'resetPasscode' || factsOf(mdm, hit.id)?.variant !== 'macos') return fetch(request);
      const lock = new Request(request.url.replace(/resetPasscode\/?$/, 'remoteLock'), { method: 'POST', headers: request.headers });
      return fetch(lock);
    }),
    mutant('DL-8', 'accepts-windows', 'accepts resetPasscode on Windows and reports it done', acceptsUnsupported('resetPasscode', is('windows'))),
    mutant('DL-8', 'windows-reads-active', 'accepts resetPasscode on Windows and reports it active', acceptsUnsupported('resetPasscode', is('windows'), 'active')),
    mutant('DL-9', 'refuses-aosp-user-associated', 'answers 400 to resetPasscode on AOSP user-associated devices', refuses('resetPasscode', is('aosp-user-associated'))),
    mutant('DL-9', 'aosp-reset-needs-passcode-policy', 'refuses AOSP resets without a device passcode policy (mixing up RL-1)', refuses('resetPasscode', (f) => AOSP(f) && !f.passcodePolicy)),
    mutant('DL-10', 'refuses-aosp-userless', 'answers 400 to resetPasscode on AOSP userless devices', refuses('resetPasscode', is('aosp-userless'))),
    mutant('DL-10', 'userless-reset-reads-failed', 'resets userless AOSP devices but reports failed (no user to hand the passcode to)', readsAs('resetPasscode', is('aosp-userless'), ['done'], 'failed')),
  ],
};
