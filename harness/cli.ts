#!/usr/bin/env node
import { UsageError } from '../contract/usage-error.js';
import { lockstepVersion } from './version.js';

// Only flag parsing and help texts load before a command runs: `lockstep --help` and usage
// errors answer without loading the suite, the simulator or the terminal UI.

const HELP = () => `lockstep ${lockstepVersion()}: device-fleet simulator and MDM conformance harness

Usage: lockstep <command> [options]

Commands:
  run      run the conformance suite (default target: the embedded reference MDM) and write reports
  serve    serve the simulated fleet behind the Graph-shaped mock MDM over HTTP
  watch    live dashboard of a simulated fleet (a lockstep serve, or --demo)
  fuzz     model-based fuzzing against a target; shrinks failures and writes reproducers
  mutate   mutation score of the suite and the fuzzer against a catalogue of wrong MDMs
  diff     compare two report.json files: new failures, fixed, still failing
  front    the aggregating front of a sharded fleet (lockstep serve --shard K/N processes)
  balancer-config  an HAProxy configuration routing a sharded fleet (device paths to their shard)
  devices  enroll simulated Apple devices in an Apple MDM server (its own protocol) and keep them polling

Run 'lockstep <command> --help' for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

const wantsHelp = (argv: string[]) => argv.includes('--help') || argv.includes('-h');

const COMMANDS: Record<string, Command> = {
  async run(argv) {
    const { RUN_HELP, parseRunArgs } = await import('./run-args.js');
    const options = parseRunArgs(argv);
    if (options.help) return printHelp(RUN_HELP);
    const [{ runWithUi }, { runCommand }] = await Promise.all([import('./run-ui-switch.js'), import('./run-command.js')]);
    return runWithUi(options, (o, io) => runCommand(o, io).then((r) => r.status));
  },
  async serve(argv) {
    const { parseServeArgs } = await import('./serve-args.js');
    parseServeArgs(argv);
    const { serveCommand } = await import('./serve-command.js');
    return serveCommand(argv);
  },
  async watch(argv) {
    const { WATCH_HELP, parseWatchArgs } = await import('./watch-args.js');
    if (wantsHelp(argv)) return printHelp(WATCH_HELP);
    parseWatchArgs(argv);
    const { watchCommand } = await import('./watch-command.js');
    return watchCommand(argv);
  },
  async fuzz(argv) {
    const { FUZZ_HELP, parseFuzzArgs } = await import('./fuzz-args.js');
    if (wantsHelp(argv)) return printHelp(FUZZ_HELP);
    parseFuzzArgs(argv);
    const { fuzzCommand } = await import('./fuzz-command.js');
    return fuzzCommand(argv);
  },
  async diff(argv) {
    const { diffCommand } = await import('./diff-command.js');
    return diffCommand(argv, (line) => process.stdout.write(line + '\n'));
  },
  async front(argv) {
    const { frontCommand } = await import('./front-command.js');
    return frontCommand(argv);
  },
  async 'balancer-config'(argv) {
    const { balancerConfigCommand } = await import('./front-command.js');
    return balancerConfigCommand(argv);
  },
  async devices(argv) {
    const { DEVICES_HELP, parseDevicesArgs } = await import('./devices-args.js');
    if (wantsHelp(argv)) return printHelp(DEVICES_HELP);
    parseDevicesArgs(argv);
    const { devicesCommand } = await import('./devices-command.js');
    return devicesCommand(argv);
  },
  async mutate(argv) {
    const { mutateCommand } = await import('./mutate-command.js');
    return mutateCommand(argv);
  },
};

function printHelp(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '-h' || name === '--help' || name === 'help') return printHelp(HELP());
  if (name === '-v' || name === '--version') return printHelp(lockstepVersion());
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')}; see lockstep --help)`);
  return command(rest);
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
