import type { ActionRecord, DeviceRecord, ReferenceMdm } from './reference-mdm.js';

/** managedDevice properties, in the order they are written. */
export const MANAGED_DEVICE_FIELDS = [
  'id',
  'deviceName',
  'operatingSystem',
  'osVersion',
  'deviceEnrollmentType',
  'managedDeviceOwnerType',
  'managementAgent',
  'isSupervised',
  'userPrincipalName',
  'userDisplayName',
  'serialNumber',
  'imei',
  'model',
  'manufacturer',
  'enrolledDateTime',
  'lastSyncDateTime',
  'deviceActionResults',
] as const;
export type ManagedDeviceField = (typeof MANAGED_DEVICE_FIELDS)[number];

/** managedDevice properties `$filter` accepts (eq only). */
export const DEVICE_FILTER_FIELDS = ['operatingSystem', 'deviceEnrollmentType', 'managedDeviceOwnerType', 'osVersion', 'deviceName'] as const;
export type DeviceFilterField = (typeof DEVICE_FILTER_FIELDS)[number];

export const AUDIT_FIELDS = [
  'id',
  'managedDeviceId',
  'deviceDisplayName',
  'userName',
  'deviceOwnerUserPrincipalName',
  'deviceIMEI',
  'initiatedByUserPrincipalName',
  'action',
  'requestDateTime',
  'actionState',
] as const;
export const AUDIT_FILTER_FIELDS = ['managedDeviceId'] as const;

const RESULT_TYPES: Record<ActionRecord['actionName'], string> = {
  resetPasscode: '#microsoft.graph.resetPasscodeActionResult',
  remoteLock: '#microsoft.graph.remoteLockActionResult',
  wipe: '#microsoft.graph.deviceActionResult',
};

/** Graph's remoteAction enum value of each action. */
const AUDIT_ACTIONS: Record<ActionRecord['actionName'], string> = {
  resetPasscode: 'resetPasscode',
  remoteLock: 'remoteLock',
  wipe: 'factoryReset',
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

function fieldValue(mdm: ReferenceMdm, record: DeviceRecord, field: ManagedDeviceField, seeSecrets: boolean): unknown {
  const p = record.profile;
  switch (field) {
    case 'enrolledDateTime':
      return iso(record.enrolledAt);
    case 'lastSyncDateTime':
      return iso(mdm.lastSyncAt(record));
    case 'deviceActionResults':
      return mdm.latestActions(record).map((a) => serializeActionResult(a, seeSecrets));
    default:
      return p[field];
  }
}

/** The Graph managedDevice of a record; `select` limits the properties written. */
export function serializeDevice(
  mdm: ReferenceMdm,
  record: DeviceRecord,
  seeSecrets: boolean,
  select: readonly string[] | null = null,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of (select ?? MANAGED_DEVICE_FIELDS) as readonly ManagedDeviceField[]) out[field] = fieldValue(mdm, record, field, seeSecrets);
  return out;
}

/** A remoteActionAudit (never a passcode or PIN). */
export function serializeAudit(mdm: ReferenceMdm, action: ActionRecord, select: readonly string[] | null = null): Record<string, unknown> {
  const device = mdm.deviceAt(action.deviceSeq)?.profile;
  const full: Record<string, unknown> = {
    id: action.auditId,
    managedDeviceId: device?.id ?? null,
    deviceDisplayName: device?.deviceName ?? null,
    userName: device?.userPrincipalName ?? null,
    deviceOwnerUserPrincipalName: device?.userPrincipalName ?? null,
    deviceIMEI: device?.imei ?? null,
    initiatedByUserPrincipalName: action.initiatedBy,
    action: AUDIT_ACTIONS[action.actionName],
    requestDateTime: iso(action.startedAt),
    actionState: action.actionState,
  };
  if (!select) return full;
  const out: Record<string, unknown> = {};
  for (const field of select) out[field] = full[field];
  return out;
}
