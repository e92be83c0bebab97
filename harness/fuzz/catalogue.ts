/**
 * The behaviour catalogue and the contract as tables the oracle reads: which platform
 * supports which action (DL-*, WP-*, RL-3), which role may do what (RB-*, contract), who
 * sees secrets (TP-5), where a temporary passcode must be shown (TP-1, TP-4).
 *
 * Written from behaviour.md and api-contract.md (through scenarios/requirements.ts), never
 * from the simulator: the oracle must not share the reference's mistakes.
 */
import { GRAPH_ROLE_NAMES, type GraphRoleName } from '../../contract/roles.js';
import type { ActionName } from '../../contract/actions.js';
import type { VariantKey } from '../../contract/variants.js';

export type GraphRole = GraphRoleName;
/** The role an admin acts as; null sends no token. */
export type Actor = GraphRole | null;
export type Scope = 'device' | 'workProfile';

/** Intune Administrator first: fast-check shrinks toward the first role, the most typical admin. */
export const GRAPH_ROLES: readonly GraphRole[] = ['intune-administrator', ...GRAPH_ROLE_NAMES.filter((r) => r !== 'intune-administrator')];

/** Contract, "Who may do what". */
const MAY_ACT: Readonly<Record<ActionName, readonly GraphRole[]>> = {
  resetPasscode: ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator'],
  remoteLock: ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator', 'school-administrator', 'endpoint-security-manager'],
  wipe: ['global-administrator', 'intune-administrator', 'helpdesk-operator'],
};

/** The four roles RB-1 names for passcode reset. */
const RB1_ROLES: readonly GraphRole[] = ['global-administrator', 'intune-administrator', 'helpdesk-operator', 'role-administrator'];

export interface RoleRule {
  allowed: boolean;
  /** 401 without a token, 403 for a role that may not act; undefined when allowed. */
  refusal?: 401 | 403;
  requirement: string;
}

/** RB-1 to RB-3 and the contract's role table: may this actor run the action? */
export function roleRule(action: ActionName, actor: Actor): RoleRule {
  if (actor === null) return { allowed: false, refusal: 401, requirement: 'RB-3' };
  const allowed = MAY_ACT[action].includes(actor);
  let requirement: string;
  if (actor === 'read-only-operator') requirement = 'RB-3';
  else if (actor === 'school-administrator' || actor === 'endpoint-security-manager') requirement = 'RB-2';
  else if (RB1_ROLES.includes(actor)) requirement = allowed ? 'RB-1' : 'RB-3';
  else requirement = 'RB-3';
  return allowed ? { allowed, requirement } : { allowed, refusal: 403, requirement };
}

/** TP-5 and the contract: temporary passcodes and unlock PINs are shown only to roles that may reset passcodes. */
export function maySeeSecrets(role: GraphRole): boolean {
  return MAY_ACT.resetPasscode.includes(role);
}

export function osMajor(osVersion: string | undefined): number | null {
  const match = /^(\d+)/.exec(osVersion ?? '');
  return match ? Number(match[1]) : null;
}

export type ResetKind = 'device' | 'workProfile' | 'removal';

/** What resetPasscode means on a device (DL-1 to DL-10, WP-1 to WP-4), and the row that says so. */
export function resetSupport(variant: VariantKey, major: number | null): { kind: ResetKind | null; requirement: string } {
  switch (variant) {
    case 'android-da-legacy':
      return { kind: 'device', requirement: 'DL-1' };
    case 'android-da-modern':
      // 7.x: WP-4 names the version ("any mode on 7.x or earlier"); DL-6 every later one.
      return { kind: null, requirement: major !== null && major <= 7 ? 'WP-4' : 'DL-6' };
    case 'ae-work-profile-personal':
      // WP-1 from 8.0; WP-3/WP-4 before. Without a known version the device's own default decides (8+ in every plausible default).
      return major !== null && major < 8 ? { kind: null, requirement: 'WP-3' } : { kind: 'workProfile', requirement: 'WP-1' };
    case 'ae-work-profile-corporate':
      return { kind: 'workProfile', requirement: 'WP-2' };
    case 'ae-fully-managed':
    case 'ae-dedicated':
      return { kind: 'device', requirement: 'DL-2' };
    case 'aosp-user-associated':
      return { kind: 'device', requirement: 'DL-9' };
    case 'aosp-userless':
      return { kind: 'device', requirement: 'DL-10' };
    case 'ios-device':
      return { kind: 'removal', requirement: 'DL-3' };
    case 'ios-user-enrollment':
      return { kind: null, requirement: 'DL-4' };
    case 'macos':
      return { kind: null, requirement: 'DL-7' };
    case 'windows':
      return { kind: null, requirement: 'DL-8' };
  }
}

export type LockKind = 'standard' | 'aosp' | 'macos';

/** RL-1 to RL-5: how remote lock behaves on a variant; null where it is not supported (Windows, RL-3). */
export function lockSupport(variant: VariantKey): { kind: LockKind | null; requirement: string } {
  if (variant === 'windows') return { kind: null, requirement: 'RL-3' };
  if (variant === 'aosp-user-associated' || variant === 'aosp-userless') return { kind: 'aosp', requirement: 'RL-1' };
  if (variant === 'macos') return { kind: 'macos', requirement: 'RL-5' };
  return { kind: 'standard', requirement: 'RL-3' };
}

/** Wipe is supported everywhere; IR-5 speaks for Apple devices, the contract (ST-2 lifecycle) for the rest. */
export function wipeRequirement(variant: VariantKey): string {
  return variant === 'ios-device' || variant === 'ios-user-enrollment' || variant === 'macos' ? 'IR-5' : 'ST-2';
}

/**
 * Whether a done reset must show its temporary passcode to a role allowed to see it:
 * TP-1 (Android Enterprise device owner and work profiles, 8.x+), TP-4 (device administrator
 * 6.x and earlier, the reference shows it), IR-1 (iOS never). null: the catalogue leaves it open (AOSP).
 */
export function passcodeShown(variant: VariantKey): { shown: boolean; requirement: string } | null {
  switch (variant) {
    case 'ae-fully-managed':
    case 'ae-dedicated':
    case 'ae-work-profile-personal':
    case 'ae-work-profile-corporate':
      return { shown: true, requirement: 'TP-1' };
    case 'android-da-legacy':
      return { shown: true, requirement: 'TP-4' };
    case 'ios-device':
    case 'ios-user-enrollment':
      return { shown: false, requirement: 'IR-1' };
    default:
      return null;
  }
}

export function hasWorkProfile(variant: VariantKey): boolean {
  return variant === 'ae-work-profile-personal' || variant === 'ae-work-profile-corporate';
}

export function isApple(variant: VariantKey): boolean {
  return variant === 'ios-device' || variant === 'ios-user-enrollment' || variant === 'macos';
}
