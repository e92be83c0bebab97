import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultFacts, type DeviceFacts } from './device-facts.js';
import type { DeviceProfile } from './device-profile.js';
import { DEFAULT_MIX, generateDevice, generateFleet, validateFleetOptions, type FleetMix } from './fleet-generator.js';
import { osVersionProblem, parseOsVersion } from './os-version.js';
import { VARIANT_INFO } from './variants.js';
import { VARIANT_KEYS, type VariantKey } from '../contract/variants.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NO_MODEM_MAKERS = new Set(['Oculus', 'Pico', 'HTC', 'RealWear', 'Vuzix']);
const UNIFORM: FleetMix = Object.fromEntries(VARIANT_KEYS.map((k) => [k, 1]));

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** Facts each variant draws; every other fact must keep the variant's default. */
function drawnFacts(variant: VariantKey): Array<keyof DeviceFacts> {
  const info = VARIANT_INFO[variant];
  const drawn: Array<keyof DeviceFacts> = ['osVersion', 'online', 'devicePasscodeSet'];
  if (info.platform === 'aosp' || variant === 'ae-dedicated') drawn.push('passcodePolicy');
  if (info.hasWorkProfile) drawn.push('workProfilePasswordSet');
  if (info.platform === 'apple-mobile') drawn.push('passcodeCompliancePolicy');
  if (variant === 'ios-device') drawn.push('unlockToken', 'supervised');
  return drawn;
}

/** Everything wrong with a generated device; empty when it is plausible and consistent. */
function problems(d: DeviceProfile): string[] {
  const out: string[] = [];
  const check = (ok: boolean, what: string) => { if (!ok) out.push(`${what}: ${JSON.stringify(d)}`); };
  const variant = d.facts.variant;
  const info = VARIANT_INFO[variant];
  check(GUID.test(d.id), 'id is not a lower-case v4 GUID');
  check(osVersionProblem(variant, d.osVersion) === null, `osVersion ${d.osVersion} out of range`);
  check(d.osVersion === d.facts.osVersion, 'osVersion differs from facts');
  check(d.imei === '' || (/^\d{15}$/.test(d.imei) && luhnValid(d.imei)), 'IMEI is not 15 Luhn-valid digits');
  if (d.model.startsWith('iPhone') || d.model.startsWith('Galaxy S') || d.model.startsWith('Pixel')) check(d.imei !== '', 'phone without IMEI');
  if (d.operatingSystem === 'macOS' || NO_MODEM_MAKERS.has(d.manufacturer)) check(d.imei === '', 'modemless hardware with IMEI');
  check(/^[A-Z0-9]{6,16}$/.test(d.serialNumber), 'serial number');
  check(d.model !== '' && d.manufacturer !== '' && d.deviceName !== '', 'empty model, manufacturer or name');
  if (info.userless) check(d.userPrincipalName === '' && d.userDisplayName === '', 'userless device has a user');
  else {
    check(/^[a-z]+\.[a-z]+@[a-z]+\.com$/.test(d.userPrincipalName), 'UPN');
    check(/^\S+ \S+$/.test(d.userDisplayName), 'display name');
  }
  const expectedOs = { android: ['Android'], aosp: ['Android'], 'apple-mobile': ['iOS', 'iPadOS'], macos: ['macOS'], windows: ['Windows'] }[info.platform];
  check(expectedOs.includes(d.operatingSystem), 'operatingSystem does not fit the variant');
  if (info.platform === 'apple-mobile') check((d.operatingSystem === 'iPadOS') === d.model.startsWith('iPad'), 'iOS/iPadOS does not match the model');
  if (variant === 'windows') check(/^10\.0\.\d{5}\.\d{3,5}$/.test(d.osVersion) && /^(DESKTOP|LAPTOP)-[A-Z0-9]{7,8}$/.test(d.deviceName), 'Windows build or name');
  check(info.enrollmentTypes.includes(d.deviceEnrollmentType), 'enrollment type not of the variant');
  check(info.owners.includes(d.managedDeviceOwnerType), 'owner type not of the variant');
  check(d.managementAgent === info.managementAgent, 'management agent');
  check(d.isSupervised === d.facts.supervised, 'isSupervised differs from facts');
  const defaults = defaultFacts(variant);
  const drawn = drawnFacts(variant);
  for (const key of Object.keys(defaults) as Array<keyof DeviceFacts>) {
    if (!drawn.includes(key)) check(d.facts[key] === defaults[key], `fact ${key} should keep its default`);
  }
  return out;
}

