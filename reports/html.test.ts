import { describe, expect, it } from 'vitest';
import { toHtml } from './html.js';
import { runOf, sampleRun, scenario } from './test-support/sample-run.js';

/** The <td> of the matrix row for `variant`, in column order. */
function matrixCells(html: string, variant: string): string[] {
  const matrix = html.slice(html.indexOf('<table class="matrix">'), html.indexOf('</table>', html.indexOf('<table class="matrix">')));
  const row = matrix.split('<tr>').find((r) => r.startsWith(`<th class="variant" scope="row">${variant}<`));
  return row ? [...row.matchAll(/<td class="([^"]*)"/g)].map((m) => m[1] ?? '') : [];
}

describe('toHtml', () => {
  const run = sampleRun();
  const html = toHtml(run);

  it('is one self-contained document: no URL references at all', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\b(?:src|href)="(?!#)/);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html).toContain('<style>');
  });

  it('shows an http target as text without linking or loading it', () => {
    const remote = toHtml(runOf(run.scenarios, { target: { kind: 'http', url: 'https://mdm.example.test/graph' } }));
    expect(remote).toContain('HTTP target https://mdm.example.test/graph');
    expect(remote).not.toMatch(/\b(?:src|href)="(?!#)/);
  });

  it('escapes a <script> in a title', () => {
    expect(html).toContain('Read Only &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;operator&#39;');
    expect(html.match(/<script>/g)).toHaveLength(1); // the report's own inline script only
  });

  it('shows the header facts and a big verdict', () => {
    expect(html).toContain('<dd>embedded reference MDM</dd>');
    expect(html).toContain('<dd>4242</dd>');
    expect(html).toContain('<dd>2025-03-01 09:30:00 UTC</dd>');
    expect(html).toContain('<dd>7.3 s</dd>');
    expect(html).toMatch(/<section class="verdict not-conformant"[\s\S]*<h1>Not conformant<\/h1><p>2 unexpected MUST failures \(2 expected by the vendor expectations file/);
  });

  it('contains each failed and errored scenario id in the failure details', () => {
    const failures = html.slice(html.indexOf('id="failures"'), html.indexOf('id="coverage"'));
    for (const s of run.scenarios.filter((x) => x.outcome === 'fail' || x.outcome === 'error')) {
      expect(failures).toContain(`<code>${s.id}</code>`);
    }
    expect(failures).toContain('notSupported or HTTP 400');
    expect(failures).toContain('Device-level passcode reset is not supported on Android device-administrator devices');
  });

  it('colours each matrix cell by its worst outcome, standard actions first', () => {
    expect(html).toMatch(/<tr><th>Variant<\/th><th>resetPasscode<\/th><th>remoteLock<\/th><th>wipe<\/th><\/tr>/);
    expect(matrixCells(html, 'android-da-modern')).toEqual(['cell o-fail', 'cell empty', 'cell empty']);
    expect(matrixCells(html, 'aosp-user-associated')).toEqual(['cell empty', 'cell o-error', 'cell empty']);
    expect(matrixCells(html, 'ae-work-profile-personal')).toEqual(['cell o-warn', 'cell empty', 'cell empty']);
    expect(matrixCells(html, 'windows')).toEqual(['cell o-info', 'cell o-skip', 'cell empty']);
    expect(matrixCells(html, 'ios-device')).toEqual(['cell o-fail', 'cell empty', 'cell o-pass']);
  });

  it('adds a column for an action beyond the standard three', () => {
    const extra = toHtml(runOf([scenario({ id: 'x', outcome: 'pass', variant: 'macos', action: 'rotateFileVaultKey' })]));
    expect(extra).toContain('<th>wipe</th><th>rotateFileVaultKey</th>');
    expect(matrixCells(extra, 'macos')).toEqual(['cell empty', 'cell empty', 'cell empty', 'cell o-pass']);
  });

  it('shows a role × action matrix beside the variant × action one: who may act, and whether the target agreed', () => {
    const html = toHtml(runOf([
      scenario({ id: 'roles/helpdesk-operator/reset-allowed', area: 'roles', tags: ['roles', 'helpdesk-operator', 'resetPasscode', 'allowed'], action: 'resetPasscode', outcome: 'pass' }),
      scenario({ id: 'roles/read-only-operator/reset-forbidden', area: 'roles', tags: ['roles', 'read-only-operator', 'resetPasscode', 'forbidden'], action: 'resetPasscode', outcome: 'warn' }),
      scenario({ id: 'reset/macos/x', variant: 'macos', action: 'resetPasscode', outcome: 'pass' }),
    ]));
    const section = html.split('<section class="panel" id="role-matrix">')[1]!.split('</section>')[0]!;
    expect(html.indexOf('id="matrix"')).toBeLessThan(html.indexOf('id="role-matrix"'));
    const row = (role: string) => section.split(`scope="row">${role}</th>`)[1]!.split('</tr>')[0]!;
    expect(row('helpdesk-operator')).toMatch(/class="cell o-pass"[\s\S]*?<span class="role-expect">may<\/span>/);
    expect(row('read-only-operator')).toMatch(/class="cell o-warn"[\s\S]*?<span class="role-expect">may not<\/span>/);
    expect(section).not.toContain('macos');
  });

  it('lists scenario ids of a cell on hover and on expand', () => {
    expect(html).toContain('title="reset-da-modern-unsupported: fail\nreset-da-modern-audit: pass"');
    expect(html).toContain('<a href="#scenario-reset-da-modern-audit"><code>reset-da-modern-audit</code></a>');
    expect(html).toContain('<tr id="scenario-reset-da-modern-audit" data-outcome="pass">');
  });

  it('has requirement coverage with statements, and the requirements not checked', () => {
    const coverage = html.slice(html.indexOf('id="coverage"'), html.indexOf('id="transitions"'));
    expect(coverage).toMatch(/<td class="req-id"><b>DL-1<\/b><\/td><td>MUST<\/td><td>Device-level passcode reset is supported on Android device-administrator devices running 6\.x/);
    expect(coverage).toMatch(/<tr class="unchecked"><td class="req-id"><b>DL-7<\/b><\/td>/);
  });

  it('shows transition coverage with a bar and the missed transitions', () => {
    expect(html).toContain('<div style="width:75%">');
    expect(html).toContain('9/12 (75%)');
    expect(html).toContain('<summary>3 missed</summary>');
    expect(html).toContain('<code>locked-&gt;reset</code>');
    expect(toHtml(runOf([scenario({ id: 'a', outcome: 'pass' })]))).not.toContain('id="transitions"');
  });
});
