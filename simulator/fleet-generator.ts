/**
 * Deterministic fleet generation. Device #i of a fleet is derived only from (seed, i) and the
 * options, never from how many devices are generated, so fleets of any size share a prefix
 * and shards (startIndex) never overlap. Constant strings come from shared tables and equal
 * fact sets share one frozen DeviceFacts object, which keeps large fleets small in memory.
 */
import { faker } from '@faker-js/faker/locale/en';
import { defaultFacts, type DeviceFacts, type UnlockTokenQuality } from './device-facts.js';
import type { DeviceProfile } from './device-profile.js';
import { CATALOG, DOMAINS, type ModelSpec } from './fleet-catalog.js';
import { parseOsVersion } from './os-version.js';
import { VARIANT_INFO, type OperatingSystem, type VariantInfo } from './variants.js';
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

const DEFAULT_RATES: Readonly<Required<FactRates>> = Object.freeze({
  offline: 0.05,
  passcodePolicy: 0.85,
  workProfilePasswordSet: 0.9,
  badUnlockToken: 0.03,
  missingUnlockToken: 0.02,
  passcodeCompliancePolicy: 0.8,
  supervised: 0.6,
  devicePasscodeSet: 0.95,
});
const RATE_KEYS = Object.keys(DEFAULT_RATES) as Array<keyof FactRates>;
const AOSP_NO_POLICY_PASSCODE = 0.3 / 0.95;
const MAX_COUNT = 1_000_000;
const UINT32 = 2 ** 32;

// ---------------------------------------------------------------- randomness

/** murmur3's 32-bit finalizer: a bijection on 32-bit integers. */
function fmix32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** sfc32 with a 128-bit state seeded from (seed, index): distinct devices never share a stream. */
class Rng {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  /** Reseeds for one device; returns a word that is distinct for every index under one seed. */
  reset(seed: number, index: number): number {
    const unique = fmix32((index + fmix32(seed ^ 0x2545f491)) >>> 0);
    this.a = fmix32(seed ^ 0x9e3779b9);
    this.b = unique;
    this.c = fmix32(index ^ 0x6a09e667);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
    return unique;
  }

  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  float(): number {
    return this.next() / UINT32;
  }

  below(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: ArrayLike<T>): T {
    return items[this.below(items.length)]!;
  }
}

/** Cumulative weights for weighted choice by binary search. */
class Weighted<T> {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(readonly items: readonly T[], weights: readonly number[]) {
    let sum = 0;
    for (const w of weights) this.cumulative.push((sum += w));
    this.total = sum;
    if (!(sum > 0)) throw new Error('weighted choice needs a positive total weight');
  }