function share<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  return items.filter(predicate).length / items.length;
}

describe('generateFleet determinism', () => {
  it('gives byte-identical fleets for the same options', () => {
    const options = { count: 3000, seed: 7, mix: UNIFORM, rates: { offline: 0.3 } };
    expect(JSON.stringify(generateFleet(options))).toBe(JSON.stringify(generateFleet(options)));
  });

  it('gives a different fleet for a different seed', () => {
    const a = generateFleet({ count: 500, seed: 1 });
    const b = generateFleet({ count: 500, seed: 2 });
    const idsOfA = new Set(a.map((d) => d.id));
    expect(b.filter((d) => idsOfA.has(d.id))).toEqual([]);
    expect(a.filter((d, i) => d.userPrincipalName === b[i]!.userPrincipalName).length).toBeLessThan(25);
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(b));
  });

  it('makes a small fleet a prefix of a larger one, and shards the slices of it', () => {
    const big = generateFleet({ count: 1000, seed: 99 });
    expect(JSON.stringify(generateFleet({ count: 10, seed: 99 }))).toBe(JSON.stringify(big.slice(0, 10)));
    expect(JSON.stringify(generateFleet({ count: 250, seed: 99, startIndex: 600 }))).toBe(JSON.stringify(big.slice(600, 850)));
  });

  it('generateDevice(seed, i) is device i of the fleet', () => {
    const fleet = generateFleet({ count: 300, seed: 5 });
    for (const i of [0, 1, 17, 299]) expect(JSON.stringify(generateDevice(5, i))).toBe(JSON.stringify(fleet[i]));
    // A forced variant that matches the mix's choice changes nothing.
    expect(JSON.stringify(generateDevice(5, 17, fleet[17]!.facts.variant))).toBe(JSON.stringify(fleet[17]));
  });

  it('gives every device of a 100k fleet a distinct GUID', () => {
    const fleet = generateFleet({ count: 100_000, seed: 2024 });
    const ids = new Set<string>();
    for (const d of fleet) ids.add(d.id);
    expect(ids.size).toBe(100_000);
    expect(fleet.every((d) => GUID.test(d.id))).toBe(true);
  });
});

