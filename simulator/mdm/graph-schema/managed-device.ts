/**
 * The managedDevice resource as Microsoft Graph publishes it: every v1.0 property (checked
 * against the published schema excerpt in managedDevice.v1.0.csdl.xml by managed-device.test.ts),
 * a few that exist on beta only, and how the simulator fills each one. Values not kept by the
 * simulator are derived from the device id and facts, so they are plausible and seeded: the same
 * device always answers the same, and nothing is stored per device.
 */
import { MANAGED_DEVICE_BETA_ONLY_PROPERTIES, MANAGED_DEVICE_V1_PROPERTIES } from '../../../contract/graph-managed-device.js';
import type { DeviceProfile } from '../../device-profile.js';
import { secretDigest } from '../../secret-hash.js';
import { serializeActionResult } from '../action-result.js';
import type { DeviceRecord, ReferenceMdm } from '../reference-mdm.js';

/** The EDM type of a property, for the OpenAPI document (enums and complex types by name). */
export type EdmType = 'Edm.String' | 'Edm.Boolean' | 'Edm.Int64' | 'Edm.DateTimeOffset' | `graph.${string}` | `Collection(graph.${string})`;

type PropertyName = (typeof MANAGED_DEVICE_V1_PROPERTIES)[number] | (typeof MANAGED_DEVICE_BETA_ONLY_PROPERTIES)[number];

export interface PropertySpec {
  name: PropertyName;
  type: EdmType;
  nullable: boolean;
  /** beta only (not in the v1.0 schema). */
  betaOnly?: true;
  value(d: DeviceView): unknown;
}

/** What a property reads: the record, its profile and the MDM (time, actions, enrollment). */
export interface DeviceView {
  mdm: ReferenceMdm;
  record: DeviceRecord;
  profile: DeviceProfile;
  seeSecrets: boolean;
}

const NEVER = '0001-01-01T00:00:00Z';
const iso = (ms: number): string => new Date(ms).toISOString();
const digest = (d: DeviceView, salt: number): number => secretDigest(d.profile.id, salt);
/**
 * The last `len` hex digits of a non-negative integer below 2^53. Formatted in 32-bit halves: a
 * double's toString(16) takes V8's slow path, and a full page writes thousands of these.
 */
function hex(n: number, len: number): string {
  const low = (n >>> 0).toString(16);
  const text = len <= 8 ? low : Math.floor(n / 2 ** 32).toString(16) + low.padStart(8, '0');
  return text.padStart(len, '0').slice(-len);
}

/** A GUID derived from the device id (azureADDeviceId, userId). */
function derivedGuid(d: DeviceView, salt: number): string {
  const a = digest(d, salt);
  const b = digest(d, salt + 1);
  return `${hex(a, 8)}-${hex(Math.floor(a / 2 ** 32), 4)}-4${hex(b, 3)}-${hex(0x8000 | (b % 0x4000), 4)}-${hex(Math.floor(b / 2 ** 20), 12)}`;
}

function macAddress(d: DeviceView, salt: number): string {
  const n = digest(d, salt);
  const bytes = [0x02 | ((n >>> 8) & 0xfc), n & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff, Math.floor(n / 2 ** 32) & 0xff, Math.floor(n / 2 ** 40) & 0xff];
  return bytes.map((b) => hex(b, 2).toUpperCase()).join('');
}

const isApple = (p: DeviceProfile) => p.operatingSystem === 'iOS' || p.operatingSystem === 'iPadOS' || p.operatingSystem === 'macOS';
const hasUser = (p: DeviceProfile) => p.userPrincipalName !== '';
const STORAGE_GB = [64, 128, 256, 512];

function totalStorage(d: DeviceView): number {
  return STORAGE_GB[digest(d, 0x5701) % STORAGE_GB.length]! * 1_000_000_000;
}

/** A device's compliance as its facts make it: a passcode policy it does not meet is noncompliant. */
function complianceState(p: DeviceProfile): string {
  const f = p.facts;
  const needsPasscode = f.passcodeCompliancePolicy || f.passcodePolicy;
  return needsPasscode && !f.devicePasscodeSet ? 'noncompliant' : 'compliant';
}

function prop(name: PropertyName, type: EdmType, nullable: boolean, value: (d: DeviceView) => unknown): PropertySpec {
  return { name, type, nullable, value };
}

