import { spawnSync } from 'node:child_process';
import { fmt, median, type Row } from './lib/stats.js';

/**
 * The terminal UI's figures: how fast `lockstep run` answers keys during a fleet scenario on the
 * embedded target (through a pseudo-terminal, harness/ui/key-latency.ts), and how fast
 * `lockstep --help` and a usage error answer (the CLI loads the UI lazily).
 */
export async function uiSection(o: { quick: boolean }, rows: Row[], raw: Record<string, unknown>, log: (line: string) => void): Promise<void> {
  const at = (path: string) => new URL(path, import.meta.url).href;
  const { FLEET_KEY_PLAN, builtCli, measureKeys, percentile } = (await import(at('../harness/ui/key-latency.js'))) as typeof import('../harness/ui/key-latency.js');
  const cli = builtCli();
  if (!cli) {
    rows.push({ section: 'ui', figure: 'key latency', value: 'skipped', ceiling: '', ratio: '', target: '≤ 100 ms', ok: null, note: 'dist/ is not built' });
    return;
  }

  // CLI start: the same process start with nothing loaded is the floor.
  const wall = (args: string[]) => {
    const started = performance.now();
    spawnSync(process.execPath, args, { stdio: 'ignore' });
    return performance.now() - started;
  };
  const starts = o.quick ? 5 : 11;
  const bare = median(Array.from({ length: starts }, () => wall(['-e', '0'])));
  const help = median(Array.from({ length: starts }, () => wall([cli, '--help'])));
  const usage = median(Array.from({ length: starts }, () => wall([cli, 'run', '--bogus'])));
  raw.cliStart = { bareNodeMs: bare, helpMs: help, usageErrorMs: usage };
  rows.push({ section: 'ui', figure: 'lockstep --help (wall, median)', value: fmt(help, 'ms'), ceiling: fmt(bare, 'ms'), ratio: signed(help - bare), target: '≤ 200 ms', ok: help <= 200, note: 'ceiling: node -e 0' });
  rows.push({ section: 'ui', figure: 'usage error: lockstep run --bogus', value: fmt(usage, 'ms'), ceiling: fmt(bare, 'ms'), ratio: signed(usage - bare), target: '≤ 200 ms', ok: usage <= 200 });

  if (spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status !== 0) {
    rows.push({ section: 'ui', figure: 'key latency', value: 'skipped', ceiling: '', ratio: '', target: '≤ 100 ms', ok: null, note: 'python3 with pty is not installed' });
    return;
  }
  const latencies: number[] = [];
  const runs = o.quick ? 1 : 3;
  for (let r = 0; r < runs; r++) {
    const result = await measureKeys(cli, ['run', '--id', 'fleet/*', '--no-reports'], FLEET_KEY_PLAN);
    latencies.push(...result.latenciesMs);
    log(`keys run ${r + 1}: ${result.latenciesMs.join(', ')} ms${result.missed.length ? `; missed ${result.missed.join(', ')}` : ''}`);
  }
  raw.keyLatency = { latencies };
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  rows.push({
    section: 'ui',
    figure: 'key → screen, 80x24, during a 2000-device fleet reset (embedded)',
    value: `${fmt(p50)} / ${fmt(p95)} ms`,
    ceiling: '',
    ratio: '',
    target: 'p95 ≤ 100 ms',
    ok: p95 <= 100,
    note: `p50 / p95 of ${latencies.length} keys, max ${fmt(Math.max(...latencies))} ms`,
  });
}

function signed(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${fmt(Math.abs(ms))} ms`;
}
