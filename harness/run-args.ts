import { integerOption, parseCommandArgs } from './cli-args.js';
import { UsageError } from '../contract/usage-error.js';

// `lockstep run`'s flags and help, apart from the command so the CLI parses them without loading the suite.

export const RUN_HELP = `Usage: lockstep run [options]

Runs the conformance suite against a target and writes reports.

Target:
  --target URL           a server that speaks the lockstep contract (default: the embedded reference MDM)
  --credentials FILE     JSON {"<role>": {"clientId": "...", "clientSecret": "..."}} for --target
                         (default: the built-in local clients, secret = client id)
  --apple-api-key KEY    with --target, a lockstep serve started with --apple-api-key KEY: the run adds
                         the apple-mdm area on its Apple side (as the embedded default does)
Apple MDM (the apple-mdm area, AP-1..AP-10, instead of the Graph suite):
  --apple-mdm URL        an Apple MDM server's check-in/command URL, e.g. http://127.0.0.1:9000/mdm
  --enqueue ADAPTER      its admin API: nanomdm:KEY or micromdm:KEY, optionally @URL (default: the MDM's origin)
  --apple-identity MODE  signature (Mdm-Signature, default) or header:NAME (the server's -cert-header)
  --apple-ca DIR         the device CA (DIR/ca.pem, made on first use; the server must trust it)
                         (default ./lockstep-apple-ca)
  --webhook-port N       where lockstep hears the server's check-ins (NanoMDM -webhook-url
                         http://127.0.0.1:N/webhook; default 4181; 0 picks a free port)
  --apple-mutant NAME    a wrong-server proxy between the devices and the server (repeatable):
                         checkout-guard (the fix for AP-6), ap-1/mangled-unlock-token,
                         ap-1/unlock-token-dropped, ap-5/redelivers-acknowledged,
                         ap-5/notnow-never-redelivered, ap-7/hides-identity-refusals,
                         ap-7/refusal-as-server-error, ap-8/first-token-forever,
                         ap-10/key-outside-schema, ap-10/lock-pin-as-integer,
                         ap-10/lock-request-type-misspelled
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
  /** --apple-api-key: the admin key of the --target's Apple side (a lockstep serve), or null. */
  appleApiKey: string | null;
  /** --apple-mdm and its companions; null for a Graph run. */
  apple: { url: string; enqueue: string; identity: 'signature' | { header: string }; caDir: string; webhookPort: number; mutants: string[] } | null;
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
    'apple-mdm': { type: 'string' },
    enqueue: { type: 'string' },
    'apple-identity': { type: 'string' },
    'apple-ca': { type: 'string' },
    'webhook-port': { type: 'string' },
    'apple-mutant': { type: 'string', multiple: true },
    'apple-api-key': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const appleApiKey = values['apple-api-key'] ?? null;
  if (appleApiKey !== null && values.target === undefined) throw new UsageError('--apple-api-key goes with --target (the embedded reference needs no key)');
  if (appleApiKey !== null && values['apple-mdm'] !== undefined) throw new UsageError('--apple-api-key is for a lockstep serve --target; --apple-mdm takes --enqueue ADAPTER');
  return {
    apple: appleOptions(values),
    appleApiKey,
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

function appleOptions(values: Record<string, string | string[] | boolean | undefined>): RunCommandOptions['apple'] {
  const url = values['apple-mdm'] as string | undefined;
  const enqueue = values.enqueue as string | undefined;
  const identityText = values['apple-identity'] as string | undefined;
  if (url === undefined) {
    for (const flag of ['enqueue', 'apple-identity', 'apple-ca', 'webhook-port', 'apple-mutant']) if (values[flag] !== undefined) throw new UsageError(`--${flag} goes with --apple-mdm URL`);
    return null;
  }
  if (!/^https?:\/\/[^/\s]+/.test(url)) throw new UsageError(`--apple-mdm needs the server's http(s) MDM URL, like http://127.0.0.1:9000/mdm, not '${url}'`);
  if (values.target !== undefined) throw new UsageError('--apple-mdm and --target name different servers: run them one at a time');
  if (enqueue === undefined) throw new UsageError('--apple-mdm needs --enqueue ADAPTER (nanomdm:KEY or micromdm:KEY): how to ask the server to send a command');
  let identity: 'signature' | { header: string } = 'signature';
  if (identityText !== undefined && identityText !== 'signature') {
    const header = /^header:([A-Za-z0-9-]{1,64})$/.exec(identityText)?.[1];
    if (!header) throw new UsageError(`--apple-identity must be signature or header:NAME, not '${identityText}'`);
    identity = { header };
  }
  return {
    url,
    enqueue,
    identity,
    caDir: (values['apple-ca'] as string | undefined) ?? 'lockstep-apple-ca',
    webhookPort: integerOption('--webhook-port', values['webhook-port'] as string | undefined, 4181, 0, 65535),
    mutants: (values['apple-mutant'] as string[] | undefined) ?? [],
  };
}
