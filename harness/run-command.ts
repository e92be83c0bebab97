import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseJsonReport } from '../reports/json.js';
import { writeReports } from '../reports/write-reports.js';
import type { Scenario } from '../scenarios/dsl.js';
import { SUITE, selectScenarios } from '../scenarios/suite.js';
import { scenarioFromJson } from './fuzz/replay.js';
import { integerOption, loadCredentials, openTarget, parseCommandArgs } from './cli-options.js';
import { loadExpectations } from './expectations.js';
import { plainListener, plainSummary } from './plain-output.js';
import type { RunResult } from './result-model.js';
import { runFailed, runSuite, type RunEvent } from './runner.js';
import { UsageError } from './usage-error.js';
import { lockstepVersion } from './version.js';
import { verdictOf } from '../reports/verdict.js';

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
  --expectations FILE    a vendor's known deviations (expected failures, skips)
  --request-timeout S    seconds to wait for one answer from the target (default 30)
  --scenario-timeout S   seconds one scenario may take before it ends in error (default 300)
Output:
  --out DIR              where reports go (default ./lockstep-report)
  --no-reports           write no report files
  --no-ui                plain lines even in a terminal (also when CI is set or output is piped)
  -h, --help             this help

Exit status: 0 every MUST passes, 1 a MUST failed or the target broke the contract, 2 usage error, target unreachable,
or the target stopped answering during the run (inconclusive).`;

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
    out: values.out ?? 'lockstep-report',
    reports: !values['no-reports'],
    ui: !values['no-ui'],
    help: values.help ?? false,
  };
}

function isScenario(value: unknown): value is Scenario {
  const s = value as Scenario;
  return typeof s === 'object' && s !== null && typeof s.id === 'string' && typeof s.run === 'function' && Array.isArray(s.requirements);
}

/** Scenarios from --scenario-file: fuzz reproducers (.json) or compiled modules exporting scenarios (.js). */
export async function loadScenarioFiles(paths: string[]): Promise<Scenario[]> {
  const loaded: Scenario[] = [];
  for (const path of paths) {
    const ext = extname(path);
    if (ext === '.json') {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch {
        throw new UsageError(`cannot read scenario file ${path}`);
      }
      try {
        loaded.push(scenarioFromJson(text));
      } catch (error) {
        throw new UsageError(`scenario file ${path}: ${(error as Error).message.split('\n')[0]}`);
      }
    } else if (ext === '.js' || ext === '.mjs') {
      let module: Record<string, unknown>;
      try {
        module = (await import(pathToFileURL(resolve(path)).href)) as Record<string, unknown>;
      } catch (error) {
        throw new UsageError(`cannot load scenario module ${path}: ${(error as Error).message.split('\n')[0]}`);
      }
      const found = Object.values(module).flatMap((v) => (Array.isArray(v) ? v : [v])).filter(isScenario);
      if (found.length === 0) throw new UsageError(`scenario module ${path} exports no scenario`);
      loaded.push(...found);
    } else {
      throw new UsageError(`scenario file ${path}: use a .json reproducer or a compiled .js module (a .ts scenario belongs in scenarios/, added to the suite)`);
    }
  }
  return loaded;
}

/** Which scenarios to run, from the selection flags, --scenario-file and --rerun-failed. */
export async function chooseScenarios(options: RunCommandOptions) {
  let scenarios;
  const pool = options.scenarioFiles.length ? await loadScenarioFiles(options.scenarioFiles) : SUITE;
  try {
    scenarios = selectScenarios(pool, { ids: options.ids, tags: options.tags, requirements: options.requirements });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (options.rerunFailed) {
    let report: RunResult;
    try {
      report = parseJsonReport(await readFile(options.rerunFailed, 'utf8'));
    } catch (error) {
      throw new UsageError(`--rerun-failed ${options.rerunFailed}: ${(error as Error).message.split('\n')[0]}`);
    }
    const failed = new Set(report.scenarios.filter((s) => s.outcome !== 'pass' && s.outcome !== 'skip').map((s) => s.id));
    scenarios = scenarios.filter((s) => failed.has(s.id));
  }
  if (scenarios.length === 0) throw new UsageError('no scenario matches the selection');
  return scenarios;
}


export interface RunIo {
  write(line: string): void;
  /** Replaces the plain listener (the terminal UI). */
  listener?: (event: RunEvent) => void;
  signal?: AbortSignal;
}

/** `lockstep run`: returns the exit status. */
export async function runCommand(options: RunCommandOptions, io: RunIo): Promise<{ status: number; run: RunResult }> {
  const scenarios = await chooseScenarios(options);
  const knownIds = new Set([...SUITE, ...scenarios].map((s) => s.id));
  const expectations = options.expectations ? await loadExpectations(options.expectations, knownIds).catch((e: Error) => {
    throw new UsageError(e.message);
  }) : undefined;
  const target = await openTarget(options);
  let run: RunResult;
  let deadReason: string | null = null;
  try {
    run = await runSuite({
      scenarios,
      client: target.client,
      target: target.description,
      seed: options.seed,
      concurrency: options.concurrency,
      scenarioTimeoutMs: options.scenarioTimeoutMs,
      onTargetDead: (reason) => (deadReason = reason),
      ...(expectations ? { expectations } : {}),
      onEvent: io.listener ?? plainListener(io.write),
      ...(io.signal ? { signal: io.signal } : {}),
      ...(target.transitionCoverage ? { transitionCoverage: target.transitionCoverage } : {}),
      version: lockstepVersion(),
    });
  } finally {
    await target.close();
  }
  if (options.target && run.scenarios.length > 0 && run.scenarios.every((s) => s.outcome === 'error')) {
    // Nothing answered inside the contract: treat it like an unreachable target.
    throw new UsageError(`target ${options.target} did not answer any scenario inside the contract: ${run.scenarios[0]?.message ?? ''}`);
  }
  if (options.reports) await writeReports(run, options.out);
  if (!io.listener) for (const line of plainSummary(run, options.reports ? options.out : null)) io.write(line);
  if (deadReason !== null && verdictOf(run).kind === 'inconclusive') {
    // The target died mid-run (the reports' verdict is inconclusive too: errors, no MUST failure).
    io.write(`Inconclusive: the target stopped answering (${deadReason}); scenarios not started were left out. Exit status 2.`);
    return { status: 2, run };
  }
  return { status: runFailed(run) ? 1 : 0, run };
}
