/**
 * Fuzz reproducers as scenarios: a shrunk step list (the JSON a fuzz failure writes) becomes
 * a Scenario that replays the steps through a ScenarioContext and reports every comparison of
 * the oracle as a check against the requirement it belongs to. The first step with a failed
 * check ends the replay, as it ended the fuzz run.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { scenario, type Device, type Scenario, type ScenarioContext } from '../../scenarios/dsl.js';
import { ACTIONS, type ActionName } from '../../contract/actions.js';
import { type VariantKey } from '../../contract/variants.js';
import { isRequirementId, requirement as catalogueEntry } from '../../scenarios/requirements.js';
import type { Level } from '../../contract/result-model.js';
import { ADMIN_READER, FleetModel } from './model.js';
import type { FuzzFailure } from './run-fuzz.js';
import { canRun, describeStep, runStep, type FuzzIO, type Step } from './steps.js';

export type FuzzSteps = readonly Step[];

export interface ReproducerMeta {
  id?: string;
  title?: string;
  /** The requirement(s) the reproducer is about; the first names the scenario. */
  requirements?: string[];
  seed?: number;
  path?: string;
  level?: Level;
}

/** The JSON file a fuzz failure writes next to the .ts reproducer. */
/** The reproducer written next to a failure: the failure's facts, tagged so a reader knows it. */
export type ReproducerFile = { lockstep: 'fuzz-reproducer'; version: 1 } & Pick<
  FuzzFailure,
  'seed' | 'path' | 'requirement' | 'level' | 'statement' | 'check' | 'expected' | 'observed' | 'lines' | 'steps'
>;

/** A ScenarioContext as the step executor's transport. */
function contextIO(t: ScenarioContext): FuzzIO {
  const devices = new Map<string, Device>();
  const device = (id: string): Device => devices.get(id) ?? { id, variant: 'windows' };
  return {
    async enroll(spec) {
      const d = await t.enroll(spec);
      devices.set(d.id, d);
      return { status: 201, id: d.id, truth: await t.truth(d) };
    },
    async act(actor, id, action) {
      const view = t.as(actor);
      const d = device(id);
      if (action === 'resetPasscode') return view.resetPasscode(d);
      if (action === 'remoteLock') return view.remoteLock(d);
      return view.wipe(d);
    },
    async view(role, id) {
      const d = device(id);
      const view = t.as(role);
      const status = await view.read(d);
      if (status !== 200) return { status };
      const results = [];
      for (const name of ACTIONS) {
        const r = await view.actionResult(d, name);
        if (r) results.push(r);
      }
      return { status, results };
    },
    async truth(id) {
      return { status: 200, truth: await t.truth(device(id)) };
    },
    event: (id, event) => t.event(device(id), event),
    async advance(duration) {
      await t.advance(duration);
      return 200;
    },
    audits: (id) => t.as(ADMIN_READER).audits(device(id)),
    get: (actor, path) => t.as(actor).get(path),
  };
}

/** Replays fuzz steps on a scenario's target and checks each observation against the oracle. */
export async function replaySteps(t: ScenarioContext, steps: FuzzSteps): Promise<void> {
  const model = new FleetModel(Math.max(4, steps.filter((s) => s.op === 'enroll').length));
  const io = contextIO(t);
  for (const step of steps) {
    if (!canRun(model, step)) continue;
    const checks = await runStep(model, io, step);
    let failed = false;
    for (const c of checks) {
      t.checkThat(c.requirement, `${c.what} [${describeStep(step)}]`, c.ok, c.expected, c.observed);
      if (!c.ok) failed = true;
    }
    if (failed) return;
  }
}

function firstVariantAndAction(steps: FuzzSteps): { variant?: VariantKey; action?: ActionName } {
  const enroll = steps.find((s) => s.op === 'enroll');
  const act = steps.find((s) => s.op === 'act');
  return {
    ...(enroll && enroll.op === 'enroll' ? { variant: enroll.spec.variant } : {}),
    ...(act && act.op === 'act' ? { action: act.action } : {}),
  };
}

