/** Wrong MDMs on the temporary passcode (TP-1 to TP-4). */
import { PASSCODE_VISIBLE_MS, type ReferenceMdm } from '../../simulator/mdm/reference-mdm.js';
import { afterCheckIn, DEVICE_PATH, DEVICES_PATH, editsResults, pathOf, poke, rewriteDevices, roleOf, SECRET_ROLES, truthOf } from './http.js';
import { mutant, type MutantGroup, type WrapFetch } from './mutant.js';
import { is, justSettled, WORK_PROFILE } from './picks.js';

/** Hides the temporary passcode of done resets on chosen devices. */
const hidesPasscode = (pick: Parameters<typeof editsResults>[1]) =>
  editsResults('resetPasscode', pick, (r) => {
    if (!r.passcode) return false;
    r.passcode = null;
    return true;
  });

/**
 * Keeps showing a temporary passcode after the reference dropped it, while `visible(action)`
 * says so: before each read it remembers every passcode the reference still holds.
 */
function keepsPasscode(visible: (mdm: ReferenceMdm, action: { startedAt: number; updatedAt: number }) => boolean): WrapFetch {
  return (fetch, mdm) => {
    const remembered = new Map<string, { startDateTime: string; passcode: string; startedAt: number; updatedAt: number }>();
    const remember = (id: string) => {
      const action = mdm.get(id)?.actions?.find((a) => a.actionName === 'resetPasscode');
      if (action?.passcode) remembered.set(id, { startDateTime: new Date(action.startedAt).toISOString(), passcode: action.passcode, startedAt: action.startedAt, updatedAt: action.updatedAt });
    };
    return async (request) => {
      const path = pathOf(request);
      const single = DEVICE_PATH.exec(path);
      if (request.method === 'GET' && single) remember(decodeURIComponent(single[1]!));
      else if (request.method === 'GET' && DEVICES_PATH.test(path)) for (const record of mdm.all()) remember(record.profile.id);
      const response = await fetch(request);
      if (!SECRET_ROLES.has(roleOf(request) ?? '')) return response;
      return rewriteDevices(request, response, (device) => {
        const kept = device.id ? remembered.get(device.id) : undefined;
        if (!kept || !visible(mdm, kept)) return false;
        let changed = false;
        for (const r of device.deviceActionResults ?? []) {
          if (r.actionName === 'resetPasscode' && r.actionState === 'done' && !r.passcode && r.startDateTime === kept.startDateTime) {
            r.passcode = kept.passcode;
            changed = true;
          }
        }
        return changed;
      });
    };
  };
}

/** TP-3, the original wrong target: never hides a temporary passcode. */
export const showsPasscodeAfterSevenDays: WrapFetch = keepsPasscode(() => true);

export const TEMPORARY_PASSCODE_MUTANTS: MutantGroup = {
  name: 'temporary-passcode',
  mutants: [
    mutant('TP-1', 'hides-work-profile-passcode', 'shows the temporary passcode for device-owner resets only, not for work profiles', hidesPasscode(WORK_PROFILE)),
    mutant('TP-1', 'hides-dedicated-passcode', 'does not show the temporary passcode of dedicated (kiosk) devices', hidesPasscode(is('ae-dedicated'))),
    mutant('TP-2', 'reset-leaves-device-unlocked', 'resets without REQUIRE_ENTRY: the device or work profile stays unlocked after the reset', afterCheckIn((mdm, record) => {
      if (!justSettled(mdm, record, 'resetPasscode')) return;
      const truth = truthOf(mdm, record);
      if (truth.devicePasscode === 'temporary') poke(record, { type: 'screen.unlock' });
      if (truth.workProfile?.challenge === 'temporary') poke(record, { type: 'profile.unlock' });
    })),
    mutant('TP-2', 'shows-another-passcode', 'shows the admin a passcode generated separately from the one sent to the device', editsResults('resetPasscode', () => true, (r) => {
      if (!r.passcode) return false;
      r.passcode = [...r.passcode].reverse().join('') === r.passcode ? `${r.passcode}0` : [...r.passcode].reverse().join('');
      return true;
    })),
    mutant('TP-2', 'shows-first-passcode-after-second-reset', 'caches the first temporary passcode of a device and keeps showing it after a second reset', (fetch, mdm) => {
      const first = new Map<string, string>();
      return editsResults('resetPasscode', () => true, (r, _facts, id) => {
        if (!r.passcode) return false;
        const kept = first.get(id);
        if (!kept) first.set(id, r.passcode);
        if (!kept || kept === r.passcode) return false;
        r.passcode = kept;
        return true;
      })(fetch, mdm);
    }),
    mutant('TP-3', 'shows-passcode-after-seven-days', 'never hides a temporary passcode', showsPasscodeAfterSevenDays),
    mutant('TP-3', 'counts-seven-days-from-delivery', 'counts the seven days from when the device received the reset, not from the request', keepsPasscode((mdm, a) => mdm.clock.now() < a.updatedAt + PASSCODE_VISIBLE_MS)),
    mutant('TP-4', 'hides-legacy-passcode', 'sets a new passcode on 6.x device administrator but does not show it', hidesPasscode(is('android-da-legacy'))),
  ],
};