describe('generated devices', () => {
  const fleet = generateFleet({ count: 20_000, seed: 314, mix: UNIFORM });

  it('are all valid and consistent', () => {
    expect(fleet.flatMap(problems).slice(0, 5)).toEqual([]);
  });

  it('cover every variant, with realistic OS spreads', () => {
    const of = (v: VariantKey) => fleet.filter((d) => d.facts.variant === v);
    for (const v of VARIANT_KEYS) expect(of(v).length).toBeGreaterThan(1000);
    const major = (d: DeviceProfile) => parseOsVersion(d.osVersion)!.major;
    const wpp = of('ae-work-profile-personal');
    expect(wpp.some((d) => major(d) < 8)).toBe(true); // the WP-3 tail
    expect(share(wpp, (d) => major(d) >= 10)).toBeGreaterThan(0.8);
    expect(share(of('android-da-legacy'), (d) => /^(5\.1|6\.0)/.test(d.osVersion))).toBeGreaterThan(0.6);
    expect(share(of('ios-device'), (d) => major(d) >= 17)).toBeGreaterThan(0.75);
    expect(share(of('macos'), (d) => major(d) >= 14)).toBeGreaterThan(0.7);
    expect(new Set(of('windows').map((d) => d.osVersion.split('.')[2])).size).toBeGreaterThan(2);
    expect(new Set(of('ios-device').map((d) => d.deviceEnrollmentType))).toEqual(new Set(VARIANT_INFO['ios-device'].enrollmentTypes));
    expect(of('ios-user-enrollment').some((d) => d.isSupervised)).toBe(false);
    expect(share(of('ios-device'), (d) => d.isSupervised)).toBeCloseTo(0.6, 1);
  });

  it('draw facts at the default rates', () => {
    expect(share(fleet, (d) => !d.facts.online)).toBeCloseTo(0.05, 1);
    const ios = fleet.filter((d) => d.facts.variant === 'ios-device');
    expect(share(ios, (d) => d.facts.unlockToken === 'bad')).toBeGreaterThan(0.01);
    expect(share(ios, (d) => d.facts.unlockToken === 'bad')).toBeLessThan(0.06);
    const aosp = fleet.filter((d) => VARIANT_INFO[d.facts.variant].platform === 'aosp');
    expect(share(aosp, (d) => d.facts.passcodePolicy)).toBeCloseTo(0.85, 1);
    expect(share(aosp.filter((d) => !d.facts.passcodePolicy), (d) => d.facts.devicePasscodeSet)).toBeCloseTo(0.3, 1);
  });

  it('honour explicit rates at the extremes', () => {
    const rates = { offline: 1, supervised: 0, passcodeCompliancePolicy: 1, badUnlockToken: 1, missingUnlockToken: 0, workProfilePasswordSet: 0 };
    const devices = generateFleet({ count: 2000, seed: 3, mix: UNIFORM, rates });
    expect(devices.every((d) => !d.facts.online)).toBe(true);
    expect(devices.filter((d) => d.facts.variant === 'ios-device').every((d) => !d.isSupervised && d.facts.unlockToken === 'bad')).toBe(true);
    expect(devices.filter((d) => VARIANT_INFO[d.facts.variant].platform === 'apple-mobile').every((d) => d.facts.passcodeCompliancePolicy)).toBe(true);
    expect(devices.filter((d) => VARIANT_INFO[d.facts.variant].hasWorkProfile).some((d) => d.facts.workProfilePasswordSet)).toBe(false);
  });

  it('share one facts object among devices with identical facts', () => {
    const objects = new Set(fleet.map((d) => d.facts));
    const distinct = new Set(fleet.map((d) => JSON.stringify(d.facts)));
    expect(objects.size).toBe(distinct.size);
    expect(Object.isFrozen(fleet[0]!.facts)).toBe(true);
  });
});

describe('mix', () => {
  it('gives only macOS devices for { macos: 1 }', () => {
    const devices = generateFleet({ count: 2000, seed: 8, mix: { macos: 1, windows: 0 } });
    expect(devices.every((d) => d.facts.variant === 'macos' && d.operatingSystem === 'macOS')).toBe(true);
  });

  it('respects relative weights', () => {
    const devices = generateFleet({ count: 20_000, seed: 11, mix: { windows: 3, 'ios-device': 1 } });
    expect(share(devices, (d) => d.facts.variant === 'windows')).toBeCloseTo(0.75, 1);
    expect(Math.abs(share(devices, (d) => d.facts.variant === 'windows') - 0.75)).toBeLessThan(0.015);
    expect(devices.every((d) => d.facts.variant === 'windows' || d.facts.variant === 'ios-device')).toBe(true);
  });

  it('defaults to the enterprise mix over all 12 variants', () => {
    const devices = generateFleet({ count: 20_000, seed: 12 });
    const total = Object.values(DEFAULT_MIX).reduce((a, b) => a + b, 0);
    for (const v of VARIANT_KEYS) {
      expect(DEFAULT_MIX[v]).toBeGreaterThan(0);
      const expected = DEFAULT_MIX[v] / total;
      expect(Math.abs(share(devices, (d) => d.facts.variant === v) - expected), v).toBeLessThan(0.012);
    }
    expect(DEFAULT_MIX.windows).toBeGreaterThan(DEFAULT_MIX['android-da-legacy'] * 10);
    expect(DEFAULT_MIX['ios-device']).toBeGreaterThan(DEFAULT_MIX['android-da-legacy'] * 10);
  });
});

