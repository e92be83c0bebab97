import { integerOption, parseCommandArgs } from './cli-args.js';

// `lockstep run`'s flags and help, apart from the command so the CLI parses them without loading the suite.

export const RUN_HELP = `Usage: lockstep run [options]

Runs the conformance suite against a target and writes reports.

Target:
  --target URL           a server that speaks the lockstep contract (default: the embedded reference MDM)
  --credentials FILE     JSON {"<role>": {"clientId": "...", "clientSecret": "..."}} for --target
                         (default: the built-in local clients, secret = client id)
Selection:
  --id ID                scenario id, or a prefix ending in * (repeatable)
  --tag TAG              scenarios with this tag (repeatable)
  --requirement ID       scenarios checking this requirement, e.g. DL-6 (repeatable)
  --rerun-failed FILE    only the scenarios that failed, warned or errored in a report.json
  --scenario-file FILE   run these scenarios instead of the suite: a fuzz reproducer (.json)
                         or a compiled scenario module (.js) (repeatable)
Run:
  --seed N               seed for fleets and generated facts (default 1)
  --concurrency N        scenarios in flight at once (default 8)
  --request-timeout S    seconds to wait for one answer from the target (default 30)
  --scenario-timeout S   seconds one scenario may take before it ends in error (default 300)
  --expectations FILE    a vendor's known deviations (expected failures, skips)
  --baseline FILE        an earlier report.json: the summary and reports say what is new,
                         fixed and still failing (see also lockstep diff OLD.json NEW.json)
Output:
  --out DIR              where reports go (default ./lockstep-report)
  --no-reports           write no report files
  --no-ui                plain lines even in a terminal (also when CI is set or output is piped)
  -h, --help             this help

Every option is checked before the run starts (--out must be writable, files must parse).
The last line is the verdict; the exit status and every report carry the same one:
  0 pass (every MUST checked passes; deviations listed in --expectations allowed)
  1 not conformant (a MUST failed)       2 usage error, or the target cannot be reached
  2 inconclusive (errors, or the target stopped answering: the run ends early)
  5 interrupted (stopped with q, Ctrl-C or SIGTERM; reports cover what ran)`;

export interface RunCommandOptions {
  target: string | null;
  credentials: string | null;
  ids: string[];
  tags: string[];
  requirements: string[];
  rerunFailed: string | null;
  scenarioFiles: string[];
  seed: number;
  concurrency: number;
  /** Milliseconds (--request-timeout, in seconds on the command line). */
  requestTimeoutMs: number;
  scenarioTimeoutMs: number;
  expectations: string | null;
  baseline: string | null;
  out: string;
  reports: boolean;
  ui: boolean;
  help: boolean;
}

export function parseRunArgs(argv: string[]): RunCommandOptions {
  const values = parseCommandArgs('run', argv, {
    target: { type: 'string' },
    credentials: { type: 'string' },
    id: { type: 'string', multiple: true },
    tag: { type: 'string', multiple: true },
    requirement: { type: 'string', multiple: true },
    'rerun-failed': { type: 'string' },
    'scenario-file': { type: 'string', multiple: true },
    seed: { type: 'string' },
    concurrency: { type: 'string' },
    'request-timeout': { type: 'string' },
    'scenario-timeout': { type: 'string' },
    expectations: { type: 'string' },
    baseline: { type: 'string' },
    out: { type: 'string' },
    'no-reports': { type: 'boolean' },
    'no-ui': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  return {
    target: values.target ?? null,
    credentials: values.credentials ?? null,
    ids: values.id ?? [],
    tags: values.tag ?? [],
    requirements: values.requirement ?? [],
    rerunFailed: values['rerun-failed'] ?? null,
    scenarioFiles: values['scenario-file'] ?? [],
    seed: integerOption('--seed', values.seed, 1, 0, 2 ** 32 - 1),
    concurrency: integerOption('--concurrency', values.concurrency, 8, 1, 256),
    requestTimeoutMs: integerOption('--request-timeout', values['request-timeout'], 30, 1, 3600) * 1000,
    scenarioTimeoutMs: integerOption('--scenario-timeout', values['scenario-timeout'], 300, 1, 86_400) * 1000,
    expectations: values.expectations ?? null,
    baseline: values.baseline ?? null,
    out: values.out ?? 'lockstep-report',
    reports: !values['no-reports'],
    ui: !values['no-ui'],
    help: values.help ?? false,
  };
}
