/** What every section of `npm run bench` is told. */
export interface BenchOptions {
  quick: boolean;
  runs: number;
}
