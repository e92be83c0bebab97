import type { Level } from '../contract/result-model.js';

/**
 * The behaviour catalogue as data, in lockstep's own words. Every scenario and every
 * report line names one of these IDs, so the reports can quote the statement without
 * the user's machine having the original documents.
 */

export type RequirementArea =
  | 'device-reset'
  | 'work-profile-reset'
  | 'temporary-passcode'
  | 'token-activation'
  | 'ios-removal'
  | 'remote-lock'
  | 'roles'
  | 'action-status'
  | 'graph-fidelity'
  | 'apple-mdm';

export interface Requirement {
  id: string;
  level: Level;
  area: RequirementArea;
  statement: string;
  /** Where the rule comes from, briefly; "lockstep reference choice" where no source decides. */
  source: string;
}

const INTUNE = 'Intune: Reset or remove a device passcode';
const DEVICE_TABLE = `${INTUNE} (device-level table)`;
const WORK_PROFILE_TABLE = `${INTUNE} (work-profile table)`;
const ANDROID_RESET_SECTION = `${INTUNE} (Reset Android work profile and Device Owner passcodes)`;
const IOS_REMOVAL_SECTION = `${INTUNE} (Remove iOS/iPadOS passcodes)`;
const REMOTE_LOCK_SECTION = `${INTUNE} (Troubleshooting remote lock failures)`;
const REFERENCE_CHOICE = 'lockstep reference choice';

