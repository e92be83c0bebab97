/** What every section of `npm run bench` is told. */
export interface BenchOptions {
  quick: boolean;
  runs: number;
}

/** The seed of every fleet `npm run bench` makes (the 10M run has its own). */
export const SEED = 1;

/** Progress lines go to stderr; the table goes to stdout. */
export const log = (line: string): void => {
  process.stderr.write(`bench: ${line}\n`);
};
