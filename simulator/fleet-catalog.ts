/**
 * Data tables for the fleet generator: hardware models and OS version spreads per variant.
 * Plausible rather than exhaustive; every string here is shared by all devices that use it.
 */
import type { VariantKey } from '../contract/variants.js';

export type DeviceKind = 'phone' | 'tablet' | 'handheld' | 'headset' | 'laptop' | 'desktop';

export interface ModelSpec {
  manufacturer: string;
  model: string;
  kind: DeviceKind;
  /** Word used in "<First>'s <label>" device names (Apple). */
  label: string;
  /** OS generations the hardware runs: Android/iOS/macOS major version, or Windows 10/11. */
  os: readonly [number, number];
  /** Relative weight among the models compatible with a device's OS version. */
  weight: number;
  /** Probability that a unit has a cellular modem (and so an IMEI). */
  modem: number;
  /** Serial number patterns: '#' digit, '@' letter, '*' letter or digit, anything else literal. */
  serial: readonly string[];
  /** 8-digit Type Allocation Code that starts the IMEI of this model. */
  tac: string;
}

/** A version string and its relative weight. */
export type OsEntry = readonly [version: string, weight: number];

export interface VariantCatalog {
  os: readonly OsEntry[];
  models: readonly ModelSpec[];
}

const DEFAULT_MODEM: Record<DeviceKind, number> = { phone: 1, tablet: 0.25, handheld: 0, headset: 0, laptop: 0, desktop: 0 };

/** A stable made-up TAC per model ('35' is a common reporting-body prefix). */
function tacFor(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return '35' + String((h >>> 0) % 1_000_000).padStart(6, '0');
}

interface Extra { modem?: number; label?: string; serial?: readonly string[] }

function maker(manufacturer: string, serial: readonly string[]) {
  return (model: string, kind: DeviceKind, lo: number, hi: number, weight: number, extra: Extra = {}): ModelSpec => ({
    manufacturer, model, kind, label: extra.label ?? model, os: [lo, hi], weight,
    modem: extra.modem ?? DEFAULT_MODEM[kind], serial: extra.serial ?? serial, tac: tacFor(manufacturer + model),
  });
}

const samsung = maker('Samsung', ['R58********', 'R5C********', 'R3C********', 'RF8********']);
const google = maker('Google', ['#@###FD@####@@']);
const motorola = maker('Motorola', ['ZY22******', 'ZY32******', 'ZL52******']);
const lg = maker('LG Electronics', ['###KP@@######']);
const lenovo = maker('Lenovo', ['HA1@@@@@', 'HGC@@@@@']);
const zebra = maker('Zebra Technologies', ['2#############']);
const honeywell = maker('Honeywell', ['2####@####']);
const realwear = maker('RealWear', ['RWN####@####']);
const meta = maker('Oculus', ['1WMHH#*#######', '2G0YC#*#######']);
const pico = maker('Pico', ['PA7@##@#######']);
const htc = maker('HTC', ['FA##@@#####']);
const vuzix = maker('Vuzix', ['##########']);
const apple = maker('Apple', ['@*********']); // randomized 10-character serials (2021 onwards)
const APPLE_12 = { serial: ['F17*********', 'DNP*********', 'C39*********', 'G6T*********', 'DMP*********'] };
const MAC_12 = { serial: ['C02*********', 'FVF*********', 'C07*********'] };
const dell = maker('Dell Inc.', ['*******']);
const hp = maker('HP', ['5CG####***', '8CC####***']);
const lenovoPc = maker('LENOVO', ['PF******', 'MJ0*****']);
const microsoft = maker('Microsoft Corporation', ['############']);

