import { describe, expect, it } from 'vitest';
import { UsageError } from '../../contract/usage-error.js';
import { parseRunArgs, RUN_HELP } from '../run-args.js';
import { openAppleTarget } from './apple-target.js';
import { APPLE_MUTANT_NAMES } from './mutants.js';

describe('--apple-mutant', () => {
  it('is repeatable, goes with --apple-mdm, and its help names every mutant', () => {
    const options = parseRunArgs(['--apple-mdm', 'http://127.0.0.1:9/mdm', '--enqueue', 'nanomdm:k', '--apple-mutant', 'checkout-guard', '--apple-mutant', 'ap-5/notnow-never-redelivered']);
    expect(options.apple?.mutants).toEqual(['checkout-guard', 'ap-5/notnow-never-redelivered']);
    expect(() => parseRunArgs(['--apple-mutant', 'checkout-guard'])).toThrow(new UsageError('--apple-mutant goes with --apple-mdm URL'));
    for (const name of APPLE_MUTANT_NAMES) expect(RUN_HELP).toContain(name);
  });

  it('an unknown name is a usage error before anything listens or a CA is made', async () => {
    const open = openAppleTarget({ appleMdm: 'http://127.0.0.1:9/mdm', enqueue: 'nanomdm:k', identity: 'signature', caDir: '/nonexistent/never-made', webhookPort: 0, topic: 't', seed: 1, mutants: ['apple-no-such'] });
    await expect(open).rejects.toThrow(UsageError);
    await expect(open).rejects.toThrow(/--apple-mutant must be one of checkout-guard, ap-1\/mangled-unlock-token, .* not 'apple-no-such'/);
  });
});
