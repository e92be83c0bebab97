import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../../scenarios/dsl.js';
import { runSuite } from '../runner.js';
import { embeddedTarget, type Target } from '../targets.js';
import { WRONG_TARGET_BREAKS, WRONG_TARGETS } from '../test-support/wrong-targets.js';
import { reproducerModule, scenarioFromJson, scenarioFromSteps, writeReproducer } from './replay.js';
import { runFuzz, type FuzzFailure } from './run-fuzz.js';

async function withTarget<T>(target: Promise<Target>, use: (t: Target) => Promise<T>): Promise<T> {
  const t = await target;
  try {
    return await use(t);
  } finally {
    await t.close();
  }
}

async function runScenario(target: Target, scenario: Scenario) {
  const run = await runSuite({ scenarios: [scenario], client: target.client, target: target.description, seed: 1, version: 'test' });
  return run.scenarios[0]!;
}

describe('lockstep fuzz against the reference MDM', () => {
  it('finds no mismatch in a few hundred runs and reports model coverage', async () => {
    const result = await withTarget(embeddedTarget({ seed: 7, recordCoverage: true }), (target) =>
      runFuzz({ target, runs: 300, seed: 7, maxCommands: 15 }),
    );
    expect(result.failures.map((f) => f.message)).toEqual([]);
    expect(result.runs).toBe(300);
    expect(result.steps / result.executions).toBeGreaterThan(3);
    expect(result.runsPerSecond).toBeGreaterThan(0);
    const coverage = result.transitionCoverage!;
    expect(coverage.map((c) => c.variant)).toContain('ae-work-profile-personal');
    expect(coverage.reduce((n, c) => n + c.covered, 0)).toBeGreaterThan(0);
  });

  it('replays a path found with a shorter --max-commands without being told the length again', async () => {
    const wrap = WRONG_TARGETS.readOnlyMayReset;
    const found = await withTarget(embeddedTarget({ seed: 4, wrapFetch: wrap }), (target) => runFuzz({ target, runs: 300, seed: 4, maxCommands: 8 }));
    const failure = found.failures[0]!;
    expect(failure.path).toMatch(/~8$/);
    const replay = await withTarget(embeddedTarget({ seed: 4, wrapFetch: wrap }), (target) => runFuzz({ target, seed: 4, path: failure.path }));
    expect(replay.failures[0]!.steps).toEqual(failure.steps);
  });

  it('repeats a run exactly with the same seed', async () => {
    const once = () => withTarget(embeddedTarget({ seed: 3 }), (target) => runFuzz({ target, runs: 30, seed: 3, maxCommands: 10 }));
    const [a, b] = [await once(), await once()];
    expect(b.steps).toBe(a.steps);
    expect(b.runs).toBe(a.runs);
  });
});

type WrongName = keyof typeof WRONG_TARGETS;
const SEEDS: Record<WrongName, number> = {
  reportsDoneForModernDeviceAdminReset: 1,
  showsPasscodeAfterSevenDays: 1,
  locksAospWithoutPolicy: 1,
  readOnlyMayReset: 1,
  badUnlockTokenRemovalDone: 1,
};

describe.each(Object.keys(WRONG_TARGETS) as WrongName[])('lockstep fuzz against a wrong MDM: %s', (name) => {
  const wrap = WRONG_TARGETS[name];
  const seed = SEEDS[name];
  const breaks = WRONG_TARGET_BREAKS[name];
  let failure: FuzzFailure;

  beforeAll(async () => {
    const result = await withTarget(embeddedTarget({ seed, wrapFetch: wrap }), (target) => runFuzz({ target, runs: 400, seed, maxCommands: 25 }));
    expect(result.failures).toHaveLength(1);
    failure = result.failures[0]!;
  });

  it(`finds the bug, names ${breaks} and shrinks it to a handful of steps`, () => {
    expect(failure.requirement).toBe(breaks);
    expect(failure.level).not.toBeNull();
    expect(failure.statement).toBeTruthy();
    expect(failure.steps.length).toBeGreaterThanOrEqual(2);
    expect(failure.steps.length).toBeLessThanOrEqual(6);
    expect(failure.lines).toHaveLength(failure.steps.length);
    expect(failure.steps[0]!.op).toBe('enroll');
  });

  it('replays the shrunk sequence exactly from seed and path', async () => {
    const replay = await withTarget(embeddedTarget({ seed, wrapFetch: wrap }), (target) => runFuzz({ target, seed, path: failure.path }));
    expect(replay.failures).toHaveLength(1);
    expect(replay.failures[0]!.steps).toEqual(failure.steps);
    expect(replay.failures[0]!.requirement).toBe(breaks);
  });

  it('writes a reproducer scenario that fails on the wrong MDM and passes on the reference', async () => {
    const scenario = scenarioFromSteps(failure.steps, { requirements: [breaks], seed });
    const onWrong = await withTarget(embeddedTarget({ seed, wrapFetch: wrap }), (target) => runScenario(target, scenario));
    expect(onWrong.outcome === 'fail' || onWrong.outcome === 'warn').toBe(true);
    expect(onWrong.findings.map((f) => f.requirement)).toContain(breaks);
    const onReference = await withTarget(embeddedTarget({ seed }), (target) => runScenario(target, scenario));
    expect(onReference.findings).toEqual([]);
    expect(onReference.outcome).toBe('pass');
  });
});

