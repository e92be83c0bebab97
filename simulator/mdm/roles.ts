import type { GraphAction } from '../support-matrix.js';

/** Graph roles of the contract (client ids of the built-in local clients). */
export const GRAPH_ROLES = [
  'global-administrator',
  'intune-administrator',
  'helpdesk-operator',
  'role-administrator',
  'school-administrator',
  'endpoint-security-manager',
  'read-only-operator',
] as const;
export const SIM_ROLE = 'sim-controller';
export const ROLES = [...GRAPH_ROLES, SIM_ROLE] as const;
export type Role = (typeof ROLES)[number];

const MAY_ACT: Readonly<Record<GraphAction, readonly Role[]>> = {
  // RB-1 plus RB-2 (School Administrator).
  resetPasscode: ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator'],
  // RB-2: Endpoint Security Manager may lock only.
  remoteLock: ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator', 'endpoint-security-manager'],
  wipe: ['global-administrator', 'intune-administrator', 'helpdesk-operator'],
};

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function mayReadDevices(role: Role): boolean {
  return role !== SIM_ROLE;
}

export function mayAct(role: Role, action: GraphAction): boolean {
  return MAY_ACT[action].includes(role);
}

/** TP-5: temporary passcodes and unlock PINs are shown only to roles that may reset passcodes. */
export function maySeeSecrets(role: Role): boolean {
  return mayAct(role, 'resetPasscode');
}
