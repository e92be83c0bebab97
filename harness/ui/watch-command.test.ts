import { describe, expect, it } from 'vitest';
import { UsageError } from '../../contract/usage-error.js';
import { WATCH_HELP, parseWatchArgs, watchCommand } from '../watch-command.js';
import { FakeTtyIn, FakeTtyOut } from './test-support/fake-tty.js';
import { plain, waitFor } from './test-support/fixtures.js';

const usage = (argv: string[]) => {
  try {
    parseWatchArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
};

describe('lockstep watch arguments', () => {
  it('takes a target or the demo, with their options', () => {
    expect(parseWatchArgs(['--demo'])).toMatchObject({ demo: true, target: null, devices: 5000, seed: 1, rate: 300, variant: null });
    expect(parseWatchArgs(['--demo', '--devices', '100000', '--seed', '9', '--variant', 'macos'])).toMatchObject({ devices: 100000, seed: 9, variant: 'macos' });
    expect(parseWatchArgs(['--target', 'http://127.0.0.1:4000', '--credentials', 'c.json'])).toMatchObject({ target: 'http://127.0.0.1:4000', credentials: 'c.json', demo: false });
    expect(parseWatchArgs(['-h']).help).toBe(true);
  });

  it('needs exactly one of --target and --demo', () => {
    expect(usage([])).toMatch(/exactly one of --target URL or --demo/);
    expect(usage(['--demo', '--target', 'http://x'])).toMatch(/exactly one/);
  });

  it('rejects options that do not fit', () => {
    expect(usage(['--demo', '--credentials', 'c.json'])).toMatch(/--credentials goes with --target/);
    expect(usage(['--target', 'http://x', '--devices', '5'])).toMatch(/go with --demo/);
    expect(usage(['--demo', '--devices', '0'])).toMatch(/--devices must be a whole number/);
    expect(usage(['--demo', '--variant', 'nokia'])).toMatch(/--variant must be one of/);
    expect(usage(['--target', 'ftp://x'])).toMatch(/http/);
    expect(usage(['--target', 'not a url'])).toMatch(/is not a URL/);
    expect(usage(['--demo', '--bogus'])).toMatch(/see lockstep watch --help/);
  });

  it('prints help and needs a terminal', async () => {
    const out = new FakeTtyOut(false);
    expect(await watchCommand(['--help'], { stdout: out.asStream(), stdin: new FakeTtyIn().asStream() })).toBe(0);
    expect(out.written).toBe(WATCH_HELP + '\n');
    await expect(watchCommand(['--demo'], { stdout: out.asStream(), stdin: new FakeTtyIn().asStream() })).rejects.toThrow(/terminal/);
  });

  it('runs the demo dashboard until q', async () => {
    const out = new FakeTtyOut(true, 100, 30);
    const stdin = new FakeTtyIn();
    const done = watchCommand(['--demo', '--devices', '400', '--seed', '2', '--variant', 'windows'], { stdout: out.asStream(), stdin: stdin.asStream() });
    await waitFor(() => /windows\s+\d+/.test(plain(out.written)) && plain(out.written).includes('ev/s'), 'the dashboard');
    await waitFor(() => /recent events, newest first \(windows\)\n.*windows/.test(plain(out.written)), 'windows events in the feed', 5000);
    stdin.type('q');
    expect(await done).toBe(0);
    expect(plain(out.written)).toContain('demo: 400 devices, seed 2');
  });
});
