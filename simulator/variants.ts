/** The fixed facts of each device variant (the list of variants itself is contract/variants.ts). */

import type { VariantKey } from '../contract/variants.js';

export type Platform = 'android' | 'aosp' | 'apple-mobile' | 'macos' | 'windows';
export type OperatingSystem = 'Android' | 'iOS' | 'iPadOS' | 'macOS' | 'Windows';
export type OwnerType = 'company' | 'personal';

export interface VariantInfo {
  key: VariantKey;
  title: string;
  platform: Platform;
  /** Lowest and highest OS version this variant can run, as [major, minor]. */
  minOs: readonly [number, number];
  maxOs: readonly [number, number];
  /** Graph deviceEnrollmentType values this variant is enrolled with; the first is the default. */
  enrollmentTypes: readonly string[];
  owners: readonly OwnerType[];
  managementAgent: string;
  hasWorkProfile: boolean;
  /** AOSP userless devices have no user principal. */
  userless: boolean;
}

const android = 'mdm';
export const VARIANT_INFO: Readonly<Record<VariantKey, VariantInfo>> = {
  'android-da-legacy': {
    key: 'android-da-legacy', title: 'Android device administrator, 6.x or earlier', platform: 'android',
    minOs: [4, 4], maxOs: [6, 0], enrollmentTypes: ['userEnrollment'], owners: ['personal', 'company'],
    managementAgent: android, hasWorkProfile: false, userless: false,
  },
  'android-da-modern': {
    key: 'android-da-modern', title: 'Android device administrator, 7.0 or later', platform: 'android',
    minOs: [7, 0], maxOs: [15, 0], enrollmentTypes: ['userEnrollment'], owners: ['personal', 'company'],
    managementAgent: android, hasWorkProfile: false, userless: false,
  },
  'ae-work-profile-personal': {
    key: 'ae-work-profile-personal', title: 'Android Enterprise personally-owned work profile', platform: 'android',
    minOs: [5, 1], maxOs: [15, 0], enrollmentTypes: ['userEnrollment'], owners: ['personal'],
    managementAgent: android, hasWorkProfile: true, userless: false,
  },
  'ae-work-profile-corporate': {
    key: 'ae-work-profile-corporate', title: 'Android Enterprise corporate-owned work profile', platform: 'android',
    minOs: [8, 0], maxOs: [15, 0], enrollmentTypes: ['androidEnterpriseCorporateWorkProfile'], owners: ['company'],
    managementAgent: android, hasWorkProfile: true, userless: false,
  },
  'ae-fully-managed': {
    key: 'ae-fully-managed', title: 'Android Enterprise fully managed (device owner)', platform: 'android',
    minOs: [8, 0], maxOs: [15, 0], enrollmentTypes: ['androidEnterpriseFullyManaged'], owners: ['company'],
    managementAgent: android, hasWorkProfile: false, userless: false,
  },
  'ae-dedicated': {
    key: 'ae-dedicated', title: 'Android Enterprise dedicated (kiosk, device owner)', platform: 'android',
    minOs: [8, 0], maxOs: [15, 0], enrollmentTypes: ['androidEnterpriseDedicatedDevice'], owners: ['company'],
    managementAgent: android, hasWorkProfile: false, userless: false,
  },
  'aosp-user-associated': {
    key: 'aosp-user-associated', title: 'AOSP corporate-owned, user-associated', platform: 'aosp',
    minOs: [10, 0], maxOs: [14, 0], enrollmentTypes: ['androidAOSPUserOwnedDeviceEnrollment'], owners: ['company'],
    managementAgent: 'intuneAosp', hasWorkProfile: false, userless: false,
  },
  'aosp-userless': {
    key: 'aosp-userless', title: 'AOSP corporate-owned, userless', platform: 'aosp',
    minOs: [10, 0], maxOs: [14, 0], enrollmentTypes: ['androidAOSPUserlessDeviceEnrollment'], owners: ['company'],
    managementAgent: 'intuneAosp', hasWorkProfile: false, userless: true,
  },
  'ios-device': {
    key: 'ios-device', title: 'iOS/iPadOS device or automated enrollment', platform: 'apple-mobile',
    minOs: [15, 0], maxOs: [18, 6], enrollmentTypes: ['appleBulkWithUser', 'deviceEnrollmentManager', 'userEnrollment'],
    owners: ['company', 'personal'], managementAgent: 'mdm', hasWorkProfile: false, userless: false,
  },
  'ios-user-enrollment': {
    key: 'ios-user-enrollment', title: 'iOS/iPadOS User Enrollment', platform: 'apple-mobile',
    minOs: [15, 0], maxOs: [18, 6], enrollmentTypes: ['appleUserEnrollment'], owners: ['personal'],
    managementAgent: 'mdm', hasWorkProfile: false, userless: false,
  },
  macos: {
    key: 'macos', title: 'macOS', platform: 'macos',
    minOs: [12, 0], maxOs: [15, 5], enrollmentTypes: ['appleBulkWithUser', 'userEnrollment'], owners: ['company'],
    managementAgent: 'mdm', hasWorkProfile: false, userless: false,
  },
  windows: {
    key: 'windows', title: 'Windows 10/11', platform: 'windows',
    minOs: [10, 0], maxOs: [10, 0], enrollmentTypes: ['windowsAzureADJoin'], owners: ['company'],
    managementAgent: 'mdm', hasWorkProfile: false, userless: false,
  },
};