/** Phones and tablets enrolled by users (device administrator and Android Enterprise). */
const ANDROID_PHONES: readonly ModelSpec[] = [
  samsung('Galaxy S5', 'phone', 4, 6, 3),
  samsung('Galaxy Tab 4 10.1', 'tablet', 4, 5, 1),
  motorola('Moto G (2nd Gen)', 'phone', 4, 6, 2),
  google('Nexus 5', 'phone', 4, 6, 1, { serial: ['0########@####'] }),
  samsung('Galaxy S6', 'phone', 5, 7, 4),
  samsung('Galaxy J5', 'phone', 5, 6, 2),
  lg('G4', 'phone', 5, 6, 1),
  samsung('Galaxy Tab A 8.0 (2015)', 'tablet', 5, 7, 1),
  samsung('Galaxy S7', 'phone', 6, 8, 4),
  motorola('Moto G4', 'phone', 6, 7, 2),
  google('Nexus 5X', 'phone', 6, 8, 1),
  samsung('Galaxy S8', 'phone', 7, 9, 4),
  samsung('Galaxy Note8', 'phone', 7, 9, 2),
  motorola('Moto G5', 'phone', 7, 8, 2),
  google('Pixel', 'phone', 7, 10, 1),
  samsung('Galaxy S9', 'phone', 8, 10, 4),
  google('Pixel 2', 'phone', 8, 11, 2),
  samsung('Galaxy S10', 'phone', 9, 12, 5),
  samsung('Galaxy A10', 'phone', 9, 11, 3),
  google('Pixel 3', 'phone', 9, 12, 2),
  motorola('moto g7', 'phone', 9, 10, 2),
  samsung('Galaxy S20', 'phone', 10, 13, 5),
  samsung('Galaxy A51', 'phone', 10, 13, 4),
  samsung('Galaxy XCover Pro', 'phone', 10, 13, 2),
  google('Pixel 4a', 'phone', 10, 13, 2),
  samsung('Galaxy S21', 'phone', 11, 15, 6),
  samsung('Galaxy A52', 'phone', 11, 14, 5),
  samsung('Galaxy Tab A8', 'tablet', 11, 14, 2),
  samsung('Galaxy S22', 'phone', 12, 15, 7),
  samsung('Galaxy A53 5G', 'phone', 12, 15, 6),
  samsung('Galaxy XCover6 Pro', 'phone', 12, 15, 3),
  google('Pixel 6', 'phone', 12, 15, 3),
  lenovo('Tab M10 Plus (3rd Gen)', 'tablet', 12, 14, 1, { modem: 0 }),
  samsung('Galaxy S23', 'phone', 13, 15, 9),
  samsung('Galaxy A54 5G', 'phone', 13, 15, 8),
  samsung('Galaxy Tab S9', 'tablet', 13, 15, 2),
  google('Pixel 7', 'phone', 13, 15, 4),
  google('Pixel 7a', 'phone', 13, 15, 3),
  motorola('moto g84 5G', 'phone', 13, 14, 2),
  motorola('edge 40', 'phone', 13, 14, 1),
  samsung('Galaxy S24', 'phone', 14, 15, 8),
  samsung('Galaxy A15', 'phone', 14, 15, 5),
  google('Pixel 8', 'phone', 14, 15, 4),
  google('Pixel 8a', 'phone', 14, 15, 2),
  google('Pixel 9', 'phone', 14, 15, 2),
];

/** Rugged handhelds, kiosks and tablets for dedicated (and some fully managed) devices. */
const RUGGED: readonly ModelSpec[] = [
  zebra('TC52', 'handheld', 8, 11, 8),
  zebra('TC57', 'handheld', 8, 11, 4, { modem: 1 }),
  zebra('ET51', 'tablet', 8, 10, 2, { modem: 0 }),
  honeywell('CT40', 'handheld', 8, 11, 4),
  zebra('TC21', 'handheld', 10, 13, 4),
  zebra('TC26', 'handheld', 10, 13, 3, { modem: 1 }),
  samsung('Galaxy Tab Active3', 'tablet', 10, 13, 3, { modem: 0.3 }),
  zebra('TC53', 'handheld', 11, 14, 5),
  zebra('TC58', 'handheld', 11, 14, 6, { modem: 1 }),
  zebra('ET40', 'tablet', 11, 14, 2, { modem: 0 }),
  honeywell('CT45', 'handheld', 11, 14, 3),
  samsung('Galaxy Tab A8', 'tablet', 11, 14, 3, { modem: 0 }),
  samsung('Galaxy XCover6 Pro', 'phone', 12, 15, 6),
  samsung('Galaxy Tab Active4 Pro', 'tablet', 12, 15, 4, { modem: 0.3 }),
  lenovo('Tab M10 Plus (3rd Gen)', 'tablet', 12, 14, 3, { modem: 0 }),
  zebra('TC22', 'handheld', 13, 14, 3),
  samsung('Galaxy Tab Active5', 'tablet', 14, 15, 3, { modem: 0.3 }),
];

