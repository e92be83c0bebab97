/**
 * The members of the enums managedDevice and deviceActionResult use, as the v1.0 schema publishes
 * them (enums.test.ts checks this table against managedDevice.v1.0.csdl.xml). The OpenAPI document
 * lists them from here.
 */
export const V1_ENUMS: Readonly<Record<string, readonly string[]>> = {
  actionState: ['none', 'pending', 'canceled', 'active', 'done', 'failed', 'notSupported'],
  managedDeviceOwnerType: ['unknown', 'company', 'personal', 'unknownFutureValue'],
  managementAgentType: ['eas', 'mdm', 'easMdm', 'intuneClient', 'easIntuneClient', 'configurationManagerClient', 'configurationManagerClientMdm', 'configurationManagerClientMdmEas', 'unknown', 'jamf', 'googleCloudDevicePolicyController', 'microsoft365ManagedMdm', 'msSense'],
  complianceState: ['unknown', 'compliant', 'noncompliant', 'conflict', 'error', 'inGracePeriod', 'configManager'],
  deviceEnrollmentType: ['unknown', 'userEnrollment', 'deviceEnrollmentManager', 'appleBulkWithUser', 'appleBulkWithoutUser', 'windowsAzureADJoin', 'windowsBulkUserless', 'windowsAutoEnrollment', 'windowsBulkAzureDomainJoin', 'windowsCoManagement', 'windowsAzureADJoinUsingDeviceAuth', 'appleUserEnrollment', 'appleUserEnrollmentWithServiceAccount', 'unknownFutureValue'],
  deviceManagementExchangeAccessState: ['none', 'unknown', 'allowed', 'blocked', 'quarantined'],
  deviceManagementExchangeAccessStateReason: ['none', 'unknown', 'exchangeGlobalRule', 'exchangeIndividualRule', 'exchangeDeviceRule', 'exchangeUpgrade', 'exchangeMailboxPolicy', 'other', 'compliant', 'notCompliant', 'notEnrolled', 'unknownLocation', 'mfaRequired', 'azureADBlockDueToAccessPolicy', 'compromisedPassword', 'deviceNotKnownWithManagedApp'],
  deviceRegistrationState: ['notRegistered', 'registered', 'revoked', 'keyConflict', 'approvalPending', 'certificateReset', 'notRegisteredPendingEnrollment', 'unknown'],
  managedDevicePartnerReportedHealthState: ['unknown', 'activated', 'deactivated', 'secured', 'lowSeverity', 'mediumSeverity', 'highSeverity', 'unresponsive', 'compromised', 'misconfigured'],
  deviceManagementSubscriptionState: ['pending', 'active', 'warning', 'disabled', 'deleted', 'blocked', 'lockedOut'],
};

/**
 * Values lockstep's devices take that the v1.0 excerpt does not list: Android Enterprise and AOSP
 * enrollment types and the AOSP agent are published on beta. lockstep answers them on v1.0 too
 * (Graph's evolvable-enum rule would say unknownFutureValue without `Prefer: include-unknown-enum-members`).
 */
export const BEYOND_V1_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  deviceEnrollmentType: ['androidEnterpriseCorporateWorkProfile', 'androidEnterpriseFullyManaged', 'androidEnterpriseDedicatedDevice', 'androidAOSPUserOwnedDeviceEnrollment', 'androidAOSPUserlessDeviceEnrollment'],
  managementAgentType: ['intuneAosp'],
};

/** The published members of an enum-typed property (`graph.x`), or undefined for a type the excerpt lacks. */
export function enumMembers(type: string): readonly string[] | undefined {
  const name = type.startsWith('graph.') ? type.slice('graph.'.length) : type;
  const published = V1_ENUMS[name];
  return published && [...published, ...(BEYOND_V1_MEMBERS[name] ?? [])];
}
