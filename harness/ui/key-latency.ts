import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Measures how fast `lockstep run`'s terminal view answers keys: the CLI runs in a
 * pseudo-terminal (Python's standard `pty` module drives it, pty-keys.py: no native build)
 * and each key's latency is the time from writing it to the screen showing its effect.
 * Used by the key-latency test and by `npm run bench -- --only ui`.
 */

export interface KeyStep {
  /** What to type. */
  send: string;
  /** Text that appears on screen once the key took effect. */
  expect: string;
  /** Seconds to wait for it (default 10). */
  timeout?: number;
  /** Seconds to wait before typing (default 0.3). */
  pause?: number;
}

export interface KeyPlan {
  columns: number;
  rows: number;
  /** Text that shows the run is where keys should be measured (e.g. "1 running" during a fleet scenario). */
  ready: string;
  readyTimeout?: number;
  keys: KeyStep[];
  /** Typed after the keys (e.g. "q"). */
  quit?: string;
  exitTimeout?: number;
}

export interface KeyResult {
  latenciesMs: number[];
  /** Expectations never seen (a lost key, or `ready` never reached). */
  missed: string[];
  exit: number | null;
  /** The last screen output, without escape sequences. */
  tail: string;
}

/** The driver script, found from the sources or from dist/. */
export function ptyDriverPath(): string | null {
  for (const relative of ['./pty-keys.py', '../../../harness/ui/pty-keys.py']) {
    const path = fileURLToPath(new URL(relative, import.meta.url));
    if (existsSync(path)) return path;
  }
  return null;
}

/** The compiled CLI (bin/lockstep.js needs dist/), or null when it is not built. */
export function builtCli(): string | null {
  for (const relative of ['../../bin/lockstep.js', '../../../bin/lockstep.js']) {
    const bin = fileURLToPath(new URL(relative, import.meta.url));
    const cli = fileURLToPath(new URL(relative.replace('bin/lockstep.js', 'dist/harness/cli.js'), import.meta.url));
    if (existsSync(bin) && existsSync(cli)) return bin;
  }
  return null;
}

/** Runs `node <cli> <args>` in a pseudo-terminal, plays `plan`, and returns the latencies. */
export async function measureKeys(cli: string, args: readonly string[], plan: KeyPlan, options: { python?: string; cwd?: string } = {}): Promise<KeyResult> {
  const driver = ptyDriverPath();
  if (!driver) throw new Error('pty-keys.py is missing');
  const { mkdtemp, writeFile } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = await mkdtemp(join(tmpdir(), 'lockstep-keys-'));
  const planFile = join(dir, 'plan.json');
  await writeFile(planFile, JSON.stringify(plan));
  return new Promise<KeyResult>((resolve, reject) => {
    // As a user's terminal: no CI markers (Ink would draw only the last frame) and no test NODE_ENV.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k !== 'CI' && k !== 'CONTINUOUS_INTEGRATION' && !k.startsWith('CI_') && k !== 'NODE_ENV' && !k.startsWith('VITEST')),
    );
    const child = spawn(options.python ?? 'python3', [driver, planFile, '--', process.execPath, cli, ...args], {
      cwd: options.cwd ?? dir,
      env: { ...env, TERM: 'xterm-256color' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1) ?? '') as KeyResult);
      } catch {
        reject(new Error(`pty driver exited ${code}: ${err.trim().split('\n').at(-1) ?? out.slice(-200)}`));
      }
    });
  });
}

/** The plan used for the figure: 80x24, during the 2000-device fleet reset, filter and failures-only keys. */
export const FLEET_KEY_PLAN: KeyPlan = {
  columns: 80,
  rows: 24,
  ready: '1 running',
  readyTimeout: 120,
  keys: [
    { send: 'f', expect: '[failures only]', pause: 0.1 },
    { send: 'f', expect: 'f failures', pause: 0.1 },
    { send: '/', expect: 'filter:', pause: 0.1 },
    { send: 'x', expect: 'filter: x', pause: 0.1 },
    { send: '\u001b', expect: '/ filter', pause: 0.1 },
    { send: '\u001b[B', expect: '▸', pause: 0.1 },
    { send: 'f', expect: '[failures only]', pause: 0.1 },
    { send: 'f', expect: 'f failures', pause: 0.1 },
  ],
  quit: 'q',
  exitTimeout: 180,
};

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
