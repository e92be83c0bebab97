import type { StatsView } from '../../../simulator/mdm/fleet-stats.js';
import type { ChangeEvent, SimTruth } from '../../../simulator/mdm/reference-mdm.js';
import type { VariantKey } from '../../../contract/variants.js';
import type { DeviceDetail } from '../fleet-source.js';

export function truth(variant: VariantKey, over: Partial<SimTruth> = {}): SimTruth {
  return { variant, online: true, enrolled: true, lockScreen: 'locked', devicePasscode: 'user', passcodePrompt: false, pendingCommands: 0, ...over };
}

export function deviceEvent(id: string, variant: VariantKey, over: Partial<SimTruth> = {}, at = '2026-01-05T09:00:01.000Z'): ChangeEvent {
  return { kind: 'device', id, at, truth: truth(variant, over) };
}

export function actionEvent(id: string, actionName: 'resetPasscode' | 'remoteLock' | 'wipe', actionState: 'pending' | 'done' | 'failed', at = '2026-01-05T09:00:02.000Z'): ChangeEvent {
  return { kind: 'action', id, at, actionName, actionState, errorReason: null };
}

const zero = { locked: 0, unlocked: 0, screenOff: 0, temporaryPasscode: 0, resetTokenPending: 0, offline: 0, wiped: 0 };

export function stats(): StatsView {
  return {
    devices: 1234,
    byVariant: {
      'ios-device': { total: 1000, ...zero, locked: 600, unlocked: 400, offline: 17 },
      macos: { total: 234, ...zero, locked: 4, unlocked: 230, wiped: 3 },
    },
    byState: { ...zero, locked: 604, unlocked: 630, offline: 17, wiped: 3 },
    actions: { none: 0, pending: 5, canceled: 1, active: 0, done: 42, failed: 2, notSupported: 7 },
  };
}

/** A device whose temporary passcode exists: the panel must show dots, never the digits. */
export const SECRET = '48291377';

export function detailOf(id: string): DeviceDetail {
  return {
    id,
    deviceName: 'Pat’s iPhone',
    operatingSystem: 'iOS',
    osVersion: '17.4',
    truth: truth('ios-device', { lockScreen: 'unlocked', devicePasscode: 'temporary', pendingCommands: 1 }),
    actions: [
      { actionName: 'resetPasscode', actionState: 'done', startDateTime: '2026-01-05T09:00:00.000Z', lastUpdatedDateTime: '2026-01-05T09:00:05.000Z', secretIssued: true, errorCode: 0 },
      { actionName: 'remoteLock', actionState: 'pending', startDateTime: '2026-01-05T09:00:06.000Z', lastUpdatedDateTime: '2026-01-05T09:00:06.000Z', secretIssued: false, errorCode: 0 },
    ],
    audits: [
      { action: 'remoteLock', actionState: 'pending', requestDateTime: '2026-01-05T09:00:06.000Z', initiatedBy: 'helpdesk-operator' },
      { action: 'resetPasscode', actionState: 'done', requestDateTime: '2026-01-05T09:00:00.000Z', initiatedBy: 'intune-administrator' },
    ],
  };
}