/** AOSP-managed hardware: headsets, smart glasses and Zebra handhelds. */
const AOSP: readonly ModelSpec[] = [
  meta('Quest 2', 'headset', 10, 14, 6),
  meta('Quest Pro', 'headset', 10, 14, 2),
  htc('VIVE Focus 3', 'headset', 10, 12, 2),
  pico('Pico 4 Enterprise', 'headset', 10, 12, 3),
  realwear('Navigator 500', 'headset', 11, 11, 2),
  realwear('Navigator 520', 'headset', 11, 13, 5),
  vuzix('M400', 'headset', 11, 13, 2),
  zebra('TC58', 'handheld', 11, 14, 4, { modem: 1 }),
  zebra('HC50', 'handheld', 11, 14, 2),
  meta('Quest 3', 'headset', 12, 14, 5),
  pico('Pico 4 Ultra Enterprise', 'headset', 14, 14, 2),
];

const IPHONES_AND_IPADS: readonly ModelSpec[] = [
  apple('iPhone 8', 'phone', 15, 16, 3, { label: 'iPhone', ...APPLE_12 }),
  apple('iPhone X', 'phone', 15, 16, 1, { label: 'iPhone', ...APPLE_12 }),
  apple('iPhone XR', 'phone', 15, 18, 3, { label: 'iPhone', ...APPLE_12 }),
  apple('iPhone 11', 'phone', 15, 18, 6, { label: 'iPhone', ...APPLE_12 }),
  apple('iPhone SE (2nd generation)', 'phone', 15, 18, 6, { label: 'iPhone', ...APPLE_12 }),
  apple('iPhone 12', 'phone', 15, 18, 7, { label: 'iPhone', ...APPLE_12 }),
  apple('iPhone 13', 'phone', 15, 18, 9, { label: 'iPhone' }),
  apple('iPhone SE (3rd generation)', 'phone', 15, 18, 6, { label: 'iPhone' }),
  apple('iPhone 14', 'phone', 16, 18, 9, { label: 'iPhone' }),
  apple('iPhone 15', 'phone', 17, 18, 9, { label: 'iPhone' }),
  apple('iPhone 15 Pro', 'phone', 17, 18, 4, { label: 'iPhone' }),
  apple('iPhone 16', 'phone', 18, 18, 7, { label: 'iPhone' }),
  apple('iPhone 16 Pro', 'phone', 18, 18, 3, { label: 'iPhone' }),
  apple('iPhone 16e', 'phone', 18, 18, 2, { label: 'iPhone' }),
  apple('iPad (6th generation)', 'tablet', 15, 17, 1, { label: 'iPad', ...APPLE_12 }),
  apple('iPad (9th generation)', 'tablet', 15, 18, 4, { label: 'iPad' }),
  apple('iPad mini (6th generation)', 'tablet', 15, 18, 1, { label: 'iPad' }),
  apple('iPad Air (5th generation)', 'tablet', 15, 18, 2, { label: 'iPad' }),
  apple('iPad (10th generation)', 'tablet', 16, 18, 4, { label: 'iPad' }),
  apple('iPad Pro 11-inch (4th generation)', 'tablet', 16, 18, 1, { label: 'iPad' }),
  apple('iPad Air 11-inch (M2)', 'tablet', 17, 18, 1, { label: 'iPad' }),
];

