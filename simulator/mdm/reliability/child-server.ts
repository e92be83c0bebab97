import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The project root, from the source tree or from dist/ (the bench runs compiled). */
const ROOT = ['../../../', '../../../../'].map((up) => fileURLToPath(new URL(up, import.meta.url))).find((dir) => existsSync(`${dir}/package.json`))!;
/** The built CLI (`npm ci` builds it); tests that need a real process to kill skip without it. */
export const CLI = `${ROOT}/bin/lockstep.js`;
export const BUILT = existsSync(`${ROOT}/dist/harness/cli.js`);
export const NOT_BUILT_REASON = 'dist/ is missing: run `npm run build` (npm ci does it) for the process-level reliability tests';

export interface ChildServer {
  url: string;
  process: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
}

/** Starts `lockstep serve ARGS --port 0` in its own process; resolves once it prints its URL. */
export function startChildServer(args: string[], nodeOptions: string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, [...nodeOptions, CLI, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match) {
        child.stdout!.off('data', onData);
        child.stdout!.on('data', (more: Buffer) => (out += more.toString('utf8')));
        resolve({ url: match[1]!, process: child, output: () => out, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    void exited.then((code) => reject(new Error(`lockstep serve ended (${code}) before listening: ${out}`)));
  });
}

export async function tokenFor(url: string, role: string): Promise<string> {
  const r = await fetch(`${url}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: role, client_secret: role }).toString(),
  });
  if (r.status !== 200) throw new Error(`token for ${role}: HTTP ${r.status}`);
  return ((await r.json()) as { access_token: string }).access_token;
}
