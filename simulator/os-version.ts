import { VARIANT_INFO } from './variants.js';
import { type VariantKey } from '../contract/variants.js';

export interface OsVersion { major: number; minor: number }

const VERSION = /^(\d{1,2})(?:\.(\d{1,3}))?(?:\.(\d{1,5}))*$/;

/** Parses "8", "8.1", "17.4.1" or a Windows build "10.0.22631.3296"; null when it is not a version. */
export function parseOsVersion(text: string): OsVersion | null {
  const match = VERSION.exec(text);
  if (!match) return null;
  return { major: Number(match[1]), minor: Number(match[2] ?? 0) };
}

function compare(a: OsVersion, b: readonly [number, number]): number {
  return a.major !== b[0] ? a.major - b[0] : a.minor - b[1];
}

/** Why this OS version cannot run on the variant, or null when it can. */
export function osVersionProblem(variant: VariantKey, text: string): string | null {
  const version = parseOsVersion(text);
  if (!version) return `osVersion '${text}' is not a version number like 14 or 8.1`;
  const { minOs, maxOs, title } = VARIANT_INFO[variant];
  // Windows reports 10.0.x for both 10 and 11; any 6.x minor above the range is also refused.
  if (compare(version, minOs) < 0 || version.major > maxOs[0] || (version.major === maxOs[0] && version.minor > maxOs[1] && variant !== 'windows')) {
    return `osVersion '${text}' is outside ${minOs.join('.')} to ${maxOs.join('.')} for ${variant} (${title})`;
  }
  return null;
}
