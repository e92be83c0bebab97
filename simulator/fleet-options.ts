/** What a fleet is made of (mix and fact rates), its defaults, and the checks on options sent over HTTP. */
import { VARIANT_KEYS, isVariantKey, type VariantKey } from '../contract/variants.js';

/** Relative weights of variants; variants left out get none. */
export type FleetMix = Partial<Record<VariantKey, number>>;

/** Probabilities (0..1) of facts, each applied only where it matters for the variant. */
export interface FactRates {
  /** Device starts offline. Default 0.05. */
  offline?: number;
  /** AOSP and dedicated: a device passcode policy is assigned. Default 0.85 (other variants always). */
  passcodePolicy?: number;
  /** Work-profile variants: a work-profile password is set. Default 0.9. */
  workProfilePasswordSet?: number;
  /** ios-device: the stored unlock token is bad. Default 0.03. */
  badUnlockToken?: number;
  /** ios-device: no unlock token was stored. Default 0.02. */
  missingUnlockToken?: number;
  /** iOS/iPadOS: a passcode compliance policy is assigned. Default 0.8. */
  passcodeCompliancePolicy?: number;
  /** ios-device: supervised. Default 0.6 (User Enrollment is never supervised). */
  supervised?: number;
  /** The user has set a device passcode. Default 0.95; AOSP without a passcode policy gets 0.3/0.95 of it. */
  devicePasscodeSet?: number;
}

export interface FleetOptions {
  count: number;
  seed: number;
  mix?: FleetMix;
  rates?: FactRates;
  /** index of the first device, so shards/extra batches get distinct devices */
  startIndex?: number;
}

/** A realistic enterprise fleet: Windows and iOS dominate, legacy device administrator is rare. */
export const DEFAULT_MIX: Readonly<Record<VariantKey, number>> = Object.freeze({
  'android-da-legacy': 0.5,
  'android-da-modern': 2,
  'ae-work-profile-personal': 7,
  'ae-work-profile-corporate': 4,
  'ae-fully-managed': 6,
  'ae-dedicated': 5,
  'aosp-user-associated': 1,
  'aosp-userless': 1.5,
  'ios-device': 22,
  'ios-user-enrollment': 3,
  macos: 8,
  windows: 40,
});

export const DEFAULT_RATES: Readonly<Required<FactRates>> = Object.freeze({
  offline: 0.05,
  passcodePolicy: 0.85,
  workProfilePasswordSet: 0.9,
  badUnlockToken: 0.03,
  missingUnlockToken: 0.02,
  passcodeCompliancePolicy: 0.8,
  supervised: 0.6,
  devicePasscodeSet: 0.95,
});
export const RATE_KEYS = Object.keys(DEFAULT_RATES) as Array<keyof FactRates>;
export const MAX_COUNT = 1_000_000;
const UINT32 = 2 ** 32;

const OPTION_KEYS = ['count', 'seed', 'mix', 'rates', 'startIndex'];

export function validateFleetOptions(input: unknown): { ok: true; value: FleetOptions } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (!isPlainObject(input)) return fail(`fleet options must be an object, got ${describe(input)}`);
  const unknown = Object.keys(input).find((k) => !OPTION_KEYS.includes(k));
  if (unknown !== undefined) return fail(`unknown fleet option '${unknown}' (expected ${OPTION_KEYS.join(', ')})`);
  const { count, seed, mix, rates, startIndex } = input;
  const problem = integerProblem('count', count, 1, MAX_COUNT) ?? integerProblem('seed', seed, 0, UINT32 - 1)
    ?? (startIndex !== undefined ? integerProblem('startIndex', startIndex, 0, UINT32 - 1) : null)
    ?? (mix !== undefined ? mixProblem(mix) : null) ?? (rates !== undefined ? ratesProblem(rates) : null);
  if (problem) return fail(problem);
  const start = (startIndex as number | undefined) ?? 0;
  if (start + (count as number) > UINT32) return fail(`startIndex + count must not exceed ${UINT32}, got ${start + (count as number)}`);
  const value: FleetOptions = { count: count as number, seed: seed as number };
  if (startIndex !== undefined) value.startIndex = start;
  if (mix !== undefined) value.mix = { ...(mix as FleetMix) };
  if (rates !== undefined) value.rates = { ...(rates as FactRates) };
  return { ok: true, value };
}

export function integerProblem(name: string, value: unknown, min: number, max: number): string | null {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? null : `${name} must be an integer from ${min} to ${max}, got ${describe(value)}`;
}

export function mixProblem(mix: unknown): string | null {
  if (!isPlainObject(mix)) return `mix must be an object of variant weights, got ${describe(mix)}`;
  let positive = false;
  for (const [key, weight] of Object.entries(mix)) {
    if (!isVariantKey(key)) return `mix key '${key}' is not a variant (expected one of ${VARIANT_KEYS.join(', ')})`;
    if (weight === undefined) continue;
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      return `mix weight for '${key}' must be a non-negative finite number, got ${describe(weight)}`;
    }
    positive ||= weight > 0;
  }
  return positive ? null : 'mix must give at least one variant a positive weight';
}

export function ratesProblem(rates: unknown): string | null {
  if (!isPlainObject(rates)) return `rates must be an object, got ${describe(rates)}`;
  for (const [key, rate] of Object.entries(rates)) {
    if (!(RATE_KEYS as string[]).includes(key)) return `unknown rate '${key}' (expected ${RATE_KEYS.join(', ')})`;
    if (rate !== undefined && (typeof rate !== 'number' || !(rate >= 0 && rate <= 1))) {
      return `rates.${key} must be a number from 0 to 1, got ${describe(rate)}`;
    }
  }
  const { badUnlockToken = DEFAULT_RATES.badUnlockToken, missingUnlockToken = DEFAULT_RATES.missingUnlockToken } = rates as FactRates;
  return badUnlockToken + missingUnlockToken > 1 ? 'rates.badUnlockToken + rates.missingUnlockToken must not exceed 1' : null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
