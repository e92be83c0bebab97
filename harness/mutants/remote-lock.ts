/** Wrong MDMs on remote lock (RL-1 to RL-5). */
import { editsResults, readsAs, refuses } from './http.js';
import { mutant, type MutantGroup, type WrapFetch } from './mutant.js';
import { AOSP, is } from './picks.js';

/** RL-2, the original wrong target: a lock on AOSP without a passcode policy reads as done (the device stays unlocked). */
export const locksAospWithoutPolicy: WrapFetch = readsAs('remoteLock', (f) => AOSP(f) && !f.passcodePolicy, ['failed'], 'done');

export const REMOTE_LOCK_MUTANTS: MutantGroup = {
  name: 'remote-lock',
  mutants: [
    mutant('RL-1', 'refuses-aosp-lock', 'answers 400 to remoteLock on every AOSP device, passcode policy or not', refuses('remoteLock', AOSP)),
    mutant('RL-1', 'userless-lock-reads-failed', 'locks userless AOSP devices but reports failed (no user session)', readsAs('remoteLock', (f) => f.variant === 'aosp-userless' && f.passcodePolicy, ['done'], 'failed')),
    mutant('RL-2', 'aosp-lock-without-policy-reads-done', 'reports a remote lock on AOSP without a passcode policy as done', locksAospWithoutPolicy),
    mutant('RL-2', 'aosp-lock-without-policy-stays-pending', 'waits for a passcode policy that never comes: the lock reads pending forever', readsAs('remoteLock', (f) => AOSP(f) && !f.passcodePolicy, ['failed'], 'pending')),
    mutant('RL-3', 'refuses-user-enrollment-lock', 'answers 400 to remoteLock on User Enrollment devices', refuses('remoteLock', is('ios-user-enrollment'))),
    mutant('RL-4', 'screen-off-reads-failed', 'reports a lock on a device without a passcode (screen off only) as failed', (fetch, mdm) =>
      readsAs('remoteLock', (f) => !AOSP(f) && f.variant !== 'macos' && !f.devicePasscodeSet, ['done'], 'failed')(fetch, mdm)),
    mutant('RL-5', 'hides-unlock-pin', 'locks macOS with a PIN but does not show the PIN to the admin', editsResults('remoteLock', is('macos'), (r) => {
      if (!r.unlockPin) return false;
      r.unlockPin = null;
      return true;
    })),
  ],
};
