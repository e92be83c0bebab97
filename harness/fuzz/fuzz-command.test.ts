import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FUZZ_HELP, fuzzCommand, parseFuzzArgs, reproduceCommand } from '../fuzz-command.js';
import { DEFAULT_MAX_COMMANDS, DEFAULT_RUNS } from '../fuzz-args.js';
import { DEFAULT_MAX_COMMANDS as FUZZER_MAX_COMMANDS, DEFAULT_RUNS as FUZZER_RUNS } from './run-fuzz.js';
import { embeddedTarget } from '../targets.js';
import { WRONG_TARGETS } from '../test-support/wrong-targets.js';
import { UsageError } from '../../contract/usage-error.js';

describe('lockstep fuzz options', () => {
  it('has defaults', () => {
    expect(parseFuzzArgs([])).toEqual({
      target: null, credentials: null, runs: 200, seed: null, path: null, maxCommands: 25, timeBudgetSeconds: null, out: 'lockstep-report/fuzz', sweep: false, help: false,
    });
  });

  it('reads --sweep', () => {
    expect(parseFuzzArgs(['--sweep']).sweep).toBe(true);
  });

  it('reads every option', () => {
    const o = parseFuzzArgs(['--target', 'http://127.0.0.1:4000', '--credentials', 'c.json', '--runs', '50', '--seed', '9', '--path', '3:1:0~AB:C~12', '--max-commands', '12', '--time-budget', '30', '--out', 'o']);
    expect(o).toMatchObject({ target: 'http://127.0.0.1:4000', credentials: 'c.json', runs: 50, seed: 9, path: '3:1:0~AB:C~12', maxCommands: 12, timeBudgetSeconds: 30, out: 'o' });
    expect(parseFuzzArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--runs', '0']],
    [['--runs', 'many']],
    [['--seed', '-1']],
    [['--max-commands', '1.5']],
    [['--time-budget', '']],
    [['--path', '1:2']],
    [['--seed', '1', '--path', 'not a path']],
    [['--bogus']],
    [['positional']],
  ])('refuses %j with a one-line UsageError', (argv) => {
    let error: unknown;
    try {
      parseFuzzArgs(argv);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain('\n');
  });

  it('prints help', async () => {
    const lines: string[] = [];
    expect(await fuzzCommand(['--help'], { write: (l) => lines.push(l) })).toBe(0);
    expect(lines.join('\n')).toBe(FUZZ_HELP);
    for (const flag of ['--target', '--credentials', '--runs', '--seed', '--path', '--max-commands', '--time-budget', '--out']) expect(FUZZ_HELP).toContain(flag);
  });

  it('refuses --credentials without --target', async () => {
    await expect(fuzzCommand(['--credentials', 'c.json', '--runs', '1'], { write: () => {} })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('lockstep fuzz', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'lockstep-fuzz-cmd-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('exits 0 on the reference and prints runs, runs/second and coverage', async () => {
    const lines: string[] = [];
    const status = await fuzzCommand(['--runs', '40', '--seed', '5', '--max-commands', '12', '--out', out], { write: (l) => lines.push(l) });
    expect(status).toBe(0);
    const text = lines.join('\n');
    expect(text).toContain('seed 5');
    expect(text).toMatch(/40 runs .* runs\/second/);
    expect(text).toMatch(/model coverage: \d+\/\d+ machine transitions/);
    expect(await readdir(out)).toEqual([]);
  });

  it('exits 1 on a mismatch, names the requirement, prints how to replay and writes the reproducers', async () => {
    const lines: string[] = [];
    const io = { write: (l: string) => lines.push(l), openTarget: (seed: number) => embeddedTarget({ seed, wrapFetch: WRONG_TARGETS.readOnlyMayReset }) };
    const status = await fuzzCommand(['--runs', '300', '--seed', '1', '--out', out], io);
    expect(status).toBe(1);
    const text = lines.join('\n');
    expect(text).toContain('MISMATCH RB-3 (SHOULD)');
    const replay = /lockstep fuzz --seed 1 --path '([^']+)'/.exec(text);
    expect(replay).not.toBeNull();
    expect((await readdir(out)).sort()).toEqual(['fuzz-rb-3-1.json', 'fuzz-rb-3-1.ts']);

    const again: string[] = [];
    const replayed = await fuzzCommand(['--seed', '1', '--path', replay![1]!, '--out', out], { ...io, write: (l) => again.push(l) });
    expect(replayed).toBe(1);
    expect(again.join('\n')).toContain('MISMATCH RB-3');
  });

  it('the reproduce line carries every flag the replay needs, the target first', () => {
    const line = reproduceCommand({ seed: 7, path: '3:1~AB' }, { target: 'http://127.0.0.1:4000', credentials: 'my creds.json', maxCommands: 40 });
    expect(line).toBe(`lockstep fuzz --target http://127.0.0.1:4000 --credentials 'my creds.json' --max-commands 40 --seed 7 --path '3:1~AB'`);
    expect(reproduceCommand({ seed: 7, path: '3' }, { target: null, credentials: null, maxCommands: DEFAULT_MAX_COMMANDS })).toBe(`lockstep fuzz --seed 7 --path '3'`);
  });

  it('the CLI keeps the fuzzer defaults its help prints', () => {
    expect([DEFAULT_RUNS, DEFAULT_MAX_COMMANDS]).toEqual([FUZZER_RUNS, FUZZER_MAX_COMMANDS]);
  });

  it('stops at the time budget', async () => {
    const lines: string[] = [];
    const status = await fuzzCommand(['--runs', '1000000', '--seed', '2', '--time-budget', '1', '--out', out], { write: (l) => lines.push(l) });
    expect(status).toBe(0);
    expect(lines.join('\n')).toContain('time budget reached');
  });
});
