import { readFile } from 'node:fs/promises';

/**
 * A vendor's known deviations: scenarios expected to fail (reported as expected
 * failures; one that passes is an unexpected pass) and scenarios to skip.
 *
 *   { "expectedFailures": [{ "scenario": "reset/android-da-modern/not-supported", "reason": "ticket MDM-42" }],
 *     "skip": [{ "scenario": "lock/macos/pin", "reason": "no macOS support" }] }
 */
export interface Expectations {
  expectedFailures: Map<string, string>;
  skip: Map<string, string>;
}

export class ExpectationsError extends Error {}

export function parseExpectations(text: string, knownIds: ReadonlySet<string>, source = 'expectations file'): Expectations {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ExpectationsError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ExpectationsError(`${source} must be a JSON object with "expectedFailures" and/or "skip"`);
  const unknownKeys = Object.keys(data).filter((k) => k !== 'expectedFailures' && k !== 'skip' && k !== '$schema');
  if (unknownKeys.length) throw new ExpectationsError(`${source} has unknown field "${unknownKeys[0]}" (allowed: expectedFailures, skip)`);
  const read = (key: 'expectedFailures' | 'skip'): Map<string, string> => {
    const list = (data as Record<string, unknown>)[key] ?? [];
    if (!Array.isArray(list)) throw new ExpectationsError(`${source}: "${key}" must be a list`);
    const map = new Map<string, string>();
    list.forEach((entry, i) => {
      const e = entry as { scenario?: unknown; reason?: unknown };
      if (typeof e !== 'object' || e === null || typeof e.scenario !== 'string') throw new ExpectationsError(`${source}: ${key}[${i}] needs a "scenario" id`);
      if (!knownIds.has(e.scenario)) throw new ExpectationsError(`${source}: ${key}[${i}] names unknown scenario "${e.scenario}"`);
      if (e.reason !== undefined && typeof e.reason !== 'string') throw new ExpectationsError(`${source}: ${key}[${i}].reason must be text`);
      map.set(e.scenario, (e.reason as string | undefined) ?? '');
    });
    return map;
  };
  return { expectedFailures: read('expectedFailures'), skip: read('skip') };
}

export async function loadExpectations(path: string, knownIds: ReadonlySet<string>): Promise<Expectations> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new ExpectationsError(`cannot read expectations file ${path}`);
  }
  return parseExpectations(text, knownIds, path);
}
