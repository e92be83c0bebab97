import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../contract/usage-error.js';
import { startServer } from '../simulator/mdm/serve.js';
import { parseServeArgs } from './serve-args.js';

describe('serve flags for reliability', () => {
  it('parses --data-dir, --max-devices, --max-in-flight, --max-connections, --max-audits', () => {
    expect(parseServeArgs(['--data-dir', '/tmp/x', '--max-devices', '5', '--max-in-flight', '3', '--max-connections', '9', '--max-audits', '100'])).toMatchObject({
      dataDir: '/tmp/x',
      maxDevices: 5,
      maxInFlight: 3,
      maxConnections: 9,
      maxAudits: 100,
    });
  });

  it.each([
    [['--max-devices', '0'], /--max-devices must be a whole number/],
    [['--max-in-flight', 'many'], /--max-in-flight must be a whole number/],
    [['--data-dir', ' '], /--data-dir needs a directory/],
    [['--data-dir'], /--data-dir/],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseServeArgs(argv)).toThrow(UsageError);
    expect(() => parseServeArgs(argv)).toThrow(message);
  });

  it('refuses a data directory made with another seed, --devices above --max-devices', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lockstep-flags-'));
    try {
      const base = { port: 0, host: '127.0.0.1', devices: 10, seed: 1, clock: 'manual' as const, dataDir: dir };
      await (await startServer(base)).close();
      await expect(startServer({ ...base, seed: 2 })).rejects.toThrow(/seed: 1 then, 2 now/);
      await expect(startServer({ ...base, maxDevices: 5 })).rejects.toThrow(/more than --max-devices/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
