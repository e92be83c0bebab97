/**
 * The managedDevice property names Microsoft Graph publishes: v1.0's (`id` first, then in the
 * published order) and the few beta adds. Shared vocabulary: the simulator's property table and
 * the scenarios use it; simulator/mdm/graph-schema/managed-device.test.ts checks it against the
 * published schema excerpt.
 */
export const MANAGED_DEVICE_V1_PROPERTIES = [
  'id', 'activationLockBypassCode', 'androidSecurityPatchLevel', 'azureADDeviceId',
  'azureADRegistered', 'complianceGracePeriodExpirationDateTime', 'complianceState',
  'configurationManagerClientEnabledFeatures', 'deviceActionResults', 'deviceCategoryDisplayName',
  'deviceEnrollmentType', 'deviceHealthAttestationState', 'deviceName', 'deviceRegistrationState',
  'easActivated', 'easActivationDateTime', 'easDeviceId', 'emailAddress', 'enrolledDateTime',
  'enrollmentProfileName', 'ethernetMacAddress', 'exchangeAccessState',
  'exchangeAccessStateReason', 'exchangeLastSuccessfulSyncDateTime', 'freeStorageSpaceInBytes',
  'iccid', 'imei', 'isEncrypted', 'isSupervised', 'jailBroken', 'lastSyncDateTime',
  'managedDeviceName', 'managedDeviceOwnerType', 'managementAgent',
  'managementCertificateExpirationDate', 'managementState', 'manufacturer', 'meid', 'model',
  'notes', 'operatingSystem', 'osVersion', 'partnerReportedThreatState', 'phoneNumber',
  'physicalMemoryInBytes', 'remoteAssistanceSessionErrorDetails', 'remoteAssistanceSessionUrl',
  'requireUserEnrollmentApproval', 'serialNumber', 'subscriberCarrier', 'totalStorageSpaceInBytes',
  'udid', 'userDisplayName', 'userId', 'userPrincipalName', 'wiFiMacAddress',
] as const;

/** Properties Graph has on beta only. */
export const MANAGED_DEVICE_BETA_ONLY_PROPERTIES = ['deviceType', 'joinType', 'lostModeState', 'managementFeatures', 'processorArchitecture'] as const;
