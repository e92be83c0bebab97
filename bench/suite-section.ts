/** The suite section of `npm run bench` (`--only suite`): the whole conformance suite against the embedded target. */
import { fmt, median, type Row } from './lib/stats.js';
import { log, SEED, type BenchOptions } from './lib/options.js';


interface SuiteModules {
  SUITE: readonly unknown[];
  runSuite(options: Record<string, unknown>): Promise<{ durationMs: number; scenarios: Array<{ outcome: string }> }>;
  embeddedTarget(options: { seed: number }): Promise<{ client: unknown; description: unknown; close(): Promise<void> }>;
}

async function loadSuite(): Promise<SuiteModules | string> {
  const at = (path: string) => new URL(path, import.meta.url).href;
  try {
    const [suite, runner, targets] = await Promise.all([import(at('../scenarios/suite.js')), import(at('../harness/runner.js')), import(at('../harness/targets.js'))]);
    return { SUITE: suite.SUITE, runSuite: runner.runSuite, embeddedTarget: targets.embeddedTarget };
  } catch (error) {
    return `the suite is not available (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

export async function suiteSection(o: BenchOptions, rows: Row[], raw: Record<string, unknown>): Promise<void> {
  const modules = await loadSuite();
  if (typeof modules === 'string') {
    rows.push({ section: 'suite', figure: 'full conformance suite (embedded target)', value: 'skipped', ceiling: '', ratio: '', target: '≤ 10 s', ok: null, note: modules });
    return;
  }
  const times: number[] = [];
  let failures = 0;
  const runs = o.quick ? 1 : 3;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const target = await modules.embeddedTarget({ seed: SEED });
    try {
      const run = await modules.runSuite({ scenarios: [...modules.SUITE], client: target.client, target: target.description, seed: SEED, version: 'bench' });
      failures += run.scenarios.filter((s) => s.outcome !== 'pass').length;
    } finally {
      await target.close();
    }
    times.push(performance.now() - started);
    log(`suite run ${r + 1}: ${fmt(times.at(-1)!)} ms`);
  }
  const t = median(times);
  raw.suite = { times, scenarios: modules.SUITE.length, failures };
  rows.push({
    section: 'suite',
    figure: `full conformance suite, ${modules.SUITE.length} scenarios (embedded)`,
    value: fmt(t / 1000, 's'),
    ceiling: '',
    ratio: '',
    target: '≤ 10 s',
    ok: t <= 10_000,
    ...(failures ? { note: `${failures} scenario results were not pass` } : {}),
  });
}