const MACS: readonly ModelSpec[] = [
  apple('MacBook Pro (16-inch, 2019)', 'laptop', 12, 15, 2, { label: 'MacBook Pro', ...MAC_12 }),
  apple('MacBook Pro (13-inch, 2020)', 'laptop', 12, 15, 3, { label: 'MacBook Pro', ...MAC_12 }),
  apple('MacBook Air (M1, 2020)', 'laptop', 12, 15, 6, { label: 'MacBook Air', ...MAC_12 }),
  apple('Mac mini (M1, 2020)', 'desktop', 12, 15, 1, { label: 'Mac mini', ...MAC_12 }),
  apple('MacBook Pro (14-inch, 2021)', 'laptop', 12, 15, 5, { label: 'MacBook Pro' }),
  apple('iMac (24-inch, M1, 2021)', 'desktop', 12, 15, 2, { label: 'iMac' }),
  apple('MacBook Air (M2, 2022)', 'laptop', 12, 15, 7, { label: 'MacBook Air' }),
  apple('Mac mini (2023)', 'desktop', 13, 15, 1, { label: 'Mac mini' }),
  apple('MacBook Pro (14-inch, M3, 2023)', 'laptop', 14, 15, 5, { label: 'MacBook Pro' }),
  apple('iMac (24-inch, 2023)', 'desktop', 14, 15, 1, { label: 'iMac' }),
  apple('MacBook Air (13-inch, M3, 2024)', 'laptop', 14, 15, 6, { label: 'MacBook Air' }),
  apple('MacBook Pro (14-inch, M4, 2024)', 'laptop', 15, 15, 3, { label: 'MacBook Pro' }),
];

const WINDOWS_PCS: readonly ModelSpec[] = [
  dell('Latitude 5420', 'laptop', 10, 11, 6),
  dell('Latitude 5440', 'laptop', 10, 11, 8),
  dell('Latitude 7440', 'laptop', 10, 11, 5, { modem: 0.1 }),
  dell('OptiPlex 7010', 'desktop', 10, 11, 5),
  dell('Precision 5570', 'laptop', 10, 11, 2),
  hp('EliteBook 840 G8', 'laptop', 10, 11, 5),
  hp('EliteBook 840 G10', 'laptop', 10, 11, 6),
  hp('ProBook 450 G9', 'laptop', 10, 11, 4),
  hp('EliteDesk 800 G6', 'desktop', 10, 11, 3),
  lenovoPc('ThinkPad T14 Gen 3', 'laptop', 10, 11, 7),
  lenovoPc('ThinkPad X1 Carbon Gen 11', 'laptop', 10, 11, 4, { modem: 0.15 }),
  lenovoPc('ThinkPad E14 Gen 4', 'laptop', 10, 11, 4),
  lenovoPc('ThinkCentre M70q Gen 3', 'desktop', 10, 11, 3),
  microsoft('Surface Laptop 4', 'laptop', 10, 11, 3),
  microsoft('Surface Laptop 5', 'laptop', 10, 11, 4),
  microsoft('Surface Pro 8', 'tablet', 10, 11, 3, { modem: 0.05 }),
  microsoft('Surface Pro 9', 'tablet', 10, 11, 4, { modem: 0.1 }),
];

/** Windows builds (10.0.build.revision) and their share; later revisions are more common. */
function windowsVersions(): OsEntry[] {
  const builds: Array<[build: number, share: number, revisions: number[]]> = [
    [19045, 35, [4291, 4529, 4651, 4780, 4894, 5011, 5131, 5247, 5371, 5487, 5608, 5737, 5854]],
    [22621, 5, [3296, 3447, 3593, 3737, 3880, 4037, 4169, 4317, 4460]],
    [22631, 40, [3296, 3447, 3593, 3737, 3880, 4037, 4169, 4317, 4460, 4602, 4751, 4890, 5039]],
    [26100, 20, [1742, 2033, 2314, 2605, 2894, 3194, 3476, 3775, 4061]],
  ];
  const entries: OsEntry[] = [];
  for (const [build, share, revisions] of builds) {
    const total = (revisions.length * (revisions.length + 1)) / 2;
    revisions.forEach((revision, k) => entries.push([`10.0.${build}.${revision}`, (share * (k + 1)) / total]));
  }
  return entries;
}

