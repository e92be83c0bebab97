import type { ActionRecord, DeviceRecord, ReferenceMdm } from './reference-mdm.js';
export { serializeActionResult } from './action-result.js';
import { PROPERTIES_BY_VERSION, PROPERTY_NAMES_BY_VERSION, propertySpec, type DeviceView, type GraphVersionName } from './graph-schema/managed-device.js';

/** v1.0 managedDevice properties, in the order they are written (beta adds its own after them). */
export const MANAGED_DEVICE_FIELDS: readonly string[] = PROPERTY_NAMES_BY_VERSION['v1.0'];

/**
 * managedDevice properties `$filter` takes (eq, ne, startswith; and, or, not): the ones admins look
 * devices up by. All are strings; values compare case-insensitively, as Intune's do.
 */
export const DEVICE_FILTER_FIELDS = [
  'id',
  'deviceName',
  'operatingSystem',
  'osVersion',
  'deviceEnrollmentType',
  'managedDeviceOwnerType',
  'managementAgent',
  'complianceState',
  'serialNumber',
  'imei',
  'model',
  'manufacturer',
  'userPrincipalName',
  'userDisplayName',
  'emailAddress',
  'userId',
  'azureADDeviceId',
] as const;
export type DeviceFilterField = (typeof DEVICE_FILTER_FIELDS)[number];

/** A filterable property's value on a device (derived ones need no MDM state). */
export function filterValue(mdm: ReferenceMdm, record: DeviceRecord, field: DeviceFilterField): string {
  const spec = propertySpec(field)!;
  return (spec.value({ mdm, record, profile: record.profile, seeSecrets: false }) as string | null) ?? '';
}

/** DateTimeOffset properties `$filter` compares (eq, ne, gt, ge, lt, le): when a device last synced or enrolled. */
export const DEVICE_TIME_FILTER_FIELDS = ['lastSyncDateTime', 'enrolledDateTime'] as const;

/** A DateTimeOffset filter property's value on a device, in ms (lastSyncDateTime moves, so it is never indexed). */
export function filterTime(mdm: ReferenceMdm, record: DeviceRecord, field: string): number {
  if (field === 'lastSyncDateTime') return mdm.lastSyncAt(record);
  if (field === 'enrolledDateTime') return record.enrolledAt;
  return NaN;
}

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

/** Graph's remoteAction enum value of each action. */
const AUDIT_ACTIONS: Record<ActionRecord['actionName'], string> = {
  resetPasscode: 'resetPasscode',
  remoteLock: 'remoteLock',
  wipe: 'factoryReset',
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** The Graph managedDevice of a record under a Graph version; `select` limits the properties written. */
export function serializeDevice(
  mdm: ReferenceMdm,
  record: DeviceRecord,
  seeSecrets: boolean,
  select: readonly string[] | null = null,
  version: GraphVersionName = 'beta',
): Record<string, unknown> {
  const view: DeviceView = { mdm, record, profile: record.profile, seeSecrets };
  const out: Record<string, unknown> = {};
  if (select === null) {
    for (const spec of PROPERTIES_BY_VERSION[version]) out[spec.name] = spec.value(view);
  } else {
    for (const name of select) out[name] = propertySpec(name)!.value(view);
  }
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
