/**
 * The device side of a scenario: simulated Apple devices enrolled in an Apple MDM server over
 * its own protocol (check-in, command polling). A scenario of the `apple-mdm` area reads what
 * its devices received and answered and judges the server by it (rows AP-1..AP-10). The harness
 * provides this facet only when run with `--apple-mdm URL`.
 */
export type AppleVariant = 'ios-device' | 'ios-user-enrollment' | 'macos';

export interface AppleDevice {
  /** The enrollment id the server's admin API addresses (UDID, or EnrollmentID for User Enrollment). */
  id: string;
  variant: AppleVariant;
}

/** A command as the device saw it; never a PIN or token value. */
export interface AppleReceived {
  commandUuid: string;
  requestType: string;
  /** Payload keys and their plist types (string, data, bool, integer, ...). */
  keys: Record<string, string>;
  status: 'Acknowledged' | 'Error' | 'CommandFormatError' | 'NotNow' | 'Idle';
  /** ClearPasscode: its UnlockToken is byte for byte the one the device last escrowed (null: none sent). */
  tokenIsEscrowed?: boolean | null;
  /** DeviceLock / EraseDevice: length of the PIN sent (null: none). */
  pinLength?: number | null;
  afterCheckOut: boolean;
}

export interface AppleTruth {
  devicePasscode: 'none' | 'user' | 'temporary';
  lockScreen: 'locked' | 'unlocked' | 'screenOff';
  checkedOut: boolean;
}

export type AdminAnswer = 'queued' | 'refused';

export interface AppleFacet {
  /** What the server's admin side decides: 'policy' (it builds commands from admin intents and may refuse), or 'raw' (a command queue that sends what it is given, like NanoMDM). */
  readonly commandPolicy: 'policy' | 'raw';
  enroll(variant: AppleVariant, options?: { unlockToken?: 'good' | 'bad' | 'missing' }): Promise<AppleDevice>;
  /** Admin intents, through the server's admin API. */
  clearPasscode(device: AppleDevice): Promise<AdminAnswer>;
  lock(device: AppleDevice): Promise<AdminAnswer>;
  erase(device: AppleDevice): Promise<AdminAnswer>;
  /** A raw command through the admin API; its CommandUUID. */
  send(device: AppleDevice, requestType: string): Promise<string>;
  /** The device polls (as after a push) and handles commands until the queue is empty. */
  poll(device: AppleDevice): Promise<AppleReceived[]>;
  tokenUpdate(device: AppleDevice, options: { rotateUnlockToken?: boolean; withoutUnlockToken?: boolean }): Promise<void>;
  checkOut(device: AppleDevice): Promise<void>;
  /** The device answers its next `count` commands NotNow. */
  deferNext(device: AppleDevice, count: number): Promise<void>;
  truth(device: AppleDevice): Promise<AppleTruth>;
  /** A check-in by a device whose certificate the server does not trust: the HTTP status, and whether it later reached that enrollment. */
  untrustedCheckin(): Promise<{ status: number; enrolled: boolean }>;
  /** The server's admin view of the device (AP-9), where it has one lockstep can read; absent otherwise. */
  adminView?(device: AppleDevice): Promise<AdminView>;
}

export interface AdminView {
  /** The latest action of each name as the admin sees it: actionName -> actionState (done, failed, pending...). */
  actions: Record<string, string>;
  /** The Mac lock's PIN in the admin view is the one the Mac locked with (null: no lock PIN on either side). */
  lockPinMatchesDevice: boolean | null;
}
