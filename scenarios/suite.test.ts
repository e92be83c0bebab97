import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../contract/actions.js';
import { VARIANT_KEYS } from '../contract/variants.js';
import { REQUIREMENTS, isRequirementId } from './requirements.js';
import { AREAS, SUITE, SelectionError, selectScenarios } from './suite.js';
import { APPLE_MDM_SCENARIOS } from './apple-mdm.scenarios.js';

describe('the suite', () => {
  it('covers every catalogue requirement with at least one scenario', () => {
    const covered = new Set([...SUITE, ...APPLE_MDM_SCENARIOS].flatMap((s) => s.requirements));
    const uncovered = REQUIREMENTS.map((r) => r.id).filter((id) => !covered.has(id));
    expect(uncovered, `requirements no scenario checks: ${uncovered.join(', ')}`).toEqual([]);
  });

  it('names only catalogue requirements', () => {
    const unknown = SUITE.flatMap((s) => s.requirements.filter((id) => !isRequirementId(id)).map((id) => `${s.id}: ${id}`));
    expect(unknown).toEqual([]);
  });

  it('has unique ids in area/subject/what form', () => {
    const ids = SUITE.map((s) => s.id);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes, `duplicate ids: ${dupes.join(', ')}`).toEqual([]);
    for (const id of ids) expect(id, id).toMatch(/^[a-z]+(-[a-z]+)*\/[a-z0-9]+(-[a-z0-9]+)*(\/[a-z0-9]+(-[a-z0-9]+)*)?$/);
  });

  it('gives every scenario a title, an area, tags and requirements', () => {
    for (const s of SUITE) {
      expect(s.title.length, s.id).toBeGreaterThan(10);
      expect(AREAS as readonly string[], s.id).toContain(s.area);
      expect(s.tags.length, s.id).toBeGreaterThan(0);
      expect(s.requirements.length, s.id).toBeGreaterThan(0);
      expect(new Set(s.requirements).size, `${s.id} repeats a requirement`).toBe(s.requirements.length);
      if (s.variant) expect(VARIANT_KEYS, s.id).toContain(s.variant);
      if (s.action) expect(ACTIONS, s.id).toContain(s.action);
    }
  });

  it('has scenarios in every area, and for every variant', () => {
    for (const area of AREAS) expect(SUITE.some((s) => s.area === area), area).toBe(true);
    for (const variant of VARIANT_KEYS) expect(SUITE.some((s) => s.variant === variant), variant).toBe(true);
  });

  it('puts each device-level row of the catalogue on its own variant', () => {
    const expected: Record<string, string[]> = {
      'DL-1': ['android-da-legacy'], 'DL-2': ['ae-fully-managed', 'ae-dedicated'], 'DL-3': ['ios-device'],
      'DL-4': ['ios-user-enrollment'], 'DL-5': ['ae-work-profile-personal', 'ae-work-profile-corporate'],
      'DL-6': ['android-da-modern'], 'DL-7': ['macos'], 'DL-8': ['windows'], 'DL-9': ['aosp-user-associated'], 'DL-10': ['aosp-userless'],
    };
    for (const [id, variants] of Object.entries(expected)) {
      const rows = SUITE.filter((s) => s.area === 'device-reset' && s.requirements.includes(id));
      expect(new Set(rows.map((s) => s.variant)), id).toEqual(new Set(variants));
      for (const row of rows) expect(row.action, row.id).toBe('resetPasscode');
    }
  });

  it('declares usesClock on exactly the scenarios that move time', () => {
    const clocked = SUITE.filter((s) => s.usesClock).map((s) => s.id);
    expect(clocked).toEqual([
      'temporary-passcode/ae-fully-managed/visible-seven-days',
      'temporary-passcode/ae-work-profile-corporate/visible-seven-days',
      'temporary-passcode/ae-fully-managed/seven-days-from-request',
      'fleet/reset-mixed-2000',
      'fleet/lock-mixed-1000',
    ]);
  });

  it('is in a stable order, grouped by area', () => {
    const areas = SUITE.map((s) => s.area);
    const firstSeen = [...new Set(areas)];
    expect(firstSeen).toEqual([...AREAS]);
    for (let i = 1; i < areas.length; i++) {
      expect(AREAS.indexOf(areas[i] as (typeof AREAS)[number]), SUITE[i]!.id).toBeGreaterThanOrEqual(AREAS.indexOf(areas[i - 1] as (typeof AREAS)[number]));
    }
  });
});

