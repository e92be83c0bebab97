import { describe, expect, it } from 'vitest';
import { mutateCommand } from './mutate-command.js';
import { MUTANTS } from './mutants/index.js';
import { UsageError } from '../contract/usage-error.js';

const run = async (argv: string[]) => {
  const lines: string[] = [];
  const status = await mutateCommand(argv, (l) => lines.push(l));
  return { status, lines };
};

describe('lockstep mutate', () => {
  it('lists the catalogue, one mutant a line with its row', async () => {
    const { status, lines } = await run(['--list']);
    expect(status).toBe(0);
    expect(lines).toHaveLength(MUTANTS.length);
    expect(lines[0]).toMatch(/^dl-1\/\S+ +DL-1 +\S/);
  });

  it('prints the suite score, the row table and what caught each mutant; exit 0 when all are caught', async () => {
    const { status, lines } = await run(['--mutant', 'dl-6/', '--no-fuzz']);
    expect(status).toBe(0);
    expect(lines).toContain('mutation score, suite:  2/2 caught (100.0%)');
    expect(lines).toContain('mutation score, fuzzer: not run');
    expect(lines).toContain('DL-6    MUST    2        2/2    not run');
    expect(lines.filter((l) => l.startsWith('          suite: caught by reset/android-da-modern/'))).toHaveLength(2);
    expect(lines).toContain('every mutant was caught, naming its row (2/2)');
  }, 60_000);

  it('refuses bad options in one line (exit 2 through the CLI)', async () => {
    await expect(run(['--row', 'XX-1'])).rejects.toThrow(UsageError);
    await expect(run(['--mutant', 'nope/'])).rejects.toThrow(/no mutant matches/);
    await expect(run(['--no-suite', '--no-fuzz'])).rejects.toThrow(/nothing to run/);
    await expect(run(['--fuzz-runs', '0'])).rejects.toThrow(/--fuzz-runs/);
    await expect(run(['--bogus'])).rejects.toThrow(UsageError);
  });
});
