import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateCa } from '../../simulator/apple/identity.js';
import { freePort, NANOMDM_MISSING, startNanoMdm, type NanoMdm } from '../../simulator/apple/test-support/nanomdm.js';
import type { RunResult } from '../../contract/result-model.js';
import { parseRunArgs } from '../run-args.js';
import { runCommand } from '../run-command.js';

describe.skipIf(NANOMDM_MISSING !== null)(`lockstep run --apple-mdm against a real NanoMDM${NANOMDM_MISSING ? ` (skipped: ${NANOMDM_MISSING})` : ''}`, () => {
  let dir: string;
  const servers: NanoMdm[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockstep-apple-run-'));
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function runApple(mode: 'signature' | 'header') {
    const caDir = join(dir, `ca-${mode}`);
    const { ca } = await loadOrCreateCa(caDir);
    const port = await freePort();
    const server = await startNanoMdm(ca.pem, { webhookUrl: `http://127.0.0.1:${port}/webhook`, ...(mode === 'header' ? { certHeader: 'X-Client-Cert' } : {}) });
    servers.push(server);
    const out = join(dir, `report-${mode}`);
    const lines: string[] = [];
    const argv = ['--apple-mdm', `${server.url}/mdm`, '--enqueue', `nanomdm:${server.apiKey}`, '--apple-ca', caDir, '--webhook-port', String(port), '--out', out, '--no-ui'];
    if (mode === 'header') argv.push('--apple-identity', 'header:X-Client-Cert');
    const { status, run } = await runCommand(parseRunArgs(argv), { write: (l) => lines.push(l) });
    return { status, run: run!, lines, out, server };
  }

  it('runs the apple-mdm area: NanoMDM passes its rows but AP-6, the rest skip with a reason; one verdict in status, last line and reports', async () => {
    const { status, run, lines, out, server } = await runApple('signature');
    const outcome = Object.fromEntries(run.scenarios.map((s) => [s.id, s.outcome]));
    expect(outcome).toEqual({
      'apple/clear-passcode/escrowed-token': 'pass',
      'apple/clear-passcode/not-to-user-enrollment-or-mac': 'skip',
      'apple/device-lock/mac-pin-iphone-none': 'skip',
      'apple/erase/mac-pin': 'skip',
      'apple/commands/acknowledged-once-notnow-again': 'pass',
      // NanoMDM 0.9 (filekv storage) still hands a checked-out enrollment its queued commands.
      'apple/checkout/no-more-commands': 'fail',
      'apple/identity/untrusted-refused': 'pass',
      'apple/clear-passcode/latest-token': 'pass',
      'apple/admin-view/error-shows-failed': 'skip',
      'apple/commands/schema': 'pass',
    });
    expect(run.scenarios.find((s) => s.id === 'apple/checkout/no-more-commands')!.findings[0]).toMatchObject({ requirement: 'AP-6', observed: 'DeviceInformation:Acknowledged' });
    expect(status).toBe(1);
    expect(lines.at(-1)).toMatch(/^verdict: Not conformant: 1 MUST failure/);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunResult;
    expect(report.target).toEqual({ kind: 'http', url: `${server.url}/mdm` });
    expect(Object.keys(report.requirementCoverage)).toEqual(expect.arrayContaining(['AP-1', 'AP-5', 'AP-6', 'AP-7', 'AP-8', 'AP-10']));
    // Secrets on the wire (unlock tokens, PINs) never reach a report.
    const text = readFileSync(join(out, 'report.json'), 'utf8') + readFileSync(join(out, 'report.md'), 'utf8');
    expect(text).not.toMatch(/ut-[0-9a-z]{6,}|stale-/);
  }, 120_000);

  it('the same with identity by certificate header', async () => {
    const { run } = await runApple('header');
    expect(run.scenarios.filter((s) => s.outcome !== 'pass' && s.outcome !== 'skip').map((s) => `${s.id}: ${s.findings[0]?.check ?? s.message}`)).toEqual(['apple/checkout/no-more-commands: commands after CheckOut']);
  }, 120_000);
});
