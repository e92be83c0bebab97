import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { parseRunArgs, type RunCommandOptions, type RunIo } from '../run-command.js';
import { isCi, runWithUi, shouldUseUi } from '../run-ui-switch.js';
import { FakeTtyIn, FakeTtyOut } from './test-support/fake-tty.js';
import { MUST_FINDING, fakeScenario, plain, resultOf, waitFor } from './test-support/fixtures.js';

const options: RunCommandOptions = { ...parseRunArgs([]), seed: 3 };

const one = fakeScenario('reset.da-legacy.temporary', 'reset', 'android-da-legacy', 'resetPasscode');
const two = fakeScenario('lock.macos.pin', 'lock', 'macos', 'remoteLock');

/** A run that reports through whichever path it is given, like runCommand does. */
function fakeRun(seen: RunIo[]) {
  return async (_o: RunCommandOptions, io: RunIo) => {
    seen.push(io);
    if (io.listener) {
      io.listener({ type: 'start', scenario: one });
      io.listener({ type: 'result', scenario: one, result: resultOf(one, 'pass') });
    } else {
      io.write('PASS reset.da-legacy.temporary [DL-1] 12ms');
      io.write('conformance: 1 passed, 0 failed');
    }
    return 0;
  };
}

describe('run-ui-switch', () => {
  it('reads CI exactly as Ink does (is-in-ci)', () => {
    expect(isCi({})).toBe(false);
    expect(isCi({ CI: '' })).toBe(true);
    expect(isCi({ CONTINUOUS_INTEGRATION: '1' })).toBe(true);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({ CI: 'true' })).toBe(true);
    expect(isCi({ CI: '1' })).toBe(true);
  });

  it('chooses the UI only for a terminal, without --no-ui and outside CI', () => {
    const tty = new FakeTtyOut(true).asStream();
    const pipe = new FakeTtyOut(false).asStream();
    expect(shouldUseUi({ ui: true }, { stdout: tty, env: {} })).toBe(true);
    expect(shouldUseUi({ ui: true }, { stdout: pipe, env: {} })).toBe(false);
    expect(shouldUseUi({ ui: false }, { stdout: tty, env: {} })).toBe(false);
    expect(shouldUseUi({ ui: true }, { stdout: tty, env: { CI: 'true' } })).toBe(false);
  });

  it.each([
    ['stdout is not a terminal', false, {}, true],
    ['--no-ui', true, {}, false],
    ['CI is set', true, { CI: 'true' }, true],
  ])('writes plain lines when %s', async (_why, isTTY, env, ui) => {
    const out = new FakeTtyOut(isTTY);
    const seen: RunIo[] = [];
    const plan = vi.fn(async () => [one]);
    const status = await runWithUi({ ...options, ui }, fakeRun(seen), { stdout: out.asStream(), stdin: new FakeTtyIn().asStream(), env, plan });
    expect(status).toBe(0);
    expect(seen[0]!.listener).toBeUndefined();
    // Ctrl-C / SIGTERM stop a plain run through this signal, as q does in the terminal.
    expect(seen[0]!.signal?.aborted).toBe(false);
    expect(out.written).toBe('PASS reset.da-legacy.temporary [DL-1] 12ms\nconformance: 1 passed, 0 failed\n');
    expect(plan).not.toHaveBeenCalled();
  });

  it('in a terminal: feeds the UI, stops the run on q, returns the run status and prints the closing summary', async () => {
    const out = new FakeTtyOut(true, 100, 30);
    const stdin = new FakeTtyIn();
    const seen: RunIo[] = [];
    const run = async (_o: RunCommandOptions, io: RunIo) => {
      seen.push(io);
      io.listener!({ type: 'start', scenario: one });
      io.listener!({ type: 'result', scenario: one, result: resultOf(one, 'fail', [MUST_FINDING]) });
      // Like the runner: keeps going until the signal says stop.
      await waitFor(() => io.signal!.aborted, 'the abort from q');
      // Like runCommand: the closing lines, verdict last, go through io.write.
      io.write('FAIL reset.da-legacy.temporary: title');
      io.write('    DL-6 (MUST) statement');
      io.write('reports: lockstep-report/ (junit.xml, report.json, report.md, report.html)');
      io.write('verdict: Not conformant: 1 MUST failure (0 passed, 1 failed of 2)');
      return 1;
    };
    const finished = runWithUi(options, run, { stdout: out.asStream(), stdin: stdin.asStream(), env: {}, plan: async () => [one, two] });
    await waitFor(() => plain(out.written).includes('reset.da-legacy.temporary'), 'the UI');
    stdin.type('q');
    const status = await finished;
    expect(status).toBe(1);
    expect(seen[0]!.listener).toBeTypeOf('function');
    const text = plain(out.written);
    expect(text).toContain('seed 3');
    expect(text).toContain('stopping');
    expect(text).toContain('FAIL reset.da-legacy.temporary');
    expect(text).toContain('DL-6 (MUST)');
    expect(text).toContain('reports: lockstep-report/');
    expect(text.trimEnd().split('\n').at(-1)).toBe('verdict: Not conformant: 1 MUST failure (0 passed, 1 failed of 2)');
  });

  it('in a terminal: the view stays open after the run ends, answers keys, and q closes it', async () => {
    const out = new FakeTtyOut(true, 100, 30);
    const stdin = new FakeTtyIn();
    const run = async (_o: RunCommandOptions, io: RunIo) => {
      io.listener!({ type: 'start', scenario: one });
      io.listener!({ type: 'result', scenario: one, result: resultOf(one, 'fail', [MUST_FINDING]) });
      io.write('verdict: Not conformant: 1 MUST failure (0 passed, 1 failed of 1)');
      return 1;
    };
    let settled = false;
    const finished = runWithUi(options, run, { stdout: out.asStream(), stdin: stdin.asStream(), env: {}, plan: async () => [one] }).finally(() => (settled = true));
    await waitFor(() => plain(out.written).includes('q quit'), 'the finished view');
    await new Promise((r) => setTimeout(r, 50));
    expect(settled).toBe(false);
    expect(plain(out.written)).not.toContain('verdict:');
    stdin.type('\r');
    await waitFor(() => plain(out.written).includes('expected done'), 'the detail of the failure after the run');
    stdin.type('q');
    expect(await finished).toBe(1);
    expect(plain(out.written).trimEnd().split('\n').at(-1)).toBe('verdict: Not conformant: 1 MUST failure (0 passed, 1 failed of 1)');
  });

  it('Ctrl-C or SIGTERM stops a plain run as q does (interrupted, reports for what ran); a second one leaves', async () => {
    const signals = new EventEmitter();
    const forceQuit = vi.fn();
    const out = new FakeTtyOut(false);
    const run = async (_o: RunCommandOptions, io: RunIo) => {
      signals.emit('SIGTERM', 'SIGTERM');
      expect(io.signal!.aborted).toBe(true);
      expect(String((io.signal!.reason as Error).message)).toBe('stopped by SIGTERM');
      signals.emit('SIGINT', 'SIGINT');
      return 5;
    };
    expect(await runWithUi(options, run, { stdout: out.asStream(), stdin: new FakeTtyIn().asStream(), env: {}, signals, forceQuit })).toBe(5);
    expect(forceQuit).toHaveBeenCalledTimes(1);
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('in a terminal: a target that cannot be reached clears the UI and the error reaches the CLI', async () => {
    const out = new FakeTtyOut(true);
    const failing = async () => {
      throw new Error('target http://127.0.0.1:1 is unreachable');
    };
    await expect(runWithUi(options, failing, { stdout: out.asStream(), stdin: new FakeTtyIn().asStream(), env: {}, plan: async () => [one] })).rejects.toThrow(/unreachable/);
  });

  it('in a terminal: a selection error takes the plain path, which reports it', async () => {
    const out = new FakeTtyOut(true);
    const seen: RunIo[] = [];
    const status = await runWithUi(options, fakeRun(seen), {
      stdout: out.asStream(),
      stdin: new FakeTtyIn().asStream(),
      env: {},
      plan: async () => {
        throw new Error('no scenario matches the selection');
      },
    });
    expect(status).toBe(0);
    expect(seen[0]!.listener).toBeUndefined();
  });
});
