import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FLEET_KEY_PLAN, builtCli, measureKeys, percentile } from './key-latency.js';

// Drives the real CLI through a pseudo-terminal during a fleet scenario on the embedded target
// and prints how long each key took to show on screen. The figure belongs to `npm run bench --
// --only ui`; here the bound only says that no key is lost (a generous 10 s each), which holds
// however busy the machine is.

const python = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;
const cli = builtCli();
const skip = !python ? 'python3 with the pty module is not installed' : !cli ? 'dist/ is not built (npm run build)' : null;

describe('run view keys through a pseudo-terminal', () => {
  it.skipIf(skip !== null)(`answers every key during a fleet scenario, and q stops the run${skip ? ` (skipped: ${skip})` : ''}`, async () => {
    const result = await measureKeys(cli!, ['run', '--id', 'fleet/*', '--no-reports'], FLEET_KEY_PLAN);
    const { latenciesMs } = result;
    console.log(
      `key latency at 80x24 during fleet/reset-mixed-2000 (embedded target): ${latenciesMs.join(', ')} ms; ` +
        `median ${percentile(latenciesMs, 50)} ms, max ${Math.max(...latenciesMs)} ms`,
    );
    expect(result.missed, result.tail.slice(-600)).toEqual([]);
    expect(latenciesMs).toHaveLength(FLEET_KEY_PLAN.keys.length);
    // q during the run stops it: the verdict is "interrupted" and the exit status says so.
    expect(result.tail).toMatch(/verdict: (Interrupted|Not conformant)/);
    expect(result.exit).toBe(5);
  }, 240_000);
});
