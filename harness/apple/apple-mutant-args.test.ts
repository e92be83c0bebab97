import { describe, expect, it } from 'vitest';
import { UsageError } from '../../contract/usage-error.js';
import { parseRunArgs, RUN_HELP } from '../run-args.js';
import { APPLE_MUTANT_NAMES, openAppleTarget } from './apple-target.js';

describe('--apple-mutant', () => {
  it('is repeatable, goes with --apple-mdm, and its help names every mutant', () => {
    const options = parseRunArgs(['--apple-mdm', 'http://127.0.0.1:9/mdm', '--enqueue', 'nanomdm:k', '--apple-mutant', 'checkout-guard', '--apple-mutant', 'apple-notnow-dropped']);
    expect(options.apple?.mutants).toEqual(['checkout-guard', 'apple-notnow-dropped']);
    expect(() => parseRunArgs(['--apple-mutant', 'checkout-guard'])).toThrow(new UsageError('--apple-mutant goes with --apple-mdm URL'));
    for (const name of APPLE_MUTANT_NAMES) expect(RUN_HELP).toContain(name);
  });

  it('an unknown name is a usage error before anything listens or a CA is made', async () => {
    const open = openAppleTarget({ appleMdm: 'http://127.0.0.1:9/mdm', enqueue: 'nanomdm:k', identity: 'signature', caDir: '/nonexistent/never-made', webhookPort: 0, topic: 't', seed: 1, mutants: ['apple-no-such'] });
    await expect(open).rejects.toThrow(UsageError);
    await expect(open).rejects.toThrow(/--apple-mutant must be one of checkout-guard, apple-unlock-token-modified, .* not 'apple-no-such'/);
  });
});