describe('validateFleetOptions', () => {
  it('accepts good options and returns them', () => {
    const input = { count: 10, seed: 0, startIndex: 5, mix: { macos: 2 }, rates: { offline: 0 } };
    expect(validateFleetOptions(input)).toEqual({ ok: true, value: input });
    expect(validateFleetOptions({ count: 1_000_000, seed: 2 ** 32 - 1 }).ok).toBe(true);
  });

  it.each([
    [null, /options must be an object/],
    [[], /options must be an object, got an array/],
    [{ seed: 1 }, /count must be an integer from 1 to 1000000, got undefined/],
    [{ count: 0, seed: 1 }, /count must be an integer from 1 to 1000000, got 0/],
    [{ count: 1_000_001, seed: 1 }, /count must be/],
    [{ count: 2.5, seed: 1 }, /count must be an integer/],
    [{ count: '10', seed: 1 }, /count must be an integer .* got '10'/],
    [{ count: 1, seed: -1 }, /seed must be an integer from 0 to 4294967295, got -1/],
    [{ count: 1, seed: 2 ** 32 }, /seed must be/],
    [{ count: 1, seed: NaN }, /seed must be/],
    [{ count: 1, seed: 1, colour: 'red' }, /unknown fleet option 'colour'/],
    [{ count: 1, seed: 1, startIndex: -3 }, /startIndex must be an integer/],
    [{ count: 10, seed: 1, startIndex: 2 ** 32 - 5 }, /startIndex \+ count must not exceed/],
    [{ count: 1, seed: 1, mix: { mac: 1 } }, /mix key 'mac' is not a variant/],
    [{ count: 1, seed: 1, mix: { macos: -1 } }, /mix weight for 'macos' must be a non-negative finite number, got -1/],
    [{ count: 1, seed: 1, mix: { macos: Infinity } }, /mix weight for 'macos'/],
    [{ count: 1, seed: 1, mix: { macos: 0, windows: 0 } }, /at least one variant a positive weight/],
    [{ count: 1, seed: 1, mix: {} }, /at least one variant a positive weight/],
    [{ count: 1, seed: 1, mix: 'windows' }, /mix must be an object/],
    [{ count: 1, seed: 1, rates: { offline: 1.5 } }, /rates.offline must be a number from 0 to 1, got 1.5/],
    [{ count: 1, seed: 1, rates: { supervised: NaN } }, /rates.supervised must be a number from 0 to 1/],
    [{ count: 1, seed: 1, rates: { jailbroken: 0.1 } }, /unknown rate 'jailbroken'/],
    [{ count: 1, seed: 1, rates: { badUnlockToken: 0.6, missingUnlockToken: 0.6 } }, /must not exceed 1/],
  ])('rejects %j', (input, message) => {
    const result = validateFleetOptions(input);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatch(message);
      expect(result.error).not.toContain('\n');
    }
  });

  it('makes generateFleet and generateDevice throw on bad input', () => {
    expect(() => generateFleet({ count: 0, seed: 1 })).toThrow(/count must be/);
    expect(() => generateDevice(-1, 0)).toThrow(/seed must be/);
    expect(() => generateDevice(1, 1.5)).toThrow(/index must be/);
    expect(() => generateDevice(1, 0, 'blackberry' as VariantKey)).toThrow(/not a variant key/);
  });
});

describe('property: any seed and index', () => {
  it('gives a valid, reproducible device', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.option(fc.constantFrom(...VARIANT_KEYS), { nil: undefined }),
        (seed, index, variant) => {
          const device = generateDevice(seed, index, variant);
          expect(problems(device)).toEqual([]);
          if (variant) expect(device.facts.variant).toBe(variant);
          expect(JSON.stringify(generateDevice(seed, index, variant))).toBe(JSON.stringify(device));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