describe('fuzz reproducer files', () => {
  let dir: string;
  let failure: FuzzFailure;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lockstep-fuzz-'));
    const result = await withTarget(embeddedTarget({ seed: 1, wrapFetch: WRONG_TARGETS.locksAospWithoutPolicy }), (target) =>
      runFuzz({ target, runs: 400, seed: 1 }),
    );
    failure = result.failures[0]!;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes .ts and .json; the JSON becomes a scenario again', async () => {
    const written = await writeReproducer(failure, dir);
    const json = JSON.parse(await readFile(written.json, 'utf8'));
    expect(json).toMatchObject({ lockstep: 'fuzz-reproducer', version: 1, seed: 1, requirement: 'RL-2', path: failure.path });
    const scenario = scenarioFromJson(await readFile(written.json, 'utf8'));
    expect(scenario.requirements).toEqual(['RL-2']);
    const onWrong = await withTarget(embeddedTarget({ seed: 1, wrapFetch: WRONG_TARGETS.locksAospWithoutPolicy }), (t) => runScenario(t, scenario));
    expect(onWrong.outcome).toBe('fail');
    const ts = await readFile(written.ts, 'utf8');
    expect(ts).toContain("import { scenario } from './dsl.js';");
    expect(ts).toContain("from '../harness/fuzz/replay.js'");
    expect(ts).toContain(`lockstep fuzz --seed 1 --path '${failure.path}'`);
  });

  it('the .ts reproducer is a working scenario module once it sits next to dsl.ts', async () => {
    // Point its two imports at the real files, as if the module had been dropped into scenarios/.
    const root = resolve(import.meta.dirname, '../..');
    const text = reproducerModule(failure)
      .replace("'./dsl.js'", JSON.stringify(join(root, 'scenarios/dsl.ts')))
      .replace("'../harness/fuzz/replay.js'", JSON.stringify(join(root, 'harness/fuzz/replay.ts')));
    const file = join(dir, 'reproducer.ts');
    await writeFile(file, text, 'utf8');
    const module = (await import(file)) as { default: Scenario; FUZZ_REPRODUCER: Scenario };
    expect(module.default).toBe(module.FUZZ_REPRODUCER);
    expect(module.default.id).toBe('fuzz/rl-2/1');
    const onWrong = await withTarget(embeddedTarget({ seed: 1, wrapFetch: WRONG_TARGETS.locksAospWithoutPolicy }), (t) => runScenario(t, module.default));
    expect(onWrong.findings.map((f) => f.requirement)).toContain('RL-2');
    const onReference = await withTarget(embeddedTarget({ seed: 1 }), (t) => runScenario(t, module.default));
    expect(onReference.outcome).toBe('pass');
  });

  it('never writes a secret into a reproducer', async () => {
    const withSecrets = await withTarget(embeddedTarget({ seed: 1, wrapFetch: WRONG_TARGETS.showsPasscodeAfterSevenDays }), (target) =>
      runFuzz({ target, runs: 400, seed: 1 }),
    );
    const f = withSecrets.failures[0]!;
    const text = reproducerModule(f) + JSON.stringify(f);
    // Temporary passcodes are 6 or 8 digits; none may appear anywhere in what is written.
    expect(text).not.toMatch(/\b\d{6,8}\b/);
  });
});
