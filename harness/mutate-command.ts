import { writeFile } from 'node:fs/promises';
import { REQUIREMENTS } from '../scenarios/requirements.js';
import { integerOption, parseCommandArgs } from './cli-options.js';
import { MUTANTS } from './mutants/index.js';
import { scoreLines } from './mutants/report.js';
import { DEFAULT_FUZZ_BUDGET, isCaught, scoreMutants } from './mutants/score.js';
import { UsageError } from '../contract/usage-error.js';

export const MUTATE_HELP = `Usage: lockstep mutate [options]

Mutation testing of the conformance suite and the fuzzer: runs both against a catalogue of
deliberately wrong MDMs (each the reference, wrapped to be wrong in one plausible way on one
catalogue row) and prints the mutation score for each, by row and by mutant, naming the
check that caught it. A mutant counts as caught only when a check naming its row fails.

Options:
  --row ID               only mutants of this row (repeatable), e.g. --row DL-6
  --mutant ID            only this mutant (repeatable; a prefix such as dl-6/ selects a group)
  --no-suite             skip the suite
  --no-fuzz              skip the fuzzer
  --fuzz-runs N          fuzz sequences per mutant (default ${DEFAULT_FUZZ_BUDGET.runs})
  --fuzz-time-budget S   seconds of fuzzing per mutant at most (default ${DEFAULT_FUZZ_BUDGET.timeBudgetMs / 1000})
  --seed N               seed for the suite and the fuzzer (default 1)
  --json FILE            also write the verdicts as JSON
  --list                 list the catalogue and exit
  -h, --help             this help

Exit status: 0 every selected mutant caught by the suite or the fuzzer, 1 a mutant survived, 2 usage error.`;

export async function mutateCommand(argv: string[], out: (line: string) => void = (l) => process.stdout.write(l + '\n')): Promise<number> {
  const values = parseCommandArgs('mutate', argv, {
    row: { type: 'string', multiple: true },
    mutant: { type: 'string', multiple: true },
    'no-suite': { type: 'boolean' },
    'no-fuzz': { type: 'boolean' },
    'fuzz-runs': { type: 'string' },
    'fuzz-time-budget': { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'string' },
    list: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    out(MUTATE_HELP);
    return 0;
  }
  const rows = values.row ?? [];
  for (const row of rows) if (!REQUIREMENTS.some((r) => r.id === row)) throw new UsageError(`--row '${row}' is not a catalogue row (e.g. DL-6, TP-3)`);
  const ids = values.mutant ?? [];
  const selected = MUTANTS.filter((m) => (!rows.length || rows.includes(m.row)) && (!ids.length || ids.some((id) => m.id === id || m.id.startsWith(id))));
  if (!selected.length) throw new UsageError('no mutant matches --row/--mutant (see lockstep mutate --list)');
  if (values.list) {
    for (const m of selected) out(`${m.id.padEnd(58)} ${m.row.padEnd(6)} ${m.bug}`);
    return 0;
  }
  if (values['no-suite'] && values['no-fuzz']) throw new UsageError('--no-suite and --no-fuzz leave nothing to run');
  const seed = integerOption('--seed', values.seed, 1, 0, 2 ** 31 - 1);
  const runs = integerOption('--fuzz-runs', values['fuzz-runs'], DEFAULT_FUZZ_BUDGET.runs, 1, 100_000);
  const budgetS = integerOption('--fuzz-time-budget', values['fuzz-time-budget'], DEFAULT_FUZZ_BUDGET.timeBudgetMs / 1000, 1, 3600);

  const started = performance.now();
  const verdicts = await scoreMutants(selected, {
    seed,
    suite: !values['no-suite'],
    fuzz: values['no-fuzz'] ? null : { runs, timeBudgetMs: budgetS * 1000 },
    onVerdict: (v, i, total) => out(`[${i + 1}/${total}] ${isCaught(v) ? 'caught  ' : 'SURVIVED'} ${v.mutant.id}`),
  });
  out('');
  for (const line of scoreLines(verdicts)) out(line);
  out(`(${selected.length} mutants, seed ${seed}, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  if (values.json) {
    const json = verdicts.map((v) => ({ id: v.mutant.id, row: v.mutant.row, bug: v.mutant.bug, suite: v.suite, fuzz: v.fuzz }));
    await writeFile(values.json, JSON.stringify({ seed, verdicts: json }, null, 2) + '\n');
  }
  return verdicts.every(isCaught) ? 0 : 1;
}
