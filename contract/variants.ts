/**
 * The one list of device variants. Every table keyed by variant is a `Record<VariantKey, …>`,
 * so adding a key here makes each table that lacks it fail to compile (see the README checklist).
 */
export const VARIANT_KEYS = [
  'android-da-legacy',
  'android-da-modern',
  'ae-work-profile-personal',
  'ae-work-profile-corporate',
  'ae-fully-managed',
  'ae-dedicated',
  'aosp-user-associated',
  'aosp-userless',
  'ios-device',
  'ios-user-enrollment',
  'macos',
  'windows',
] as const;

export type VariantKey = (typeof VARIANT_KEYS)[number];

export function isVariantKey(value: unknown): value is VariantKey {
  return typeof value === 'string' && (VARIANT_KEYS as readonly string[]).includes(value);
}
