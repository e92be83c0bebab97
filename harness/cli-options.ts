import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ROLE_NAMES, TargetError, type Credentials } from './client.js';
import { embeddedTarget, httpTarget, type Target } from './targets.js';
import { UsageError } from './usage-error.js';

/** A command's flags (strict: unknown flags and stray arguments are usage errors, in one line). */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError(`lockstep ${command}: ${(error as Error).message.split('\n')[0]} (see lockstep ${command} --help)`);
  }
}

/** A whole-number flag in [min, max]; `fallback` when the flag is absent. */
export function integerOption<T extends number | null>(name: string, text: string | undefined, fallback: T, min: number, max: number): number | T {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not '${text}'`);
  }
  return Number(text);
}

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

/** The target of --target/--credentials: the embedded reference when no URL is given. */
export async function openTarget(options: { target: string | null; credentials: string | null; seed: number; requestTimeoutMs?: number }): Promise<Target> {
  if (!options.target) {
    if (options.credentials) throw new UsageError('--credentials goes with --target');
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
