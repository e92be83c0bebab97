/**
 * The roles of the contract: each is also the client id of a built-in local client. Who may do
 * what is behaviour and lives with the reference MDM (simulator/mdm/roles.ts) and the fuzz oracle.
 */
export const SIM_ROLE = 'sim-controller';

export const ROLE_NAMES = [
  'global-administrator',
  'intune-administrator',
  'helpdesk-operator',
  'role-administrator',
  'school-administrator',
  'endpoint-security-manager',
  'read-only-operator',
  SIM_ROLE,
] as const;
export type RoleName = (typeof ROLE_NAMES)[number];
export type GraphRoleName = Exclude<RoleName, typeof SIM_ROLE>;
/** The roles of the management API (every role but the simulation's). */
export const GRAPH_ROLE_NAMES: readonly GraphRoleName[] = ROLE_NAMES.filter((r): r is GraphRoleName => r !== SIM_ROLE);

export function isRole(value: unknown): value is RoleName {
  return typeof value === 'string' && (ROLE_NAMES as readonly string[]).includes(value);
}
