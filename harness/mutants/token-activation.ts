/** Wrong MDMs on reset-token activation (AN-1 to AN-4). */
import { afterCheckIn, afterEnroll, afterEvent, poke, readsAs, truthOf } from './http.js';
import { mutant, type MutantGroup } from './mutant.js';
import { is, major } from './picks.js';

const PERSONAL = is('ae-work-profile-personal');

export const TOKEN_ACTIVATION_MUTANTS: MutantGroup = {
  name: 'token-activation',
  mutants: [
    mutant('AN-1', 'provisions-token-at-first-check-in', 'provisions the reset token at the first regular check-in, not right after enrollment', afterEnroll((mdm, record) => {
      if (PERSONAL(record.profile.facts) && truthOf(mdm, record).workProfile?.resetToken === 'pending') poke(record, { type: 'token.lose' });
    })),
    mutant('AN-1', 'no-notification-on-android-8', 'provisions the reset token right away only from Android 9 (8.x waits for a check-in)', afterEnroll((mdm, record) => {
      const facts = record.profile.facts;
      if (PERSONAL(facts) && major(facts) === 8 && truthOf(mdm, record).workProfile?.resetToken === 'pending') poke(record, { type: 'token.lose' });
    })),
    mutant('AN-2', 'reprovisions-after-activation', 'sends a new reset token as soon as the user activated one, so the notification comes back', afterEvent((mdm, record, _event, before) => {
      if (PERSONAL(record.profile.facts) && before.workProfile?.resetToken === 'pending' && truthOf(mdm, record).workProfile?.resetToken === 'active') poke(record, { type: 'token.provision' });
    })),
    mutant('AN-2', 'reprovisions-at-every-check-in', 'sends the reset token again at every check-in, so the activation notification returns', afterCheckIn((mdm, record) => {
      const wp = truthOf(mdm, record).workProfile;
      if (PERSONAL(record.profile.facts) && wp?.resetToken === 'active' && !wp.activationNotification) poke(record, { type: 'token.provision' });
    })),
    mutant('AN-3', 'reset-before-activation-reads-done', 'reports a work-profile reset before token activation as done', readsAs('resetPasscode', PERSONAL, ['failed'], 'done')),
    mutant('AN-4', 'never-reprovisions-lost-token', 'never provisions a reset token again once a reboot lost it', afterCheckIn((mdm, record, before) => {
      if (PERSONAL(record.profile.facts) && before.workProfile?.resetToken === 'none' && truthOf(mdm, record).workProfile?.resetToken === 'pending') poke(record, { type: 'token.lose' });
    })),
  ],
};
