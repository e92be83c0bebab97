import { describe, expect, it } from 'vitest';
import { REQUIREMENTS, isRequirementId, requirement } from './requirements.js';

// Written out literally so that a change to the catalogue has to be a deliberate
// change to this test as well.
const EXPECTED_LEVELS: Record<string, 'MUST' | 'SHOULD' | 'REF'> = {
  'DL-1': 'MUST', 'DL-2': 'MUST', 'DL-3': 'MUST', 'DL-4': 'MUST', 'DL-5': 'MUST',
  'DL-6': 'MUST', 'DL-7': 'MUST', 'DL-8': 'MUST', 'DL-9': 'MUST', 'DL-10': 'MUST',
  'WP-1': 'MUST', 'WP-2': 'MUST', 'WP-3': 'MUST', 'WP-4': 'MUST', 'WP-5': 'MUST',
  'TP-1': 'MUST', 'TP-2': 'MUST', 'TP-3': 'MUST', 'TP-4': 'SHOULD', 'TP-5': 'REF',
  'AN-1': 'MUST', 'AN-2': 'MUST', 'AN-3': 'SHOULD', 'AN-4': 'SHOULD',
  'IR-1': 'MUST', 'IR-2': 'MUST', 'IR-3': 'MUST', 'IR-4': 'SHOULD', 'IR-5': 'SHOULD',
  'RL-1': 'MUST', 'RL-2': 'MUST', 'RL-3': 'SHOULD', 'RL-4': 'SHOULD', 'RL-5': 'SHOULD',
  'RB-1': 'MUST', 'RB-2': 'SHOULD', 'RB-3': 'SHOULD',
  'ST-1': 'MUST', 'ST-2': 'SHOULD', 'ST-3': 'REF',
  'GF-1': 'SHOULD', 'GF-2': 'SHOULD', 'GF-3': 'SHOULD', 'GF-4': 'SHOULD',
  'GF-5': 'SHOULD', 'GF-6': 'SHOULD',
  'AP-1': 'MUST', 'AP-2': 'MUST', 'AP-3': 'MUST', 'AP-4': 'MUST', 'AP-5': 'MUST',
  'AP-6': 'MUST', 'AP-7': 'MUST', 'AP-8': 'SHOULD', 'AP-9': 'MUST', 'AP-10': 'REF',
};

const EXPECTED_AREAS: Record<string, string> = {
  DL: 'device-reset', WP: 'work-profile-reset', TP: 'temporary-passcode', AN: 'token-activation',
  IR: 'ios-removal', RL: 'remote-lock', RB: 'roles', ST: 'action-status', GF: 'graph-fidelity', AP: 'apple-mdm',
};

describe('requirements catalogue', () => {
  it('has unique ids', () => {
    const ids = REQUIREMENTS.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('holds exactly the catalogue ids, in catalogue order', () => {
    expect(REQUIREMENTS.map((entry) => entry.id)).toEqual(Object.keys(EXPECTED_LEVELS));
  });

  it('gives every id the level of the catalogue', () => {
    for (const [id, level] of Object.entries(EXPECTED_LEVELS)) {
      expect(requirement(id).level, id).toBe(level);
    }
  });

  it('files every id under the area of its prefix', () => {
    for (const entry of REQUIREMENTS) {
      expect(entry.area, entry.id).toBe(EXPECTED_AREAS[entry.id.split('-')[0] ?? '']);
    }
  });

  it('has a statement and a source for every entry', () => {
    for (const entry of REQUIREMENTS) {
      expect(entry.statement.length, entry.id).toBeGreaterThan(20);
      expect(entry.source.length, entry.id).toBeGreaterThan(5);
    }
  });

  it('says plainly whether each device-level and work-profile row is supported', () => {
    const supported = ['DL-1', 'DL-2', 'DL-3', 'DL-9', 'DL-10', 'WP-1', 'WP-2'];
    const unsupported = ['DL-4', 'DL-5', 'DL-6', 'DL-7', 'DL-8', 'WP-3', 'WP-4'];
    for (const id of supported) expect(requirement(id).statement, id).toMatch(/\bis supported\b/);
    for (const id of unsupported) expect(requirement(id).statement, id).toMatch(/\bis not supported\b/);
  });

  it('recognises catalogue ids only', () => {
    expect(isRequirementId('DL-10')).toBe(true);
    expect(isRequirementId('ST-3')).toBe(true);
    expect(isRequirementId('DL-11')).toBe(false);
    expect(isRequirementId('dl-1')).toBe(false);
  });

  it('throws for an unknown id', () => {
    expect(() => requirement('XX-1')).toThrow(new Error('unknown requirement XX-1'));
  });
});