/** v1.0 managedDevice properties, `id` first and then in the published order. */
export const V1_PROPERTIES: readonly PropertySpec[] = [
  prop('id', 'Edm.String', false, (d) => d.profile.id),
  // A secret: Graph itself answers null unless it is selected by a privileged caller; lockstep never holds one.
  prop('activationLockBypassCode', 'Edm.String', true, () => null),
  prop('androidSecurityPatchLevel', 'Edm.String', true, (d) => (d.profile.operatingSystem === 'Android' ? `2024-${String(1 + (digest(d, 0x5ec) % 12)).padStart(2, '0')}-01` : '')),
  prop('azureADDeviceId', 'Edm.String', true, (d) => (hasUser(d.profile) ? derivedGuid(d, 0xaad) : '00000000-0000-0000-0000-000000000000')),
  prop('azureADRegistered', 'Edm.Boolean', true, (d) => hasUser(d.profile)),
  prop('complianceGracePeriodExpirationDateTime', 'Edm.DateTimeOffset', false, () => '9999-12-31T23:59:59Z'),
  prop('complianceState', 'graph.complianceState', false, (d) => complianceState(d.profile)),
  prop('configurationManagerClientEnabledFeatures', 'graph.configurationManagerClientEnabledFeatures', true, () => null),
  prop('deviceActionResults', 'Collection(graph.deviceActionResult)', true, (d) => d.mdm.latestActions(d.record).map((a) => serializeActionResult(a, d.seeSecrets))),
  prop('deviceCategoryDisplayName', 'Edm.String', true, () => 'Unknown'),
  prop('deviceEnrollmentType', 'graph.deviceEnrollmentType', false, (d) => d.profile.deviceEnrollmentType),
  prop('deviceHealthAttestationState', 'graph.deviceHealthAttestationState', true, () => null),
  prop('deviceName', 'Edm.String', true, (d) => d.profile.deviceName),
  prop('deviceRegistrationState', 'graph.deviceRegistrationState', false, () => 'registered'),
  prop('easActivated', 'Edm.Boolean', false, () => false),
  prop('easActivationDateTime', 'Edm.DateTimeOffset', false, () => NEVER),
  prop('easDeviceId', 'Edm.String', true, () => ''),
  prop('emailAddress', 'Edm.String', true, (d) => d.profile.userPrincipalName),
  prop('enrolledDateTime', 'Edm.DateTimeOffset', false, (d) => iso(d.record.enrolledAt)),
  prop('enrollmentProfileName', 'Edm.String', true, () => null),
  prop('ethernetMacAddress', 'Edm.String', true, (d) => (d.profile.operatingSystem === 'Windows' || d.profile.operatingSystem === 'macOS' ? macAddress(d, 0xe7) : null)),
  prop('exchangeAccessState', 'graph.deviceManagementExchangeAccessState', false, () => 'none'),
  prop('exchangeAccessStateReason', 'graph.deviceManagementExchangeAccessStateReason', false, () => 'none'),
  prop('exchangeLastSuccessfulSyncDateTime', 'Edm.DateTimeOffset', false, () => NEVER),
  prop('freeStorageSpaceInBytes', 'Edm.Int64', false, (d) => Math.floor((totalStorage(d) * (10 + (digest(d, 0xf4ee) % 70))) / 100)),
  prop('iccid', 'Edm.String', true, () => null),
  prop('imei', 'Edm.String', true, (d) => d.profile.imei),
  prop('isEncrypted', 'Edm.Boolean', false, () => true),
  prop('isSupervised', 'Edm.Boolean', false, (d) => d.profile.isSupervised),
  prop('jailBroken', 'Edm.String', true, (d) => (isApple(d.profile) ? 'False' : 'Unknown')),
  prop('lastSyncDateTime', 'Edm.DateTimeOffset', false, (d) => iso(d.mdm.lastSyncAt(d.record))),
  prop('managedDeviceName', 'Edm.String', true, (d) => d.profile.deviceName),
  prop('managedDeviceOwnerType', 'graph.managedDeviceOwnerType', false, (d) => d.profile.managedDeviceOwnerType),
  prop('managementAgent', 'graph.managementAgentType', false, (d) => d.profile.managementAgent),
  prop('managementCertificateExpirationDate', 'Edm.DateTimeOffset', false, (d) => iso(d.record.enrolledAt + 365 * 24 * 3600_000)),
  prop('managementState', 'graph.managementState', false, (d) => (d.mdm.isEnrolled(d.record) ? 'managed' : 'wipePending')),
  prop('manufacturer', 'Edm.String', true, (d) => d.profile.manufacturer),
  prop('meid', 'Edm.String', true, () => null),
  prop('model', 'Edm.String', true, (d) => d.profile.model),
  prop('notes', 'Edm.String', true, () => null),
  prop('operatingSystem', 'Edm.String', true, (d) => d.profile.operatingSystem),
  prop('osVersion', 'Edm.String', true, (d) => d.profile.osVersion),
  prop('partnerReportedThreatState', 'graph.managedDevicePartnerReportedHealthState', false, () => 'unknown'),
  prop('phoneNumber', 'Edm.String', true, (d) => (d.profile.imei !== '' ? '' : null)),
  prop('physicalMemoryInBytes', 'Edm.Int64', false, () => 0),
  prop('remoteAssistanceSessionErrorDetails', 'Edm.String', true, () => null),
  prop('remoteAssistanceSessionUrl', 'Edm.String', true, () => null),
  prop('requireUserEnrollmentApproval', 'Edm.Boolean', true, () => null),
  prop('serialNumber', 'Edm.String', true, (d) => d.profile.serialNumber),
  prop('subscriberCarrier', 'Edm.String', true, () => ''),
  prop('totalStorageSpaceInBytes', 'Edm.Int64', false, (d) => totalStorage(d)),
  prop('udid', 'Edm.String', true, (d) => (isApple(d.profile) ? `${hex(digest(d, 0x0d1d), 8)}-${hex(digest(d, 0x0d1e), 16)}`.toUpperCase() : null)),
  prop('userDisplayName', 'Edm.String', true, (d) => d.profile.userDisplayName),
  prop('userId', 'Edm.String', true, (d) => (hasUser(d.profile) ? derivedGuid(d, 0x05e7) : null)),
  prop('userPrincipalName', 'Edm.String', true, (d) => d.profile.userPrincipalName),
  prop('wiFiMacAddress', 'Edm.String', true, (d) => macAddress(d, 0x3f1)),
];

