import { integerOption, parseCommandArgs } from './cli-args.js';
import { UsageError } from '../contract/usage-error.js';

// `lockstep fuzz`'s flags and help, apart from the fuzzer so the CLI parses them without loading it.

/** Defaults of the fuzzer (harness/fuzz/run-fuzz.ts holds the same; a test keeps them equal). */
export const DEFAULT_RUNS = 200;
export const DEFAULT_MAX_COMMANDS = 25;

export const FUZZ_HELP = `Usage: lockstep fuzz [options]

Model-based fuzzing: random sequences of enrollments, admin actions (as every role), user
events and clock moves, each checked step by step against a model of the behaviour
catalogue. A mismatch is shrunk to a short sequence, named by the requirement it breaks,
and written out as a reproducer scenario (.ts for scenarios/, .json for replay).
The fuzzer owns the target while it runs: every sequence starts with DELETE /sim/fleet.
A --target should keep its simulated clock still between steps (lockstep serve --clock manual).

Target:
  --target URL           a server that speaks the lockstep contract (default: the embedded reference MDM)
  --credentials FILE     JSON {"<role>": {"clientId": "...", "clientSecret": "..."}} for --target
Run:
  --runs N               sequences to try (default ${DEFAULT_RUNS})
  --seed N               seed (default: random, printed; the same seed repeats the run exactly)
  --path P               replay one failure exactly (the path a failure printed; needs its --seed
                         and the same target)
  --max-commands N       longest sequence (default ${DEFAULT_MAX_COMMANDS})
  --time-budget SECONDS  stop trying (and shrinking) after this long
  --sweep                first walk enumerated short sequences: every variant, OS versions at and
                         around each boundary, each device fact off its default (then the random runs)
Output:
  --out DIR              where reproducers go (default ./lockstep-report/fuzz)
  -h, --help             this help

Exit status: 0 no mismatch, 1 a mismatch was found, 2 usage error or target unreachable.`;

export interface FuzzCommandOptions {
  target: string | null;
  credentials: string | null;
  runs: number;
  seed: number | null;
  path: string | null;
  maxCommands: number;
  timeBudgetSeconds: number | null;
  out: string;
  sweep: boolean;
  help: boolean;
}

export function parseFuzzArgs(argv: string[]): FuzzCommandOptions {
  const values = parseCommandArgs('fuzz', argv, {
    target: { type: 'string' },
    credentials: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    'max-commands': { type: 'string' },
    'time-budget': { type: 'string' },
    out: { type: 'string' },
    sweep: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const path = values.path ?? null;
  if (path !== null && !/^\d+(:\d+)*(~[A-Za-z0-9+/:]*(~\d+)?)?$/.test(path)) {
    throw new UsageError(`--path must be the path a fuzz failure printed, like 12:0:3~BAB:GA~25, not '${path}'`);
  }
  const seed = integerOption('--seed', values.seed, null, 0, 2 ** 31 - 1);
  if (path !== null && seed === null) throw new UsageError('--path needs the --seed it was printed with');
  return {
    target: values.target ?? null,
    credentials: values.credentials ?? null,
    runs: integerOption('--runs', values.runs, DEFAULT_RUNS, 1, 1_000_000),
    seed,
    path,
    maxCommands: integerOption('--max-commands', values['max-commands'], DEFAULT_MAX_COMMANDS, 1, 1000),
    timeBudgetSeconds: integerOption('--time-budget', values['time-budget'], null, 1, 7 * 24 * 3600),
    out: values.out ?? 'lockstep-report/fuzz',
    sweep: values.sweep ?? false,
    help: values.help ?? false,
  };
}
