import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateCa } from '../../simulator/apple/identity.js';
import { freePort, NANOMDM_MISSING, startNanoMdm, type NanoMdm } from '../../simulator/apple/test-support/nanomdm.js';
import { parseRunArgs } from '../run-args.js';
import { runCommand } from '../run-command.js';
import { APPLE_MUTANTS } from './mutants.js';
import { WRONG_APPLE_SERVERS } from './wrong-servers.js';

describe.skipIf(NANOMDM_MISSING !== null)(`lockstep run --apple-mutant: wrong Apple MDM servers (a proxy in front of NanoMDM) fail the apple-mdm area${NANOMDM_MISSING ? ` (skipped: ${NANOMDM_MISSING})` : ''}`, () => {
  let dir: string;
  let caDir: string;
  let port: number;
  let server: NanoMdm;
  let seed = 100;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'lockstep-apple-mutants-'));
    caDir = join(dir, 'ca');
    const { ca } = await loadOrCreateCa(caDir);
    port = await freePort();
    server = await startNanoMdm(ca.pem, { webhookUrl: `http://127.0.0.1:${port}/webhook` });
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `lockstep run --apple-mdm` through these `--apple-mutant`s: the AP rows with a failed check. */
  async function failedRows(mutants: readonly string[]): Promise<string[]> {
    // A fresh seed per run: new enrollment ids, so no run sees another's queue.
    const argv = ['--apple-mdm', `${server.url}/mdm`, '--enqueue', `nanomdm:${server.apiKey}`, '--apple-ca', caDir, '--webhook-port', String(port), '--seed', String(seed++), '--out', join(dir, `out-${seed}`), '--no-ui'];
    for (const m of mutants) argv.push('--apple-mutant', m);
    const { run } = await runCommand(parseRunArgs(argv), { write: () => {} });
    const errors = run!.scenarios.filter((s) => s.outcome === 'error').map((s) => `${s.id}: ${s.message}`);
    expect(errors).toEqual([]);
    return [...new Set(run!.scenarios.flatMap((s) => s.findings.map((f) => f.requirement)))].sort();
  }

  it('NanoMDM fails AP-6 alone; with a check-out guard in front of it, no row fails (the clean baseline)', async () => {
    expect(await failedRows([])).toEqual(['AP-6']);
    expect(await failedRows(['checkout-guard'])).toEqual([]);
  }, 120_000);

  for (const mutant of APPLE_MUTANTS) {
    it(`${mutant.id} is caught by ${mutant.caughtBy.join(', ')} and no other row: it ${mutant.title}`, async () => {
      expect(await failedRows(['checkout-guard', mutant.id])).toEqual([...mutant.caughtBy]);
    }, 120_000);
  }

  it('--apple-mutant takes the wrong servers of wrong-servers.ts too: each fails its own row', async () => {
    for (const wrong of WRONG_APPLE_SERVERS) expect(await failedRows(['checkout-guard', wrong.id]), wrong.id).toContain(wrong.row);
  }, 120_000);
});
