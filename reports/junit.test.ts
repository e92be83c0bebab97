import { describe, expect, it } from 'vitest';
import { toJUnitXml } from './junit.js';
import { finding, runOf, sampleRun, scenario } from './test-support/sample-run.js';
import { childNamed, childrenNamed, parseStrictXml, type XmlElement } from './test-support/strict-xml.js';

function counts(element: XmlElement) {
  const a = element.attributes;
  return { tests: Number(a.tests), failures: Number(a.failures), errors: Number(a.errors), skipped: Number(a.skipped) };
}

function testcases(root: XmlElement): XmlElement[] {
  return childrenNamed(root, 'testsuite').flatMap((suite) => childrenNamed(suite, 'testcase'));
}

function testcaseFor(root: XmlElement, scenarioId: string): XmlElement {
  const found = testcases(root).find((tc) => tc.attributes.name?.startsWith(`${scenarioId} `));
  if (!found) throw new Error(`no testcase for ${scenarioId}`);
  return found;
}

describe('toJUnitXml', () => {
  const run = sampleRun();
  const root = parseStrictXml(toJUnitXml(run));

  it('is well-formed XML with a lockstep <testsuites> root', () => {
    expect(root.name).toBe('testsuites');
    expect(root.attributes.name).toBe('lockstep');
    expect(root.attributes.time).toBe('7.250');
  });

  it('counts the whole run in <testsuites>', () => {
    // 15 scenarios: 2 fails not listed as expected, 1 error, 1 skip + 2 expected failures skipped.
    // The scenarios, plus one test case for the run's verdict (not conformant here: a failure).
    expect(counts(root)).toEqual({ tests: 16, failures: 3, errors: 1, skipped: 3 });
    expect(testcases(root)).toHaveLength(run.scenarios.length + 1);
  });

  it('has one suite per area whose counts match its testcases', () => {
    const suites = childrenNamed(root, 'testsuite');
    expect(suites.map((s) => s.attributes.name)).toEqual(['reset', 'work-profile', 'removal', 'lock', 'status', 'roles', 'verdict']);
    for (const suite of suites.filter((s) => s.attributes.name !== 'verdict')) {
      const cases = childrenNamed(suite, 'testcase');
      const inArea = run.scenarios.filter((s) => s.area === suite.attributes.name);
      expect(counts(suite)).toEqual({
        tests: inArea.length,
        failures: cases.filter((tc) => childNamed(tc, 'failure')).length,
        errors: cases.filter((tc) => childNamed(tc, 'error')).length,
        skipped: cases.filter((tc) => childNamed(tc, 'skipped')).length,
      });
      for (const tc of cases) expect(tc.attributes.classname).toBe(`lockstep.${suite.attributes.name}`);
    }
    const reset = suites.find((s) => s.attributes.name === 'reset');
    expect(reset && counts(reset)).toEqual({ tests: 4, failures: 1, errors: 0, skipped: 0 });
  });

  it('reports a MUST failure with requirement, statement, expected and observed', () => {
    const failure = childNamed(testcaseFor(root, 'reset-da-modern-unsupported'), 'failure');
    expect(failure?.attributes.type).toBe('MUST');
    expect(failure?.attributes.message).toContain('DL-6');
    expect(failure?.attributes.message).toContain('expected notSupported or HTTP 400, observed done');
    expect(failure?.text).toContain('DL-6 (MUST): Device-level passcode reset is not supported');
    expect(failure?.text).toMatch(/expected: notSupported or HTTP 400/);
    expect(failure?.text).toMatch(/observed: done/);
  });

  it('carries requirement, level, variant, action and tags as testcase properties', () => {
    const properties = childNamed(testcaseFor(root, 'reset-da-modern-unsupported'), 'properties');
    const pairs = childrenNamed(properties ?? { name: '', attributes: {}, children: [], text: '' }, 'property').map(
      (p) => [p.attributes.name, p.attributes.value],
    );
    expect(pairs).toEqual([
      ['requirement', 'DL-6'], ['requirement', 'ST-3'], ['level', 'MUST'],
      ['variant', 'android-da-modern'], ['action', 'resetPasscode'],
      ['tag', 'reset'], ['tag', 'android'], ['tag', 'negative'],
    ]);
  });

  it('maps error, skip, expected failure, warn, info and unexpected pass', () => {
    const error = childNamed(testcaseFor(root, 'aosp-lock-with-policy'), 'error');
    expect(error?.attributes.message).toContain('ECONNREFUSED');

    expect(childNamed(testcaseFor(root, 'windows-lock'), 'skipped')?.attributes.message).toBe('filtered out by --tag android');

    const expected = testcaseFor(root, 'ios-bad-unlock-token');
    expect(childNamed(expected, 'skipped')?.attributes.message).toBe('expected failure (vendor expectations file)');
    expect(childNamed(expected, 'failure')).toBeUndefined();
    expect(childNamed(expected, 'system-out')?.text).toContain('IR-3');

    const warn = testcaseFor(root, 'wp-reboot-before-activation');
    expect(warn.children.map((c) => c.name)).toEqual(['properties', 'system-out']);
    expect(childNamed(warn, 'system-out')?.text).toMatch(/SHOULD deviation[\s\S]*AN-4/);

    const info = testcaseFor(root, 'windows-reset-signal');
    expect(childNamed(info, 'system-out')?.text).toMatch(/REF[\s\S]*ST-3[\s\S]*HTTP 409/);

    const unexpected = testcaseFor(root, 'ios-removal-no-temp');
    expect(unexpected.children.map((c) => c.name)).toEqual(['properties', 'system-out']);
    expect(childNamed(unexpected, 'system-out')?.text).toContain('Unexpected pass');

    expect(testcaseFor(root, 'reset-da-legacy').children.map((c) => c.name)).toEqual(['properties']);
  });

  it('escapes <&"\'> in titles and findings and round-trips them', () => {
    const xml = toJUnitXml(run);
    expect(xml).not.toContain('<script>');
    const tc = testcaseFor(root, 'roles-read-only');
    expect(tc.attributes.name).toBe(`roles-read-only Read Only <script>alert("x")</script> & 'operator' | lock`);
    expect(childNamed(tc, 'failure')?.text).toContain('observed: 204 <no body> & "done"');
  });

  it('drops characters XML 1.0 forbids and keeps line breaks in attributes', () => {
    const nasty = runOf([
      scenario({
        id: 'ctl', title: 'bell\u0007 nul\u0000 lone\uD800 ok', outcome: 'error', message: 'line one\nline two',
        findings: [finding('ST-1', 'check', 'a', 'vertical\u000Btab')],
      }),
    ]);
    const parsed = parseStrictXml(toJUnitXml(nasty));
    const tc = testcaseFor(parsed, 'ctl');
    expect(tc.attributes.name).toBe('ctl bell nul lone ok');
    expect(childNamed(tc, 'error')?.attributes.message).toBe('line one\nline two');
    expect(childNamed(tc, 'error')?.text).toContain('observed: verticaltab');
  });

  it('writes an empty but valid document for a run without scenarios', () => {
    const empty = parseStrictXml(toJUnitXml(runOf([])));
    // Nothing checked is inconclusive: the verdict test case errors, so CI does not read it as green.
    expect(counts(empty)).toEqual({ tests: 1, failures: 0, errors: 1, skipped: 0 });
    expect(empty.children).toHaveLength(1);
  });
});

describe('parseStrictXml (test support)', () => {
  it('rejects what a lenient reader would accept', () => {
    expect(() => parseStrictXml('<a><b></a></b>')).toThrow(/does not match/);
    expect(() => parseStrictXml('<a x=1/>')).toThrow(/unquoted/);
    expect(() => parseStrictXml('<a x="1" x="2"/>')).toThrow(/duplicate/);
    expect(() => parseStrictXml('<a>fish & chips</a>')).toThrow(/entity/);
    expect(() => parseStrictXml('<a>&nbsp;</a>')).toThrow(/unknown entity/);
    expect(() => parseStrictXml('<a x="<"/>')).toThrow(/raw '<'/);
    expect(() => parseStrictXml('<a/><b/>')).toThrow(/second root/);
    expect(() => parseStrictXml('<a>')).toThrow(/unclosed/);
    expect(() => parseStrictXml('<a>\u0001</a>')).toThrow(/illegal/);
  });
});
