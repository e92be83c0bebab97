/** Wrong MDMs on iOS/iPadOS passcode removal (IR-1 to IR-5). */
import { afterCheckIn, editsResults, poke, readsAs } from './http.js';
import { mutant, type MutantGroup, type WrapFetch } from './mutant.js';
import { is, justSettled } from './picks.js';

const IOS = is('ios-device');

/** Fills in a made-up passcode on done removals of chosen devices. */
const showsPasscode = (pick: Parameters<typeof editsResults>[1]) =>
  editsResults('resetPasscode', pick, (r) => {
    if (r.actionState !== 'done' || r.passcode) return false;
    r.passcode = '482913';
    return true;
  });

/** IR-3, the original wrong target: a removal that failed on a bad unlock token reads as done. */
export const badUnlockTokenRemovalDone: WrapFetch = readsAs('resetPasscode', (f) => IOS(f) && f.unlockToken === 'bad', ['failed'], 'done');

/** Marks iOS wipes done when the device checks in, without ever sending EraseDevice. */
const wipeNeverSent: WrapFetch = (fetch, mdm) => {
  const original = mdm.checkIn.bind(mdm);
  mdm.checkIn = (record) => {
    if (IOS(record.profile.facts) && record.pending) {
      for (const item of record.pending) {
        if (item.action.actionName === 'wipe' && item.action.actionState === 'pending') {
          item.action.actionState = 'done';
          item.action.updatedAt = mdm.clock.now();
        }
      }
      record.pending = record.pending.filter((item) => item.action.actionName !== 'wipe');
    }
    original(record);
  };
  return fetch;
};

export const IOS_REMOVAL_MUTANTS: MutantGroup = {
  name: 'ios-removal',
  mutants: [
    mutant('IR-1', 'shows-removal-passcode', 'fills the passcode field of a done iOS removal with a made-up code', showsPasscode(IOS)),
    mutant('IR-1', 'shows-passcode-unsupervised', 'shows a temporary passcode for removals on unsupervised iOS devices', showsPasscode((f) => IOS(f) && !f.supervised)),
    mutant('IR-2', 'no-compliance-prompt', 'removes the passcode without telling the device about the compliance policy: no prompt to set a new one', afterCheckIn((mdm, record) => {
      if (IOS(record.profile.facts) && justSettled(mdm, record, 'resetPasscode')) poke(record, { type: 'prompt.hide' });
    })),
    mutant('IR-2', 'prompt-dropped-at-next-check-in', 'shows the prompt after the removal but drops it at the next check-in', afterCheckIn((mdm, record, before) => {
      if (IOS(record.profile.facts) && before.passcodePrompt) poke(record, { type: 'prompt.hide' });
    })),
    mutant('IR-3', 'bad-token-removal-reads-done', 'reports a removal that failed on a bad unlock token as done', badUnlockTokenRemovalDone),
    mutant('IR-3', 'bad-token-removal-stays-pending', 'keeps retrying a removal with a bad unlock token: it reads pending forever', readsAs('resetPasscode', (f) => IOS(f) && f.unlockToken === 'bad', ['failed'], 'pending')),
    mutant('IR-4', 'missing-token-removal-reads-done', 'sends ClearPasscode without an unlock token and reports it done', readsAs('resetPasscode', (f) => IOS(f) && f.unlockToken === 'missing', ['failed', 'notSupported'], 'done')),
    mutant('IR-5', 'wipe-never-sent', 'marks an iOS wipe done at the check-in without sending EraseDevice', wipeNeverSent),
  ],
};
