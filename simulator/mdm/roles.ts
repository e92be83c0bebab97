import type { ActionName } from '../../contract/actions.js';

import { SIM_ROLE, type RoleName } from '../../contract/roles.js';

const MAY_ACT: Readonly<Record<ActionName, readonly RoleName[]>> = {
  // RB-1 plus RB-2 (School Administrator).
  resetPasscode: ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator'],
  // RB-2: Endpoint Security Manager may lock only.
  remoteLock: ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator', 'endpoint-security-manager'],
  wipe: ['global-administrator', 'intune-administrator', 'helpdesk-operator'],
};

export function mayReadDevices(role: RoleName): boolean {
  return role !== SIM_ROLE;
}

export function mayAct(role: RoleName, action: ActionName): boolean {
  return MAY_ACT[action].includes(role);
}

/** TP-5: temporary passcodes and unlock PINs are shown only to roles that may reset passcodes. */
export function maySeeSecrets(role: RoleName): boolean {
  return mayAct(role, 'resetPasscode');
}