describe('selectScenarios', () => {
  it('selects everything with no filters, in suite order', () => {
    expect(selectScenarios(SUITE)).toEqual([...SUITE]);
    expect(selectScenarios(SUITE, { ids: [], tags: [], requirements: [] })).toEqual([...SUITE]);
  });

  it('selects by exact id', () => {
    expect(selectScenarios(SUITE, { ids: ['reset/android-da-modern/not-supported'] }).map((s) => s.id)).toEqual(['reset/android-da-modern/not-supported']);
  });

  it('selects by a prefix ending in *', () => {
    const picked = selectScenarios(SUITE, { ids: ['lock/macos/*'] });
    expect(picked.length).toBeGreaterThan(0);
    for (const s of picked) expect(s.id.startsWith('lock/macos/')).toBe(true);
    expect(selectScenarios(SUITE, { ids: ['reset/*'] }).length).toBe(SUITE.filter((s) => s.id.startsWith('reset/')).length);
  });

  it('matches any of several ids', () => {
    const picked = selectScenarios(SUITE, { ids: ['lock/macos/pin', 'reset/windows/not-supported'] }).map((s) => s.id);
    expect(new Set(picked)).toEqual(new Set(['lock/macos/pin', 'reset/windows/not-supported']));
  });

  it('selects by tag (any of them) and by requirement (any of them)', () => {
    const windows = selectScenarios(SUITE, { tags: ['windows'] });
    expect(windows.length).toBeGreaterThan(0);
    for (const s of windows) expect(s.tags).toContain('windows');
    const an = selectScenarios(SUITE, { requirements: ['AN-1', 'AN-4'] });
    expect(an.length).toBeGreaterThan(0);
    for (const s of an) expect(s.requirements.some((id) => id === 'AN-1' || id === 'AN-4')).toBe(true);
    const either = selectScenarios(SUITE, { tags: ['macos', 'windows'] });
    expect(either.length).toBe(SUITE.filter((s) => s.tags.includes('macos') || s.tags.includes('windows')).length);
  });

  it('combines id, tag and requirement filters with AND', () => {
    const picked = selectScenarios(SUITE, { ids: ['lock/*'], tags: ['aosp'], requirements: ['RL-2'] });
    expect(picked.map((s) => s.id).sort()).toEqual(['lock/aosp-user-associated/without-passcode-policy', 'lock/aosp-userless/without-passcode-policy']);
    expect(selectScenarios(SUITE, { ids: ['reset/windows/not-supported'], tags: ['macos'] })).toEqual([]);
  });

  it('names what exists when an id, tag or requirement matches nothing', () => {
    expect(() => selectScenarios(SUITE, { ids: ['reset/nokia/*'] })).toThrow(SelectionError);
    expect(() => selectScenarios(SUITE, { ids: ['reset/nokia/*'] })).toThrow(/No scenario matches 'reset\/nokia\/\*'.*reset\/android-da-legacy\/supported/);
    expect(() => selectScenarios(SUITE, { tags: ['blackberry'] })).toThrow(/Unknown tag 'blackberry'.*Tags: .*android/);
    expect(() => selectScenarios(SUITE, { requirements: ['DL-11'] })).toThrow(/Unknown requirement 'DL-11'.*DL-1, DL-2,.*DL-10/);
  });
});