/** A Scenario that replays the steps (what `lockstep run --scenario-file x.json` would run). */
export function scenarioFromSteps(steps: FuzzSteps, meta: ReproducerMeta = {}): Scenario {
  const requirements = (meta.requirements ?? []).filter(isRequirementId);
  const main = requirements[0] ?? 'ST-2';
  const { variant, action } = firstVariantAndAction(steps);
  return scenario({
    id: meta.id ?? `fuzz/${main.toLowerCase()}/${meta.seed ?? 'replay'}`,
    title: meta.title ?? `Fuzz reproducer: ${steps.length} steps that broke ${main}`,
    // The area of the requirement it breaks, so reports file it with the scenarios about that rule.
    area: catalogueEntry(main).area,
    requirements: requirements.length ? requirements : [main],
    tags: ['fuzz', 'reproducer', ...(variant ? [variant] : [])],
    ...(variant ? { variant } : {}),
    ...(action ? { action } : {}),
    usesClock: steps.some((s) => s.op === 'advance'),
    ...(meta.level ? { level: meta.level } : {}),
    run: (t) => replaySteps(t, steps),
  });
}

/** A Scenario from a reproducer JSON file's text (or parsed content). */
export function scenarioFromJson(input: string | unknown): Scenario {
  const data = (typeof input === 'string' ? JSON.parse(input) : input) as Partial<ReproducerFile>;
  if (data?.lockstep !== 'fuzz-reproducer' || !Array.isArray(data.steps)) {
    throw new Error('not a lockstep fuzz reproducer (expected {"lockstep":"fuzz-reproducer","steps":[...]})');
  }
  return scenarioFromSteps(data.steps, {
    ...(data.requirement ? { requirements: [data.requirement] } : {}),
    ...(typeof data.seed === 'number' ? { seed: data.seed } : {}),
    ...(typeof data.path === 'string' ? { path: data.path } : {}),
  });
}

export function reproducerFile(failure: FuzzFailure): ReproducerFile {
  return {
    lockstep: 'fuzz-reproducer',
    version: 1,
    seed: failure.seed,
    path: failure.path,
    requirement: failure.requirement,
    level: failure.level,
    statement: failure.statement,
    check: failure.check,
    expected: failure.expected,
    observed: failure.observed,
    lines: failure.lines,
    steps: failure.steps,
  };
}

const comment = (text: string) => text.replace(/\*\//g, '* /');

/** The .ts reproducer: drop it into scenarios/ (its imports are relative to that folder). */
export function reproducerModule(failure: FuzzFailure): string {
  const main = failure.requirement ?? 'ST-2';
  const id = `fuzz/${main.toLowerCase()}/${failure.seed}`;
  const lines = failure.lines.map((l, i) => ` *   ${i + 1}. ${comment(l)}`).join('\n');
  return `/**
 * Reproducer written by \`lockstep fuzz\` (seed ${failure.seed}, path ${comment(failure.path)}).
 *
 * Breaks ${failure.requirement ? `${failure.requirement} (${failure.level}): ${comment(failure.statement ?? '')}` : 'the contract'}
 *   check:    ${comment(failure.check)}
 *   expected: ${comment(failure.expected)}
 *   observed: ${comment(failure.observed)}
 *
 * Steps (shrunk):
${lines}
 *
 * Drop this file into scenarios/ and list it in the suite, or replay the JSON next to it.
 * Replay the fuzz run itself with: lockstep fuzz --seed ${failure.seed} --path '${comment(failure.path)}'
 */
import { scenario } from './dsl.js';
import { replaySteps, type FuzzSteps } from '../harness/fuzz/replay.js';

const STEPS: FuzzSteps = [
${failure.steps.map((step, i) => `  // ${i + 1}. ${comment(describeStep(step))}\n  ${JSON.stringify(step)},`).join('\n')}
];

export const FUZZ_REPRODUCER = scenario({
  id: ${JSON.stringify(id)},
  title: ${JSON.stringify(`Fuzz reproducer: ${failure.steps.length} steps that broke ${main}`)},
  area: ${JSON.stringify(catalogueEntry(main).area)},
  requirements: [${JSON.stringify(main)}],
  tags: ['fuzz', 'reproducer'],
  usesClock: ${failure.steps.some((s) => s.op === 'advance')},
  run: (t) => replaySteps(t, STEPS),
});

export default FUZZ_REPRODUCER;
`;
}

/** Writes <dir>/fuzz-<requirement>-<seed>.ts and .json; returns both paths. */
export async function writeReproducer(failure: FuzzFailure, dir: string): Promise<{ ts: string; json: string }> {
  await mkdir(dir, { recursive: true });
  const base = `fuzz-${(failure.requirement ?? 'contract').toLowerCase()}-${failure.seed}`;
  const ts = join(dir, `${base}.ts`);
  const json = join(dir, `${base}.json`);
  await writeFile(ts, reproducerModule(failure), 'utf8');
  await writeFile(json, JSON.stringify(reproducerFile(failure), null, 2) + '\n', 'utf8');
  return { ts, json };
}
