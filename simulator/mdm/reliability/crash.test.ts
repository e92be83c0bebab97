import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT, NOT_BUILT_REASON, type ChildServer } from './child-server.js';
import { crashCheck } from './crash-check.js';

const dirs: string[] = [];
const children: ChildServer[] = [];
afterAll(() => {
  for (const c of children) if (c.process.exitCode === null) c.process.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!BUILT)('crash: kill -9 under load, restart, every acknowledged request is there', () => {
  it.skipIf(!BUILT)(BUILT ? 'finds every 2xx-acknowledged device, action and clock move after a restart' : NOT_BUILT_REASON, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-crash-'));
    dirs.push(dir);
    const args = ['--devices', '300', '--seed', '11', '--clock', 'manual', '--data-dir', dir];
    const result = await crashCheck(args, args, children);
    expect(result.restartOutput).toMatch(/journaled requests replayed/);
    expect(result.missing).toEqual([]);
    expect(result.acknowledgedActions).toBeGreaterThan(50);
    const second = children.at(-1)!;
    second.process.kill('SIGTERM');
    expect(await new Promise((resolve) => second.process.once('exit', (code) => resolve(code)))).toBe(0);
  });
});
