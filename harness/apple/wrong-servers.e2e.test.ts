import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateCa } from '../../simulator/apple/identity.js';
import { freePort, NANOMDM_MISSING, startNanoMdm } from '../../simulator/apple/test-support/nanomdm.js';
import { parseRunArgs } from '../run-args.js';
import { runCommand } from '../run-command.js';
import { startWrongServer, WRONG_APPLE_SERVERS } from './wrong-servers.js';

const dir = mkdtempSync(join(tmpdir(), 'lockstep-wrong-apple-'));
const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  await Promise.all(cleanups.map((c) => c()));
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(NANOMDM_MISSING !== null)(`the apple-mdm area against wrong Apple MDM servers (NanoMDM behind a wrong proxy)${NANOMDM_MISSING ? ` (skipped: ${NANOMDM_MISSING})` : ''}`, () => {
  it.each(WRONG_APPLE_SERVERS.map((w) => [w.id, w] as const))('catches %s with a failed check on its row', async (_id, wrong) => {
    const caDir = join(dir, wrong.id.replace(/\W/g, '-'));
    const { ca } = await loadOrCreateCa(caDir);
    const port = await freePort();
    const nanomdm = await startNanoMdm(ca.pem, { webhookUrl: `http://127.0.0.1:${port}/webhook` });
    cleanups.push(() => nanomdm.stop());
    const proxy = await startWrongServer(nanomdm.url, wrong);
    cleanups.push(() => proxy.close());
    const argv = ['--apple-mdm', `${proxy.url}/mdm`, '--enqueue', `nanomdm:${nanomdm.apiKey}@${nanomdm.url}`, '--apple-ca', caDir, '--webhook-port', String(port), '--requirement', wrong.row, '--no-reports', '--no-ui'];
    const { run } = await runCommand(parseRunArgs(argv), { write: () => {} });
    const failed = run!.scenarios.flatMap((s) => s.findings.filter((f) => f.requirement === wrong.row).map((f) => `${s.id}: ${f.check}`));
    expect(failed.length, `${wrong.id} survived: ${run!.scenarios.map((s) => `${s.id} ${s.outcome} ${s.message ?? ''}`).join('; ')}`).toBeGreaterThan(0);
  }, 60_000);
});
