import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compareRuns } from '../reports/diff.js';
import { parseJsonReport } from '../reports/json.js';
import { verdictOf } from '../reports/verdict.js';
import { assertWritableDir, reportFileList, writeReports } from '../reports/write-reports.js';
import type { Scenario } from '../scenarios/dsl.js';
import { SUITE, selectScenarios } from '../scenarios/suite.js';
import { APPLE_MDM_SCENARIOS } from '../scenarios/apple-mdm.scenarios.js';
import { scenarioFromJson } from './fuzz/replay.js';
import { openTarget } from './cli-options.js';
import type { Target } from './targets.js';
import { appleWireSummary } from './apple-wire-summary.js';
import type { RunCommandOptions } from './run-args.js';
import { loadExpectations } from './expectations.js';
import { plainListener, plainSummary } from './plain-output.js';
import type { RunResult } from '../contract/result-model.js';
import { runSuite, type RunEvent } from './runner.js';
import { UsageError } from '../contract/usage-error.js';
import { lockstepVersion } from './version.js';

export { RUN_HELP, parseRunArgs, type RunCommandOptions } from './run-args.js';

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

/** --rerun-failed on a report with no failures: said once, and the run exits 0. */
export class NothingToRerun extends Error {}

/** A report.json given to --baseline, read before any work. */
export async function loadBaseline(path: string): Promise<RunResult> {
  try {
    return parseJsonReport(await readFile(path, 'utf8'));
  } catch (error) {
    throw new UsageError(`--baseline ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Which scenarios to run, from the selection flags, --scenario-file and --rerun-failed. */
export async function chooseScenarios(options: RunCommandOptions) {
  let scenarios;
  // The embedded reference is an Apple MDM server too: its run adds the apple-mdm area.
  const pool = options.scenarioFiles.length
    ? await loadScenarioFiles(options.scenarioFiles)
    : options.apple ? APPLE_MDM_SCENARIOS : options.target && !options.appleApiKey ? SUITE : [...SUITE, ...APPLE_MDM_SCENARIOS];
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
    if (failed.size === 0) throw new NothingToRerun(`nothing to rerun: every scenario in ${options.rerunFailed} passed or was skipped`);
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

/** `lockstep run`: returns the exit status (the verdict's) and the run (null when there was nothing to run). */
export async function runCommand(options: RunCommandOptions, io: RunIo, deps: { openTarget?: (options: RunCommandOptions) => Promise<Target> } = {}): Promise<{ status: number; run: RunResult | null }> {
  // Everything the user gave is checked before the first request: a bad option costs nothing.
  let scenarios: Scenario[];
  try {
    scenarios = await chooseScenarios(options);
  } catch (error) {
    if (!(error instanceof NothingToRerun)) throw error;
    io.write(error.message);
    return { status: 0, run: null };
  }
  const knownIds = new Set([...SUITE, ...APPLE_MDM_SCENARIOS, ...scenarios].map((s) => s.id));
  const expectations = options.expectations ? await loadExpectations(options.expectations, knownIds).catch((e: Error) => {
    throw new UsageError(e.message);
  }) : undefined;
  const baseline = options.baseline ? await loadBaseline(options.baseline) : undefined;
  if (options.reports) {
    try {
      await assertWritableDir(options.out);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  // Loaded only for an Apple run: certificates and CMS are not needed otherwise.
  const apple = options.apple ? await import('./apple/apple-target.js') : null;
  const appleTarget = options.apple && apple
    ? await apple.openAppleTarget({
        appleMdm: options.apple.url,
        enqueue: options.apple.enqueue,
        identity: options.apple.identity,
        caDir: options.apple.caDir,
        webhookPort: options.apple.webhookPort,
        mutants: options.apple.mutants,
        topic: apple.DEFAULT_TOPIC,
        seed: options.seed,
      }, io.write)
    : null;
  const target = appleTarget ?? (await (deps.openTarget ?? ((o: RunCommandOptions) => openTarget(o, { threaded: true })))(options));
  if (options.target && options.appleApiKey && !target.apple) {
    const { ReferenceAppleFacet } = await import('./apple/reference-facet.js');
    target.apple = new ReferenceAppleFacet({ client: target.client, fetch: (input, init) => globalThis.fetch(input, init), apiKey: options.appleApiKey, seed: options.seed });
  }
  let run: RunResult;
  try {
    run = await runSuite({
      scenarios,
      client: target.client,
      target: target.description,
      seed: options.seed,
      concurrency: options.concurrency,
      scenarioTimeoutMs: options.scenarioTimeoutMs,
      ...(expectations ? { expectations } : {}),
      onEvent: io.listener ?? plainListener(io.write),
      ...(io.signal ? { signal: io.signal } : {}),
      ...(target.transitionCoverage ? { transitionCoverage: target.transitionCoverage } : {}),
      ...(target.apple ? { apple: target.apple } : {}),
      version: lockstepVersion(),
    });
    if (target.description.kind === 'embedded') {
      const line = await appleWireSummary(target.client);
      if (line) io.write(line);
    }
  } finally {
    await target.close();
  }
  const named = options.target ?? options.apple?.url;
  if (named && run.scenarios.length > 0 && run.scenarios.every((s) => s.outcome === 'error')) {
    // Nothing answered inside the contract: treat it like an unreachable target.
    throw new UsageError(`target ${named} did not answer any scenario inside the contract: ${run.scenarios[0]?.message ?? ''}`);
  }
  if (baseline) run = { ...run, comparison: compareRuns(baseline, run, options.baseline ?? undefined) };
  if (options.reports) await writeReports(run, options.out);
  for (const line of plainSummary(run, options.reports ? options.out : null, reportFileList())) io.write(line);
  return { status: verdictOf(run).exitStatus, run };
}