const IOS_VERSIONS: readonly OsEntry[] = [
  ['15.8.3', 1], ['15.8.4', 1], ['16.7.8', 1], ['16.7.10', 2], ['16.7.11', 1],
  ['17.5.1', 3], ['17.6.1', 6], ['17.7', 2], ['17.7.2', 3],
  ['18.0.1', 3], ['18.1.1', 4], ['18.2.1', 5], ['18.3.1', 5], ['18.3.2', 6], ['18.4.1', 9], ['18.5', 16], ['18.6', 8], ['18.6.2', 6],
];

const MACOS_VERSIONS: readonly OsEntry[] = [
  ['12.7.6', 3], ['13.6.7', 1], ['13.7.1', 2], ['13.7.4', 2], ['13.7.6', 2],
  ['14.4.1', 2], ['14.5', 2], ['14.6.1', 4], ['14.7', 2], ['14.7.1', 3], ['14.7.4', 3], ['14.7.6', 5],
  ['15.0.1', 2], ['15.1.1', 4], ['15.2', 4], ['15.3.1', 4], ['15.3.2', 5], ['15.4.1', 8], ['15.5', 12],
];

/** Android Enterprise on company phones: mostly current releases. */
const AE_COMPANY_VERSIONS: readonly OsEntry[] = [
  ['8.0.0', 0.5], ['8.1.0', 1], ['9', 2], ['10', 4], ['11', 8], ['12', 12], ['13', 22], ['14', 30], ['15', 20],
];

export const CATALOG: Readonly<Record<VariantKey, VariantCatalog>> = {
  'android-da-legacy': {
    os: [['4.4.2', 1], ['4.4.4', 2], ['5.0.2', 2], ['5.1.1', 8], ['6.0', 4], ['6.0.1', 8]],
    models: ANDROID_PHONES,
  },
  'android-da-modern': {
    os: [['7.0', 3], ['7.1.1', 2], ['7.1.2', 2], ['8.0.0', 4], ['8.1.0', 5], ['9', 8], ['10', 10], ['11', 12], ['12', 12], ['13', 14], ['14', 14], ['15', 6]],
    models: ANDROID_PHONES,
  },
  'ae-work-profile-personal': {
    // A small tail below 8.0 keeps the no-work-profile-reset cases (WP-3/WP-4) in every large fleet.
    os: [['5.1.1', 0.5], ['6.0', 0.3], ['6.0.1', 0.5], ['7.0', 0.8], ['7.1.1', 0.4], ['7.1.2', 0.5], ['8.1.0', 1.5], ['9', 2.5],
      ['10', 5], ['11', 8], ['12', 12], ['13', 20], ['14', 28], ['15', 18]],
    models: ANDROID_PHONES,
  },
  'ae-work-profile-corporate': { os: AE_COMPANY_VERSIONS, models: ANDROID_PHONES },
  'ae-fully-managed': { os: AE_COMPANY_VERSIONS, models: [...ANDROID_PHONES, ...RUGGED] },
  'ae-dedicated': {
    os: [['8.1.0', 5], ['9', 5], ['10', 12], ['11', 20], ['12', 8], ['13', 25], ['14', 18], ['15', 5]],
    models: RUGGED,
  },
  'aosp-user-associated': { os: [['10', 15], ['11', 20], ['12', 20], ['13', 25], ['14', 20]], models: AOSP },
  'aosp-userless': { os: [['10', 15], ['11', 20], ['12', 20], ['13', 25], ['14', 20]], models: AOSP },
  'ios-device': { os: IOS_VERSIONS, models: IPHONES_AND_IPADS },
  'ios-user-enrollment': { os: IOS_VERSIONS, models: IPHONES_AND_IPADS },
  macos: { os: MACOS_VERSIONS, models: MACS },
  windows: { os: windowsVersions(), models: WINDOWS_PCS },
};

/** Fake tenant domains; a fleet's primary and secondary domain are chosen from its seed. */
export const DOMAINS: readonly string[] = [
  'contoso.com', 'fabrikam.com', 'northwindtraders.com', 'adatum.com',
  'woodgrovebank.com', 'tailspintoys.com', 'wingtiptoys.com', 'litwareinc.com',
];
