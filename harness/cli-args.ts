import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../contract/usage-error.js';

// Flag parsing only: this module loads nothing else, so --help and usage errors answer fast.

/** A command's flags (strict: unknown flags and stray arguments are usage errors, in one line). */
export function parseCommandArgs<const O extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: O) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: false, options, tokens: true });
  } catch (error) {
    throw new UsageError(`lockstep ${command}: ${(error as Error).message.split('\n')[0]} (see lockstep ${command} --help)`);
  }
  // parseArgs keeps the last of a repeated flag; a flag given twice is more likely a mistake.
  const seen = new Set<string>();
  for (const token of parsed.tokens) {
    if (token.kind !== 'option' || options[token.name]?.multiple) continue;
    if (seen.has(token.name)) throw new UsageError(`lockstep ${command}: --${token.name} is given more than once (see lockstep ${command} --help)`);
    seen.add(token.name);
  }
  return parsed.values;
}

/** A whole-number flag in [min, max]; `fallback` when the flag is absent. */
export function integerOption<T extends number | null>(name: string, text: string | undefined, fallback: T, min: number, max: number): number | T {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new UsageError(`${name} must be a whole number from ${min} to ${max}, not '${text}'`);
  }
  return Number(text);
}