const DEVICE_TYPES: Readonly<Record<string, string>> = { iOS: 'iPhone', iPadOS: 'iPad', macOS: 'macMDM', Windows: 'windowsRT', Android: 'androidEnterprise' };

/** Properties Graph has on beta only (the v1.0 schema notes their types as "not in v1.0"). */
export const BETA_ONLY_PROPERTIES: readonly PropertySpec[] = [
  { ...prop('deviceType', 'graph.deviceType', false, (d) => DEVICE_TYPES[d.profile.operatingSystem] ?? 'unknown'), betaOnly: true },
  { ...prop('joinType', 'graph.joinType', false, (d) => (d.profile.operatingSystem === 'Windows' ? 'azureADJoined' : 'unknown')), betaOnly: true },
  { ...prop('lostModeState', 'graph.lostModeState', false, () => 'disabled'), betaOnly: true },
  { ...prop('managementFeatures', 'graph.managedDeviceManagementFeatures', false, () => 'none'), betaOnly: true },
  { ...prop('processorArchitecture', 'graph.managedDeviceArchitecture', false, (d) => (d.profile.operatingSystem === 'Windows' ? 'x64' : 'arm64')), betaOnly: true },
];

export type GraphVersionName = 'v1.0' | 'beta';

export const PROPERTIES_BY_VERSION: Readonly<Record<GraphVersionName, readonly PropertySpec[]>> = {
  'v1.0': V1_PROPERTIES,
  beta: [...V1_PROPERTIES, ...BETA_ONLY_PROPERTIES],
};

export const PROPERTY_NAMES_BY_VERSION: Readonly<Record<GraphVersionName, readonly string[]>> = {
  'v1.0': V1_PROPERTIES.map((p) => p.name),
  beta: PROPERTIES_BY_VERSION.beta.map((p) => p.name),
};

const BY_NAME = new Map<string, PropertySpec>(PROPERTIES_BY_VERSION.beta.map((p) => [p.name, p]));

export function propertySpec(name: string): PropertySpec | undefined {
  return BY_NAME.get(name);
}
