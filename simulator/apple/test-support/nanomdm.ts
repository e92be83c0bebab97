/**
 * A real NanoMDM for tests: the binary named by NANOMDM_BIN, on 127.0.0.1 and a free port, with a
 * fresh CA file and storage directory. Tests skip with a one-line reason when NANOMDM_BIN is unset.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NANOMDM_BIN = process.env.NANOMDM_BIN;
/** Why NanoMDM tests skip here, or null when they can run. */
export const NANOMDM_MISSING: string | null = !NANOMDM_BIN
  ? 'NANOMDM_BIN is not set (.ci/run sets it to ../shared/tools/nanomdm/nanomdm)'
  : !existsSync(NANOMDM_BIN)
    ? `NANOMDM_BIN=${NANOMDM_BIN} does not exist`
    : null;

export interface NanoMdm {
  url: string;
  apiKey: string;
  /** The `-cert-header` name, when started in that mode. */
  certHeader?: string;
  log(): string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

export async function startNanoMdm(caPem: string, options: { certHeader?: string; webhookUrl?: string } = {}): Promise<NanoMdm> {
  if (!NANOMDM_BIN) throw new Error(NANOMDM_MISSING ?? 'no NanoMDM');
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-nanomdm-'));
  writeFileSync(join(dir, 'ca.pem'), caPem);
  const apiKey = `key-${process.pid}-${Date.now().toString(36)}`;
  const port = await freePort();
  const args = ['-api', apiKey, '-ca', join(dir, 'ca.pem'), '-storage', 'filekv', '-storage-dsn', join(dir, 'db'), '-listen', `127.0.0.1:${port}`];
  if (options.certHeader) args.push('-cert-header', options.certHeader);
  if (options.webhookUrl) args.push('-webhook-url', options.webhookUrl);
  let output = '';
  const child: ChildProcess = spawn(NANOMDM_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (d) => (output = (output + d).slice(-20_000)));
  child.stderr!.on('data', (d) => (output = (output + d).slice(-20_000)));
  const url = `http://127.0.0.1:${port}`;
  // A real process needs real time to open its port: poll /version for up to 10 s.
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/version`)).ok) break;
    } catch {
      if (i > 200 || child.exitCode !== null) {
        child.kill();
        throw new Error(`NanoMDM did not start: ${output.slice(-500)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    url,
    apiKey,
    ...(options.certHeader ? { certHeader: options.certHeader } : {}),
    log: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
