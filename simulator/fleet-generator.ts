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
import { DEFAULT_MIX, DEFAULT_RATES, describe, integerProblem, mixProblem, ratesProblem, validateFleetOptions, type FactRates, type FleetMix, type FleetOptions } from './fleet-options.js';
import { fmix32, Rng, Weighted } from './fleet-random.js';

export { DEFAULT_MIX, validateFleetOptions, type FactRates, type FleetMix, type FleetOptions } from './fleet-options.js';

const AOSP_NO_POLICY_PASSCODE = 0.3 / 0.95;
const UINT32 = 2 ** 32;

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

// Intune-style Android enrollment stamps, "3/14/2024_" + "9:05 AM", from tables (no Date per device).
const STAMP_DAYS = Array.from({ length: Math.ceil(ENROLLED_MINUTES / 1440) }, (_, day) => {
  const t = new Date(ENROLLED_FROM + day * 86_400_000);
  return `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${t.getUTCFullYear()}_`;
});
const STAMP_TIMES = Array.from({ length: 1440 }, (_, m) => {
  const h = Math.floor(m / 60);
  return `${h % 12 || 12}:${String(m % 60).padStart(2, '0')} ${h < 12 ? 'AM' : 'PM'}`;
});

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
      {
        const minute = rng.below(ENROLLED_MINUTES);
        const day = STAMP_DAYS[Math.floor(minute / 1440)]!;
        const time = STAMP_TIMES[minute % 1440]!;
        deviceName = info.userless ? join(v.nameTag, '_', day, time) : join(alias, '_', v.nameTag, '_', day, time);
      }
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
