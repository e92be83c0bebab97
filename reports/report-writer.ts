import type { RunResult } from '../contract/result-model.js';

/**
 * One report format. Adding a format is one module exporting a ReportWriter, listed once in
 * REPORT_WRITERS (reports/registry.ts); writeReports, the CLI's summary and the docs follow.
 */
export interface ReportWriter {
  /** Short key, e.g. "junit"; also the key of the path writeReports returns. */
  id: string;
  /** File name inside the report directory. */
  fileName: string;
  /** Who reads it, for `lockstep run --help` and the closing summary. */
  audience: string;
  /** The whole file's text. Must not throw on any RunResult, and must not print secrets (there are none in the model). */
  render(run: RunResult): string;
}
