import { readFile } from 'node:fs/promises';
import { ROLE_NAMES } from '../contract/roles.js';
import { TargetError, type Credentials } from './client.js';
import { embeddedTarget, httpTarget, type Target } from './targets.js';
import { UsageError } from '../contract/usage-error.js';

export { integerOption, parseCommandArgs } from './cli-args.js';

/** A --credentials file: {"<role>": {"clientId", "clientSecret"}} for every role. */
export async function loadCredentials(path: string): Promise<Credentials> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read credentials file ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const credentials = {} as Credentials;
  for (const role of ROLE_NAMES) {
    const entry = (data as Record<string, { clientId?: unknown; clientSecret?: unknown }>)?.[role];
    if (typeof entry?.clientId !== 'string' || typeof entry.clientSecret !== 'string') {
      throw new UsageError(`credentials file ${path} needs {"clientId","clientSecret"} strings for role ${role}`);
    }
    credentials[role] = { clientId: entry.clientId, clientSecret: entry.clientSecret };
  }
  return credentials;
}

/**
 * The target of --target/--credentials: the embedded reference when no URL is given, in a
 * worker thread of its own when `threaded` (lockstep run: its terminal UI shares the main thread).
 */
export async function openTarget(options: { target: string | null; credentials: string | null; seed: number; requestTimeoutMs?: number }, how: { threaded?: boolean } = {}): Promise<Target> {
  if (!options.target) {
    if (options.credentials) throw new UsageError('--credentials goes with --target');
    if (how.threaded) {
      const { threadedEmbeddedTarget } = await import('./embedded-thread/threaded-target.js');
      return threadedEmbeddedTarget({ seed: options.seed, recordCoverage: true });
    }
    return embeddedTarget({ seed: options.seed, recordCoverage: true });
  }
  const credentials = options.credentials ? await loadCredentials(options.credentials) : undefined;
  try {
    return await httpTarget(options.target, credentials, options.requestTimeoutMs);
  } catch (error) {
    if (error instanceof TargetError) throw new UsageError(error.message);
    throw error;
  }
}
