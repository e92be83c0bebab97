import type { DeviceFacts } from './device-facts.js';
import type { OperatingSystem, OwnerType } from './variants.js';

/** Who a device is: the inventory an MDM lists. Immutable once generated. */
export interface DeviceProfile {
  /** Lower-case GUID. */
  id: string;
  deviceName: string;
  operatingSystem: OperatingSystem;
  osVersion: string;
  deviceEnrollmentType: string;
  managedDeviceOwnerType: OwnerType;
  managementAgent: string;
  isSupervised: boolean;
  /** Empty for userless devices. */
  userPrincipalName: string;
  userDisplayName: string;
  serialNumber: string;
  /** Empty where the hardware has no cellular modem. */
  imei: string;
  model: string;
  manufacturer: string;
  facts: DeviceFacts;
}