const GRAPH = 'Microsoft Graph v1.0 and beta (managedDevice, its bound actions, errors and query options)';
const APPLE = 'Apple Device Management: MDM protocol';
export const REQUIREMENTS: readonly Requirement[] = [
  // Device-level passcode reset: each row says plainly whether the platform supports it.
  {
    id: 'DL-1', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement: 'Device-level passcode reset is supported on Android device-administrator devices running 6.x or earlier.',
  },
  {
    id: 'DL-2', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement:
      'Device-level passcode reset is supported on Android Enterprise devices where the MDM is device owner: fully managed and dedicated (kiosk) devices.',
  },
  {
    id: 'DL-3', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement:
      'Device-level passcode reset is supported on iOS/iPadOS, but only as passcode removal: the passcode is cleared, not replaced (see IR-1 to IR-5).',
  },
  {
    id: 'DL-4', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement: 'Device-level passcode reset is not supported on iOS/iPadOS devices enrolled through User Enrollment.',
  },
  {
    id: 'DL-5', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement:
      'Device-level passcode reset is not supported on Android Enterprise work-profile devices, personally or corporate owned; on those the work-profile passcode is reset instead (WP-1 to WP-5).',
  },
  {
    id: 'DL-6', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement:
      'Device-level passcode reset is not supported on Android device-administrator devices running 7.0 or later: Android 7 took passcode reset away from device-administrator apps, for every MDM vendor alike.',
  },
  {
    id: 'DL-7', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement: 'Device-level passcode reset is not supported on macOS.',
  },
  {
    id: 'DL-8', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement: 'Device-level passcode reset is not supported on Windows.',
  },
  {
    id: 'DL-9', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement: 'Device-level passcode reset is supported on AOSP corporate-owned devices that are associated with a user.',
  },
  {
    id: 'DL-10', level: 'MUST', area: 'device-reset', source: DEVICE_TABLE,
    statement: 'Device-level passcode reset is supported on AOSP corporate-owned userless devices.',
  },

  // Work-profile passcode reset.
  {
    id: 'WP-1', level: 'MUST', area: 'work-profile-reset', source: WORK_PROFILE_TABLE,
    statement: 'Work-profile passcode reset is supported on Android Enterprise work-profile devices running Android 8.0 or later.',
  },
  {
    id: 'WP-2', level: 'MUST', area: 'work-profile-reset', source: WORK_PROFILE_TABLE,
    statement: 'Work-profile passcode reset is supported on Android Enterprise corporate-owned devices that have a work profile.',
  },
  {
    id: 'WP-3', level: 'MUST', area: 'work-profile-reset', source: WORK_PROFILE_TABLE,
    statement: 'Work-profile passcode reset is not supported on Android Enterprise work-profile devices running Android 7.x or earlier.',
  },
  {
    id: 'WP-4', level: 'MUST', area: 'work-profile-reset', source: WORK_PROFILE_TABLE,
    statement: 'Work-profile passcode reset is not supported on any Android device running 7.x or earlier, whatever its management mode.',
  },
  {
    id: 'WP-5', level: 'MUST', area: 'work-profile-reset', source: WORK_PROFILE_TABLE,
    statement:
      'A work-profile reset gives only the work profile a new temporary passcode; the passcode of the device lock screen stays as it was.',
  },

  // Temporary passcode.
  {
    id: 'TP-1', level: 'MUST', area: 'temporary-passcode', source: ANDROID_RESET_SECTION,
    statement:
      'After a reset on Android 8.x or later, the admin is shown a temporary passcode for Android Enterprise device-owner, personally-owned work-profile and corporate-owned work-profile devices.',
  },
  {
    id: 'TP-2', level: 'MUST', area: 'temporary-passcode', source: ANDROID_RESET_SECTION,
    statement:
      'The user has to type the temporary passcode on the device; until then the device (or the work profile) stays locked behind it.',
  },
  {
    id: 'TP-3', level: 'MUST', area: 'temporary-passcode', source: ANDROID_RESET_SECTION,
    statement: 'The admin can see the temporary passcode for seven days after the reset, and no longer.',
  },
  {
    id: 'TP-4', level: 'SHOULD', area: 'temporary-passcode',
    source: `Android DevicePolicyManager.resetPassword; showing it to the admin is a ${REFERENCE_CHOICE}`,
    statement:
      'A reset on an Android device-administrator device running 6.x or earlier also sets a new passcode; the sources do not say whether the admin sees it, and the reference shows it.',
  },
  {
    id: 'TP-5', level: 'REF', area: 'temporary-passcode', source: REFERENCE_CHOICE,
    statement:
      'Only roles allowed to reset a passcode can read a temporary passcode, and it never shows up in logs, audit records or reports.',
  },

  // Reset-token activation on personally-owned work profiles (Android 8.x+).
  {
    id: 'AN-1', level: 'MUST', area: 'token-activation', source: ANDROID_RESET_SECTION,
    statement:
      'On a personally-owned work profile, as soon as enrollment finishes and a work-profile password is both required and set, the user is asked by notification to activate the reset passcode.',
  },
  {
    id: 'AN-2', level: 'MUST', area: 'token-activation', source: ANDROID_RESET_SECTION,
    statement: 'The activation notification goes away once the user has entered their passcode.',
  },
  {
    id: 'AN-3', level: 'SHOULD', area: 'token-activation',
    source: 'Android DevicePolicyManager.setResetPasswordToken / isResetPasswordTokenActive / resetPasswordWithToken',
    statement:
      'The reset token turns active only after the user has confirmed their credential once, and a token-based reset with an inactive token fails: a reset before activation ends failed, after activation done.',
  },
  {
    id: 'AN-4', level: 'SHOULD', area: 'token-activation', source: 'Android DevicePolicyManager reset-password token',
    statement:
      'A reset token that was never activated does not survive a reboot: it has to be provisioned again, and the activation notification comes back.',
  },

  // iOS/iPadOS passcode removal.
  {
    id: 'IR-1', level: 'MUST', area: 'ios-removal', source: IOS_REMOVAL_SECTION,
    statement: 'On iOS/iPadOS the passcode is removed rather than reset, so the admin is never given a temporary passcode.',
  },
  {
    id: 'IR-2', level: 'MUST', area: 'ios-removal', source: IOS_REMOVAL_SECTION,
    statement:
      'When a passcode compliance policy is assigned, the device asks the user to choose a new passcode in Settings once the old one has been removed.',
  },
  {
    id: 'IR-3', level: 'MUST', area: 'ios-removal', source: IOS_REMOVAL_SECTION,
    statement: 'If the unlock token the MDM holds is wrong, removal fails, and only a wipe gets the device back into use.',
  },
  {
    id: 'IR-4', level: 'SHOULD', area: 'ios-removal', source: 'Apple MDM ClearPasscode and TokenUpdate check-in',
    statement:
      'The unlock token is the one the device reported at its TokenUpdate check-in; ClearPasscode is refused on User Enrollment and Shared iPad, and macOS has no such command.',
  },
  {
    id: 'IR-5', level: 'SHOULD', area: 'ios-removal', source: 'Apple MDM EraseDevice',
    statement: 'A wipe erases the device: its passcode is gone, it is no longer enrolled, and its former unlock token stops working.',
  },

  // Remote lock.
  {
    id: 'RL-1', level: 'MUST', area: 'remote-lock', source: REMOTE_LOCK_SECTION,
    statement: 'On AOSP devices, a remote lock succeeds only if a device passcode policy is assigned to the device.',
  },
  {
    id: 'RL-2', level: 'MUST', area: 'remote-lock', source: REMOTE_LOCK_SECTION,
    statement: 'On AOSP devices with no device passcode policy assigned, a remote lock ends failed instead of succeeding.',
  },
  {
    id: 'RL-3', level: 'SHOULD', area: 'remote-lock', source: 'Microsoft Graph remoteLock and Intune remote lock documentation',
    statement:
      'Remote lock works on Android device administrator, every Android Enterprise mode, iOS/iPadOS (User Enrollment included) and macOS; Windows desktop does not support it and Graph rejects the request with 400 Bad Request.',
  },
  {
    id: 'RL-4', level: 'SHOULD', area: 'remote-lock', source: 'Android DevicePolicyManager.lockNow',
    statement: 'Locking a device that has no passcode only switches its screen off; the device is not left locked.',
  },
  {
    id: 'RL-5', level: 'SHOULD', area: 'remote-lock', source: 'Apple MDM DeviceLock (PIN on macOS); Microsoft Graph unlockPin',
    statement:
      'On macOS the lock sets a six-digit PIN that the admin can read (unlockPin); another lock sent before that PIN has been used fails.',
  },

  // Roles.
  {
    id: 'RB-1', level: 'MUST', area: 'roles', source: `${INTUNE} (Reset a passcode)`,
    statement:
      'These roles may reset a passcode: Global Administrator, Intune Administrator (Intune Service Admin), Helpdesk Operator and Role Administrator.',
  },
  {
    id: 'RB-2', level: 'SHOULD', area: 'roles', source: 'Later Intune documentation (role permissions)',
    statement:
      'Newer documentation also lets School Administrator reset or remove passcodes, and Endpoint Security Manager run remote lock but not a reset.',
  },
  {
    id: 'RB-3', level: 'SHOULD', area: 'roles', source: 'Intune role-based access control; Microsoft Graph 401/403 responses',
    statement:
      'Read Only Operator can read devices but run neither action. A request without credentials gets 401, a role without the permission gets 403, and neither changes anything on the device.',
  },

  // Status of actions.
  {
    id: 'ST-1', level: 'MUST', area: 'action-status', source: `${INTUNE} (Next steps: Device actions)`,
    statement: 'Every action taken shows its status in the Device actions list.',
  },
  {
    id: 'ST-2', level: 'SHOULD', area: 'action-status', source: 'Microsoft Graph actionState',
    statement:
      "Action states are Graph's none, pending, canceled, active, done, failed and notSupported; an action stays pending until the device checks in.",
  },
  {
    id: 'ST-3', level: 'REF', area: 'action-status', source: REFERENCE_CHOICE,
    statement:
      'An action the platform does not support is never carried out. The admin is told either at once (HTTP 400) or by a notSupported action result; a conformance check accepts either signal, but never done.',
  },

  // Graph fidelity: what real Graph clients rely on.
  {
    id: 'GF-1', level: 'SHOULD', area: 'graph-fidelity', source: `${GRAPH}: authentication errors`,
    statement: "A request with a missing or bad token gets 401 with Graph's error body and code InvalidAuthenticationToken, which Graph clients and scripts test for.",
  },
  {
    id: 'GF-2', level: 'SHOULD', area: 'graph-fidelity', source: `${GRAPH}: $filter`,
    statement: "Admins find devices with $filter: eq, ne, startswith(), and, or and not on deviceName, serialNumber, userPrincipalName, azureADDeviceId and the other identifying properties; the answer holds exactly the matching devices.",
  },
  {
    id: 'GF-3', level: 'SHOULD', area: 'graph-fidelity', source: `${GRAPH}: managedDevice properties`,
    statement: 'Every published v1.0 managedDevice property can be read and named in $select (complianceState, azureADDeviceId, managementState, ...).',
  },
  {
    id: 'GF-4', level: 'SHOULD', area: 'graph-fidelity', source: `${GRAPH}: wipe action parameters`,
    statement: 'wipe takes its published parameters, persistEsimDataPlan included, and a request with them is accepted like any wipe.',
  },
  {
    id: 'GF-5', level: 'SHOULD', area: 'graph-fidelity', source: `${GRAPH}: v1.0 and beta schemas`,
    statement: 'v1.0 serves only what v1.0 publishes: remoteActionAudits and the beta-only managedDevice properties (deviceType, joinType, ...) are on beta alone; on v1.0 the list is an unknown segment and $select of such a property is 400 BadRequest.',
  },
  {
    id: 'GF-6', level: 'SHOULD', area: 'graph-fidelity', source: `${GRAPH}: bound action parameters`,
    statement: 'An action request whose body names a parameter the action does not publish (any for resetPasscode and remoteLock) is 400 BadRequest, and the action is not carried out.',
  },

  // Apple MDM protocol: what a simulated device checks of the server (run --apple-mdm).
  {
    id: 'AP-1', level: 'MUST', area: 'apple-mdm', source: `${APPLE} (ClearPasscode, TokenUpdate)`,
    statement: 'A ClearPasscode carries an UnlockToken byte for byte equal to the one the device last escrowed in a TokenUpdate; with a wrong or missing token the device answers Error and keeps its passcode.',
  },
  {
    id: 'AP-2', level: 'MUST', area: 'apple-mdm', source: `${APPLE} (ClearPasscode availability)`,
    statement: 'No ClearPasscode is sent to a User Enrollment device, a Shared iPad or a Mac.',
  },
  {
    id: 'AP-3', level: 'MUST', area: 'apple-mdm', source: `${APPLE} (DeviceLock)`,
    statement: 'A DeviceLock to a Mac carries a six-character PIN and the Mac locks with it; a DeviceLock to an iPhone or iPad carries no PIN.',
  },
  {
    id: 'AP-4', level: 'MUST', area: 'apple-mdm', source: `${APPLE} (EraseDevice)`,
    statement: 'An EraseDevice to a Mac that needs a Find My PIN carries a six-character PIN.',
  },
  {
    id: 'AP-5', level: 'MUST', area: 'apple-mdm', source: `${APPLE} (command and result flow)`,
    statement: 'Every command has a CommandUUID; a command answered Acknowledged or Error is never delivered again; one answered NotNow is delivered again at a later poll.',
  },
  {
    id: 'AP-6', level: 'MUST', area: 'apple-mdm', source: `${APPLE} (CheckOut)`,
    statement: 'After a CheckOut the server sends that enrollment no command.',
  },
  {
    id: 'AP-7', level: 'MUST', area: 'apple-mdm', source: `${APPLE} (device identity)`,
    statement: 'Check-ins and command results are accepted only with a valid device identity (a valid Mdm-Signature by a trusted certificate, or the configured certificate header); anything else gets a 4xx and changes nothing.',
  },
  {
    id: 'AP-8', level: 'SHOULD', area: 'apple-mdm', source: `${APPLE} (TokenUpdate)`,
    statement: 'After a TokenUpdate with a new UnlockToken the next ClearPasscode uses the new token; after one without, the old token is still used.',
  },
  {
    id: 'AP-9', level: 'MUST', area: 'apple-mdm', source: `${APPLE} with an admin view`,
    statement: 'Where the server has an admin view, a command the device answered Error shows as failed, never done, and a Mac lock shows the PIN the DeviceLock carried.',
  },
  {
    id: 'AP-10', level: 'REF', area: 'apple-mdm', source: `${APPLE} (command schema)`,
    statement: "Command payload keys and values follow Apple's schema; a key outside it is reported as information.",
  },
];

const BY_ID: ReadonlyMap<string, Requirement> = new Map(REQUIREMENTS.map((entry) => [entry.id, entry]));

export function isRequirementId(id: string): boolean {
  return BY_ID.has(id);
}

export function requirement(id: string): Requirement {
  const found = BY_ID.get(id);
  if (!found) throw new Error(`unknown requirement ${id}`);
  return found;
}
