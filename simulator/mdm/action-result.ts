import type { ActionRecord } from './reference-mdm.js';

const RESULT_TYPES: Record<ActionRecord['actionName'], string> = {
  resetPasscode: '#microsoft.graph.resetPasscodeActionResult',
  remoteLock: '#microsoft.graph.remoteLockActionResult',
  wipe: '#microsoft.graph.deviceActionResult',
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** One deviceActionResults entry; secrets only for roles that may see them (TP-5), else null. */
export function serializeActionResult(action: ActionRecord, seeSecrets: boolean): Record<string, unknown> {
  const result: Record<string, unknown> = {
    '@odata.type': RESULT_TYPES[action.actionName],
    actionName: action.actionName,
    actionState: action.actionState,
    startDateTime: iso(action.startedAt),
    lastUpdatedDateTime: iso(action.updatedAt),
  };
  if (action.actionName === 'resetPasscode') result.passcode = seeSecrets ? action.passcode : null;
  if (action.actionName === 'remoteLock') result.unlockPin = seeSecrets ? action.unlockPin : null;
  result.errorCode = action.errorCode;
  return result;
}
