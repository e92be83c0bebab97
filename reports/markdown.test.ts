import { describe, expect, it } from 'vitest';
import { toMarkdown } from './markdown.js';
import { runOf, sampleRun, scenario } from './test-support/sample-run.js';

function tableRow(markdown: string, firstCell: string): string[] | undefined {
  const line = markdown.split('\n').find((l) => l.startsWith(`| ${firstCell} |`));
  // Split on pipes that are not escaped, as GitHub does.
  return line?.slice(2, -2).split(/(?<!\\)\|/).map((cell) => cell.trim());
}

describe('toMarkdown', () => {
  const markdown = toMarkdown(sampleRun());

  it('leads with the verdict', () => {
    expect(markdown.split('\n')[2]).toBe('## ❌ Not conformant: 2 unexpected MUST failures (2 expected by the vendor expectations file, 1 error)');
  });

  it('says conformant when every MUST passes', () => {
    const run = runOf([scenario({ id: 'a', outcome: 'pass' }), scenario({ id: 'b', outcome: 'warn' })]);
    expect(toMarkdown(run)).toContain('## ✅ Conformant: every MUST passes (1 SHOULD warning)');
  });

  it('counts outcomes in a table', () => {
    expect(tableRow(markdown, '✅ pass')).toEqual(['✅ pass', '7']);
    expect(tableRow(markdown, '❌ fail (MUST)')).toEqual(['❌ fail (MUST)', '4']);
    expect(tableRow(markdown, '💥 error')).toEqual(['💥 error', '1']);
    expect(tableRow(markdown, '**total**')).toEqual(['**total**', '**15**']);
  });

  it('draws the conformance matrix with variants as rows and actions as columns', () => {
    expect(tableRow(markdown, 'Variant')).toEqual(['Variant', 'resetPasscode', 'remoteLock', 'wipe']);
    expect(tableRow(markdown, 'android-da-modern')).toEqual(['android-da-modern', '❌ 1/2', '–', '–']);
    expect(tableRow(markdown, 'android-da-legacy')).toEqual(['android-da-legacy', '✅ 1', '–', '–']);
    expect(tableRow(markdown, 'ae-work-profile-personal')).toEqual(['ae-work-profile-personal', '⚠️ 1/2', '–', '–']);
    expect(tableRow(markdown, 'ios-device')).toEqual(['ios-device', '❌ 1/2 †', '–', '✅ 1']);
    expect(tableRow(markdown, 'windows')).toEqual(['windows', 'ℹ️ 1', '⏭️ 1', '–']);
  });

  it('lists variants in catalogue order', () => {
    const order = ['android-da-legacy', 'android-da-modern', 'ae-work-profile-personal', 'ae-fully-managed', 'aosp-user-associated', 'ios-device', 'windows'];
    const positions = order.map((v) => markdown.indexOf(`| ${v} |`));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('details each failure with requirement statement, expected and observed', () => {
    const section = markdown.slice(markdown.indexOf('## Failures and errors'), markdown.indexOf('## Requirement coverage'));
    expect(section).toContain('### ❌ reset-da-modern-unsupported: Device admin 7.0+ reset is not supported (android-da-modern · resetPasscode)');
    expect(section).toContain('- **DL-6** (MUST): Device-level passcode reset is not supported on Android device-administrator devices');
    expect(section).toContain('  - actionState of resetPasscode: expected notSupported or HTTP 400, observed **done**');
    expect(section).toContain('ios-bad-unlock-token: Removal with a bad unlock token fails _(expected failure, vendor file)_');
    expect(section).toContain('target unreachable: connect ECONNREFUSED');
    expect(section).toContain('<summary>SHOULD warnings and REF notes (2)</summary>');
  });

  it('escapes pipes and HTML coming from the run', () => {
    expect(markdown).toContain('Read Only &lt;script&gt;alert("x")&lt;/script&gt; &amp; \'operator\' \\| lock');
    expect(markdown).not.toContain('<script>');
    const run = runOf([scenario({ id: 'p|q', outcome: 'fail', variant: 'v|w', action: 'remoteLock' })]);
    expect(tableRow(toMarkdown(run), 'v\\|w')).toEqual(['v\\|w', '–', '❌ 1', '–']);
  });

  it('shows which requirements were checked and which were not', () => {
    expect(tableRow(markdown, 'DL-6')).toEqual(['DL-6', 'MUST', '❌ fail', 'reset-da-modern-unsupported, reset-da-modern-audit']);
    // roles-read-only failed on RB-1 only, so its RB-3 check held.
    expect(tableRow(markdown, 'RB-3')).toEqual(['RB-3', 'SHOULD', '✅ pass', 'roles-read-only']);
    expect(tableRow(markdown, 'RL-1')).toEqual(['RL-1', 'MUST', '💥 error', 'aosp-lock-with-policy']);
    expect(markdown).toMatch(/Not checked in this run: DL-4 \(MUST\), DL-5 \(MUST\), DL-7 \(MUST\)/);
    expect(markdown).not.toMatch(/Not checked in this run:[^\n]*DL-6/);
  });

  it('includes the transition coverage table when present, and only then', () => {
    expect(markdown).toContain('| android-da-legacy | 9/12 | 75% | locked-&gt;reset, reset-&gt;wiped, offline-&gt;pending |');
    expect(markdown).toContain('| ios-device | 8/8 | 100% | – |');
    expect(toMarkdown(runOf([scenario({ id: 'a', outcome: 'pass' })]))).not.toContain('## Transition coverage');
  });
});
