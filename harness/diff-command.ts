import { readFile } from 'node:fs/promises';
import { comparisonLines, compareRuns } from '../reports/diff.js';
import { parseJsonReport } from '../reports/json.js';
import type { RunResult } from '../contract/result-model.js';
import { parseCommandArgs } from './cli-args.js';
import { UsageError } from '../contract/usage-error.js';

export const DIFF_HELP = `Usage: lockstep diff OLD.json NEW.json [options]

Compares two report.json files (from lockstep run) scenario by scenario: new failures
(failing in NEW, not in OLD), fixed (failing in OLD, passing in NEW) and still failing,
each with its requirements and variant, then counted by requirement. A failure is a
fail, warn or error outcome. \`lockstep run --baseline OLD.json\` puts the same comparison
in the run's summary and reports.

Options:
  --fail-on-new          exit 1 when NEW has a failure OLD did not have
  -h, --help             this help

Exit status: 0 compared (1 with --fail-on-new and a new failure), 2 usage error or a file
that is not a lockstep report.`;

async function readReport(path: string): Promise<RunResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return parseJsonReport(text);
  } catch (error) {
    throw new UsageError(`${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** `lockstep diff OLD NEW`: prints the comparison; returns the exit status. */
export async function diffCommand(argv: string[], write: (line: string) => void): Promise<number> {
  const positionals = argv.filter((a) => !a.startsWith('-'));
  const values = parseCommandArgs('diff', argv.filter((a) => a.startsWith('-')), {
    'fail-on-new': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    write(DIFF_HELP);
    return 0;
  }
  if (positionals.length !== 2) throw new UsageError(`lockstep diff needs two report.json files, OLD and NEW (see lockstep diff --help)`);
  const [oldPath, newPath] = positionals as [string, string];
  const [before, after] = await Promise.all([readReport(oldPath), readReport(newPath)]);
  const comparison = compareRuns(before, after, oldPath);
  for (const line of comparisonLines(comparison, { before: oldPath, after: newPath })) write(line);
  return values['fail-on-new'] && comparison.newFailures.length > 0 ? 1 : 0;
}
