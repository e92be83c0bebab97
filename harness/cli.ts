#!/usr/bin/env node
import { FUZZ_HELP, fuzzCommand } from './fuzz-command.js';
import { RUN_HELP, parseRunArgs, runCommand } from './run-command.js';
import { serveCommand, SERVE_HELP } from './serve-command.js';
import { UsageError } from '../contract/usage-error.js';
import { WATCH_HELP, watchCommand } from './watch-command.js';
import { lockstepVersion } from './version.js';

const HELP = `lockstep ${lockstepVersion()}: device-fleet simulator and MDM conformance harness

Usage: lockstep <command> [options]

Commands:
  run      run the conformance suite (default target: the embedded reference MDM) and write reports
  serve    serve the simulated fleet behind the Graph-shaped mock MDM over HTTP
  watch    live dashboard of a simulated fleet (a lockstep serve, or --demo)
  fuzz     model-based fuzzing against a target; shrinks failures and writes reproducers

Run 'lockstep <command> --help' for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { help: string; run: Command }> = {
  run: {
    help: RUN_HELP,
    run: async (argv) => {
      const options = parseRunArgs(argv);
      if (options.help) return printHelp(RUN_HELP);
      const { runWithUi } = await import('./run-ui-switch.js');
      return runWithUi(options, (o, io) => runCommand(o, io).then((r) => r.status));
    },
  },
  serve: { help: SERVE_HELP, run: serveCommand },
  watch: { help: WATCH_HELP, run: (argv) => watchCommand(argv) },
  fuzz: { help: FUZZ_HELP, run: (argv) => fuzzCommand(argv) },
};

function printHelp(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') return printHelp(HELP);
  if (name === '-v' || name === '--version') return printHelp(lockstepVersion());
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')}; see lockstep --help)`);
  return command.run(rest);
}

/** Runs the CLI for a process: usage errors are one line on stderr and exit 2. */
export async function runCli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`lockstep: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`lockstep: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 3;
  }
}
