import type { RunCommandOptions, RunIo } from './run-command.js';

/** Plain lines for now; the terminal UI plugs in here when stdout is a terminal. */
export async function runWithUi(options: RunCommandOptions, run: (options: RunCommandOptions, io: RunIo) => Promise<number>): Promise<number> {
  return run(options, { write: (line) => process.stdout.write(line + '\n') });
}
