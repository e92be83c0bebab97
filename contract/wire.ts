/** Bodies of the lockstep HTTP contract, as the harness and the simulator both see them. */
import type { ActionName, ActionState } from './actions.js';
import type { VariantKey } from './variants.js';

/** What POST /sim/devices takes: a variant and any facts the scenario pins. */
export interface EnrollSpec {
  variant: VariantKey;
  osVersion?: string;
  deviceName?: string;
  passcodePolicy?: boolean;
  workProfilePasswordSet?: boolean;
  unlockToken?: 'good' | 'bad' | 'missing';
  passcodeCompliancePolicy?: boolean;
  supervised?: boolean;
  online?: boolean;
  devicePasscodeSet?: boolean;
}

/** The device's ground truth from the simulation API. */
export interface Truth {
  variant: VariantKey;
  online: boolean;
  enrolled: boolean;
  lockScreen: 'locked' | 'unlocked' | 'screenOff';
  devicePasscode: 'none' | 'user' | 'temporary';
  workProfile?: { challenge: 'none' | 'user' | 'temporary'; locked: boolean; resetToken: 'none' | 'pending' | 'active'; activationNotification: boolean };
  passcodePrompt: boolean;
  pendingCommands: number;
}

/** A user or device event posted to the simulation API. */
export interface SimEvent {
  type: 'checkIn' | 'enterPasscode' | 'setPasscode' | 'reboot' | 'goOffline' | 'goOnline' | 'wake';
  passcode?: string;
  scope?: 'device' | 'workProfile';
}

/** One entry of a managed device's deviceActionResults. */
export interface ActionResult {
  actionName: ActionName;
  actionState: ActionState;
  startDateTime?: string;
  lastUpdatedDateTime?: string;
  passcode?: string | null;
  unlockPin?: string | null;
  errorCode?: number;
}

/** One entry of the Device actions list (remoteActionAudits). */
export interface Audit {
  id: string;
  managedDeviceId: string;
  action: string;
  actionState: ActionState;
  initiatedByUserPrincipalName: string;
  requestDateTime: string;
  [field: string]: unknown;
}