  index(rng: Rng): number {
    const r = rng.float() * this.total;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (r < this.cumulative[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  pick(rng: Rng): T {
    return this.items[this.index(rng)]!;
  }
}

// ---------------------------------------------------------------- compiled tables

interface CompiledVariant {
  key: VariantKey;
  ordinal: number;
  info: VariantInfo;
  defaults: DeviceFacts;
  versions: Weighted<string>;
  /** Models that run each version, by version index. */
  models: Array<Weighted<ModelSpec>>;
  /** Android and AOSP only. */
  nameTag: string;
}

/** OS generation a model range is expressed in: Windows 10 or 11, else the major version. */
function generation(variant: VariantKey, version: string): number {
  if (variant === 'windows') return Number(version.split('.')[2]) >= 22000 ? 11 : 10;
  return parseOsVersion(version)?.major ?? -1;
}

/** The tag Intune puts in Android device names ("jane.doe_AndroidEnterprise_3/14/2024_9:05 AM"). */
function androidNameTag(key: VariantKey): string {
  if (key.startsWith('android-da')) return 'Android';
  if (key === 'ae-work-profile-personal') return 'AndroidForWork';
  return VARIANT_INFO[key].platform === 'aosp' ? 'AOSP' : 'AndroidEnterprise';
}

const COMPILED = new Map<VariantKey, CompiledVariant>(
  VARIANT_KEYS.map((key, ordinal): [VariantKey, CompiledVariant] => {
    const { os, models } = CATALOG[key];
    if (os.length > 64) throw new Error(`fleet catalog: ${key} has more than 64 OS versions (the facts cache key allows 64)`);
    const info = VARIANT_INFO[key];
    const versions = new Weighted(os.map(([v]) => v), os.map(([, w]) => w));
    const byVersion = versions.items.map((version) => {
      const gen = generation(key, version);
      const fits = models.filter((m) => m.os[0] <= gen && gen <= m.os[1]);
      if (fits.length === 0) throw new Error(`fleet catalog: no ${key} model runs ${version}`);
      return new Weighted(fits, fits.map((m) => m.weight));
    });
    return [key, { key, ordinal, info, defaults: defaultFacts(key), versions, models: byVersion, nameTag: androidNameTag(key) }];
  }),
);

const FIRST_NAMES: readonly string[] = [...new Set([
  ...(faker.definitions.person.first_name.female ?? []),
  ...(faker.definitions.person.first_name.male ?? []),
])];
const LAST_NAMES: readonly string[] = [...new Set(faker.definitions.person.last_name.generic ?? [])];
const slug = (name: string) => name.toLowerCase().replace(/[^a-z]/g, '');
const FIRST_SLUGS = FIRST_NAMES.map(slug);
const LAST_SLUGS = LAST_NAMES.map(slug);

// ---------------------------------------------------------------- options

interface Resolved {
  rates: Readonly<Required<FactRates>>;
  mix: Weighted<VariantKey>;
}

function compileMix(mix: FleetMix): Weighted<VariantKey> {
  const keys = VARIANT_KEYS.filter((k) => (mix[k] ?? 0) > 0);
  return new Weighted(keys, keys.map((k) => mix[k]!));
}

const DEFAULT_COMPILED_MIX = compileMix(DEFAULT_MIX);

function resolve(rates: FactRates | undefined, mix: FleetMix | undefined): Resolved {
  return {
    rates: rates ? { ...DEFAULT_RATES, ...definedOnly(rates) } : DEFAULT_RATES,
    mix: mix ? compileMix(mix) : DEFAULT_COMPILED_MIX,
  };
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

// ---------------------------------------------------------------- one device

const rng = new Rng();
const factsCache = new Map<number, DeviceFacts>();
const HEX = '0123456789abcdef';
const ALNUM = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const ENROLLED_FROM = Date.UTC(2021, 0, 4);
const ENROLLED_MINUTES = Math.floor((Date.UTC(2025, 11, 20) - ENROLLED_FROM) / 60_000);

/*
 * Per-device strings are built flat (from char codes or Array#join): template literals and +=
 * leave V8 rope strings that cost several times the memory of the text.
 */
const codes: number[] = [];

function put(text: string): void {
  for (let i = 0; i < text.length; i++) codes.push(text.charCodeAt(i));
}

function putHex(value: number, digits: number): void {
  for (let shift = (digits - 1) * 4; shift >= 0; shift -= 4) codes.push(HEX.charCodeAt((value >>> shift) & 15));
}

function take(): string {
  const text = String.fromCharCode.apply(null, codes);
  codes.length = 0;
  return text;
}

const join = (...parts: Array<string | number>): string => parts.join('');

/**
 * A version-4 shaped GUID whose first group is unique per index under one seed. With a shard
 * tag (a `--shard K/N` server), the last group starts with K as four hex digits, so a balancer
 * routes a device-addressed request by its id alone (see simulator/mdm/sharding/device-shard.ts).
 */
function guid(unique: number, shardTag: number | undefined): string {
  const w1 = rng.next();
  const w2 = rng.next();
  const w3 = rng.next();
  putHex(unique, 8);
  put('-');
  putHex(w1 >>> 16, 4);
  put('-4');
  putHex(w1, 3);
  put('-');
  putHex(0x8000 | ((w2 >>> 16) & 0x3fff), 4);
  put('-');
  putHex(shardTag ?? w2, 4);
  putHex(w3, 8);
  return take();
}

function fromPattern(pattern: string): string {
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern.charCodeAt(i);
    codes.push(ch === 35 /* # */ ? 48 + rng.below(10) : ch === 64 /* @ */ ? LETTERS.charCodeAt(rng.below(LETTERS.length))
      : ch === 42 /* * */ ? ALNUM.charCodeAt(rng.below(ALNUM.length)) : ch);
  }
  return take();
}

/** 15-digit IMEI: the model's TAC, a 6-digit serial and a Luhn check digit. */
function imei(tac: string): string {
  put(tac);
  for (let i = 0; i < 6; i++) codes.push(48 + rng.below(10));
  codes.push(48 + luhnDigit(codes));
  return take();
}

/** The Luhn check digit for digit codes (ASCII). */
function luhnDigit(body: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body[body.length - 1 - i]! - 48;
    if (i % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Intune-style Android enrollment stamp: 3/14/2024_9:05 AM. */
function enrollmentStamp(): string {
  const t = new Date(ENROLLED_FROM + rng.below(ENROLLED_MINUTES) * 60_000);
  const h = t.getUTCHours();
  const mm = String(t.getUTCMinutes()).padStart(2, '0');
  return `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${t.getUTCFullYear()}_${h % 12 || 12}:${mm} ${h < 12 ? 'AM' : 'PM'}`;
}

function drawFacts(v: CompiledVariant, versionIndex: number, rates: Required<FactRates>): DeviceFacts {
  const d = v.defaults;
  const online = !rng.chance(rates.offline);
  const policyApplies = v.info.platform === 'aosp' || v.key === 'ae-dedicated';
  const passcodePolicy = policyApplies ? rng.chance(rates.passcodePolicy) : d.passcodePolicy;
  const workProfilePasswordSet = v.info.hasWorkProfile ? rng.chance(rates.workProfilePasswordSet) : d.workProfilePasswordSet;
  let unlockToken: UnlockTokenQuality = d.unlockToken;
  let supervised = d.supervised;
  if (v.key === 'ios-device') {
    const r = rng.float();
    unlockToken = r < rates.badUnlockToken ? 'bad' : r < rates.badUnlockToken + rates.missingUnlockToken ? 'missing' : 'good';
    supervised = rng.chance(rates.supervised);
  }
  const passcodeCompliancePolicy = v.info.platform === 'apple-mobile' ? rng.chance(rates.passcodeCompliancePolicy) : d.passcodeCompliancePolicy;
  const aospUnprotected = v.info.platform === 'aosp' && !passcodePolicy;
  const devicePasscodeSet = rng.chance(aospUnprotected ? rates.devicePasscodeSet * AOSP_NO_POLICY_PASSCODE : rates.devicePasscodeSet);

  const bits = +passcodePolicy | (+workProfilePasswordSet << 1) | (+passcodeCompliancePolicy << 2) | (+supervised << 3)
    | (+online << 4) | (+devicePasscodeSet << 5) | ((unlockToken === 'good' ? 0 : unlockToken === 'bad' ? 1 : 2) << 6);
  const key = ((v.ordinal << 6) + versionIndex) * 256 + bits;
  let facts = factsCache.get(key);
  if (!facts) {
    facts = Object.freeze({
      variant: v.key, osVersion: v.versions.items[versionIndex]!, passcodePolicy, workProfilePasswordSet,
      unlockToken, passcodeCompliancePolicy, supervised, online, devicePasscodeSet,
    });
    factsCache.set(key, facts);
  }
  return facts;
}

function makeDevice(seed: number, index: number, forced: VariantKey | undefined, { rates, mix }: Resolved, shardTag?: number): DeviceProfile {
  const unique = rng.reset(seed, index);
  const chosen = mix.pick(rng); // always drawn, so a forced variant leaves later draws where they were
  const v = COMPILED.get(forced ?? chosen)!;
  const { info } = v;
  const versionIndex = v.versions.index(rng);
  const model = v.models[versionIndex]!.pick(rng);
  const facts = drawFacts(v, versionIndex, rates);

  let enrollment = info.enrollmentTypes[0]!;
  let owner = info.owners[0]!;
  if (v.key === 'ios-device') {
    // Supervised devices come from Automated Device Enrollment or a DEM account; unsupervised
    // ones mostly enrolled themselves through Company Portal, often personally owned.
    const [ade, dem, byUser] = info.enrollmentTypes as [string, string, string];
    if (facts.supervised) enrollment = rng.chance(0.85) ? ade : dem;
    else if (rng.chance(0.8)) [enrollment, owner] = [byUser, rng.chance(0.6) ? 'personal' : 'company'];
    else enrollment = dem;
  } else {
    if (info.enrollmentTypes.length > 1 && rng.chance(0.25)) enrollment = info.enrollmentTypes[1]!;
    if (info.owners.length > 1 && rng.chance(0.4)) owner = info.owners[1]!;
  }

  const first = rng.below(FIRST_NAMES.length);
  const last = rng.below(LAST_NAMES.length);
  const alias = join(FIRST_SLUGS[first]!, '.', LAST_SLUGS[last]!);
  const domain = DOMAINS[(fmix32(seed) + (rng.chance(0.1) ? 1 : 0)) % DOMAINS.length];

  const serialNumber = fromPattern(rng.pick(model.serial));
  const hasModem = rng.chance(model.modem);
  const id = guid(unique, shardTag);

  let deviceName: string;
  let operatingSystem: OperatingSystem;
  switch (info.platform) {
    case 'apple-mobile':
    case 'macos':
      deviceName = join(FIRST_NAMES[first]!, "'s ", model.label);
      operatingSystem = info.platform === 'macos' ? 'macOS' : model.kind === 'tablet' ? 'iPadOS' : 'iOS';
      break;
    case 'windows':
      deviceName = fromPattern(model.kind === 'laptop' && rng.chance(0.4) ? 'LAPTOP-********' : 'DESKTOP-*******');
      operatingSystem = 'Windows';
      break;
    default:
      deviceName = info.userless ? join(v.nameTag, '_', enrollmentStamp()) : join(alias, '_', v.nameTag, '_', enrollmentStamp());
      operatingSystem = 'Android';
  }

  return {
    id,
    deviceName,
    operatingSystem,
    osVersion: facts.osVersion,
    deviceEnrollmentType: enrollment,
    managedDeviceOwnerType: owner,
    managementAgent: info.managementAgent,
    isSupervised: facts.supervised,
    userPrincipalName: info.userless ? '' : join(alias, '@', domain!),
    userDisplayName: info.userless ? '' : join(FIRST_NAMES[first]!, ' ', LAST_NAMES[last]!),
    serialNumber,
    imei: hasModem ? imei(model.tac) : '',
    model: model.model,
    manufacturer: model.manufacturer,
    facts,
  };
}

// ---------------------------------------------------------------- public API

/**
 * Device #index (0..2^32-1) of the fleet with this seed; a given variant overrides the mix.
 * `shardTag` (0..65535): the shard that holds it, carried in its id.
 */
export function generateDevice(seed: number, index: number, variant?: VariantKey, rates?: FactRates, mix?: FleetMix, shardTag?: number): DeviceProfile {
  const problem = integerProblem('seed', seed, 0, UINT32 - 1) ?? integerProblem('index', index, 0, UINT32 - 1)
    ?? (variant !== undefined && !isVariantKey(variant) ? `variant ${describe(variant)} is not a variant key` : null)
    ?? (rates !== undefined ? ratesProblem(rates) : null) ?? (mix !== undefined ? mixProblem(mix) : null);
  if (problem) throw new RangeError(problem);
  if (shardTag !== undefined) checkShardTag(shardTag);
  return makeDevice(seed, index, variant, resolve(rates, mix), shardTag);
}

/** Largest shard tag a device id can carry (four hex digits). */
export const MAX_SHARD_TAG = 0xffff;

function checkShardTag(tag: number): void {
  const problem = integerProblem('shardTag', tag, 0, MAX_SHARD_TAG);
  if (problem) throw new RangeError(problem);
}

/** Devices startIndex .. startIndex+count-1 of the fleet with this seed (ids carrying `shardTag` when given). */
export function generateFleet(options: FleetOptions, shardTag?: number): DeviceProfile[] {
  const checked = validateFleetOptions(options);
  if (!checked.ok) throw new RangeError(checked.error);
  if (shardTag !== undefined) checkShardTag(shardTag);
  const { count, seed, startIndex = 0, rates, mix } = checked.value;
  const resolved = resolve(rates, mix);
  const fleet = new Array<DeviceProfile>(count);
  for (let i = 0; i < count; i++) fleet[i] = makeDevice(seed, startIndex + i, undefined, resolved, shardTag);
  return fleet;
}

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

function integerProblem(name: string, value: unknown, min: number, max: number): string | null {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
    ? null : `${name} must be an integer from ${min} to ${max}, got ${describe(value)}`;
}

function mixProblem(mix: unknown): string | null {
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

function ratesProblem(rates: unknown): string | null {
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

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}
