import { describe, expect, it } from 'vitest';
import { allStateIds, enumerateTransitions, factCombinations, reachableStates, representativeEvents, transitionCoverage } from './model-graph.js';
import { osVersionProblem } from './os-version.js';
import { VARIANT_KEYS } from '../contract/variants.js';

describe('model graph', () => {
  it.each(VARIANT_KEYS)('every state of the %s machine is reachable', (variant) => {
    const reachable = reachableStates(variant);
    const unreachable = allStateIds(variant).filter((id) => !reachable.has(id));
    expect(unreachable).toEqual([]);
    // And nothing is reached that is not a leaf state of the machine.
    expect([...reachable].filter((id) => !allStateIds(variant).includes(id))).toEqual([]);
  });

  it('the traversal uses valid facts', () => {
    for (const variant of VARIANT_KEYS) {
      for (const facts of factCombinations(variant)) expect(osVersionProblem(variant, facts.osVersion), variant).toBeNull();
    }
    expect(representativeEvents().length).toBeGreaterThan(20);
  });

  it('allStateIds lists each leaf state once, with the regions each variant has', () => {
    for (const variant of VARIANT_KEYS) {
      const ids = allStateIds(variant);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toContain(`${variant}.enrolling`);
      expect(ids).toContain(`${variant}.wiped`);
      expect(ids).toContain(`${variant}.enrolled.lockScreen.locked`);
      expect(ids).toContain(`${variant}.enrolled.devicePasscode.user`);
      expect(ids).not.toContain(`${variant}.enrolled`);
    }
    const wp = 'ae-work-profile-personal.enrolled.workProfile';
    expect(allStateIds('ae-work-profile-personal')).toEqual(
      expect.arrayContaining([`${wp}.challenge.temporary`, `${wp}.profileLock.locked`, `${wp}.resetToken.pending`, `${wp}.activationNotification.shown`]),
    );
    expect(allStateIds('ae-work-profile-corporate')).not.toContain('ae-work-profile-corporate.enrolled.workProfile.resetToken.pending');
    expect(allStateIds('ios-device')).toContain('ios-device.enrolled.passcodePrompt.shown');
    expect(allStateIds('macos')).toContain('macos.enrolled.remoteLockPin.outstanding');
    // States a variant can never be in are not part of its machine.
    expect(allStateIds('windows')).not.toContain('windows.enrolled.lockScreen.screenOff');
    expect(allStateIds('macos')).not.toContain('macos.enrolled.lockScreen.screenOff');
    expect(allStateIds('ios-device')).not.toContain('ios-device.enrolled.devicePasscode.temporary');
    expect(allStateIds('ae-work-profile-personal')).not.toContain('ae-work-profile-personal.enrolled.devicePasscode.temporary');
    expect(allStateIds('aosp-userless')).toEqual(
      expect.arrayContaining(['aosp-userless.enrolled.lockScreen.screenOff', 'aosp-userless.enrolled.devicePasscode.temporary']),
    );
  });

  it('enumerateTransitions gives unique, resolvable ids, internal events included', () => {
    for (const variant of VARIANT_KEYS) {
      const ids = enumerateTransitions(variant);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id).toMatch(/^[^|]+\|[^|[→]+(\[[^\]]+\])?(→[\w-]+)?$/);
      expect(ids).toContain(`${variant}.enrolling|ENROLLMENT_COMPLETE→enrolled`);
      expect(ids).toContain(`${variant}.enrolled|WIPE→wiped`);
      expect(ids).toContain('lockScreen|screen.afterReboot→unlocked');
      expect(ids).toContain(`${variant}.enrolled.devicePasscode.none|facts.apply[startsWithPasscode]→user`);
    }
    expect(enumerateTransitions('android-da-modern')).toEqual(
      expect.arrayContaining(['android-da-modern.enrolled|RESET_PASSCODE[newPasscodeMalformed]', 'android-da-modern.enrolled|RESET_PASSCODE[deviceHasPasscode]', 'android-da-modern.enrolled|RESET_PASSCODE']),
    );
    expect(enumerateTransitions('ae-work-profile-personal')).toEqual(
      expect.arrayContaining(['ae-work-profile-personal.enrolled.workProfile.resetToken.pending|token.lose→none', 'profileLock|profile.lockIfProtected[not(workChallengeIsNone)]→locked']),
    );
  });

  it('transitionCoverage counts the taken transitions of the variant and lists the rest', () => {
    const all = enumerateTransitions('macos');
    expect(transitionCoverage('macos', new Set())).toEqual({ total: all.length, covered: 0, missed: all });
    expect(transitionCoverage('macos', new Set([...all, 'not-a-transition|X']))).toEqual({ total: all.length, covered: all.length, missed: [] });
    const some = new Set(all.slice(0, 3));
    const partial = transitionCoverage('macos', some);
    expect(partial.covered).toBe(3);
    expect(partial.missed).toEqual(all.slice(3));
  });
});
