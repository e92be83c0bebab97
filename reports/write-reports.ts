import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunResult } from '../contract/result-model.js';
import { REPORT_WRITERS } from './registry.js';
import type { ReportWriter } from './report-writer.js';

/** Writer id → absolute path of the file written. */
export type ReportPaths = Record<string, string>;

/** Writes every registered report into `dir` (created if missing) and returns their absolute paths. */
export async function writeReports(run: RunResult, dir: string, writers: readonly ReportWriter[] = REPORT_WRITERS): Promise<ReportPaths> {
  const base = resolve(dir);
  await mkdir(base, { recursive: true });
  // Render everything before writing anything, so a rendering bug leaves no half-written set.
  const rendered = writers.map((w) => ({ id: w.id, path: join(base, w.fileName), text: w.render(run) }));
  await Promise.all(rendered.map((r) => writeFile(r.path, r.text, 'utf8')));
  return Object.fromEntries(rendered.map((r) => [r.id, r.path]));
}

/** The report file names, for messages: "junit.xml, report.json, report.md, report.html". */
export function reportFileList(writers: readonly ReportWriter[] = REPORT_WRITERS): string {
  return writers.map((w) => w.fileName).join(', ');
}

const PROBE_TIMEOUT_MS = 2000;

/**
 * Checks before any work that reports can be written to `dir`: creates it and writes and removes
 * a probe file. Throws a one-line reason. Bounded in time, because some paths (e.g. under /proc)
 * can block instead of failing.
 */
export async function assertWritableDir(dir: string): Promise<void> {
  const base = resolve(dir);
  if (/^\/(proc|sys|dev)(\/|$)/.test(base)) throw new Error(`--out ${dir}: ${base} is a kernel file system, not a directory for reports`);
  const probe = join(base, `.lockstep-write-check-${process.pid}`);
  const attempt = (async () => {
    await mkdir(base, { recursive: true });
    const handle = await open(probe, 'w');
    await handle.close();
    await rm(probe, { force: true });
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from the file system within ${PROBE_TIMEOUT_MS / 1000} s`)), PROBE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    await Promise.race([attempt, timeout]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new Error(`--out ${dir} is not a writable directory: ${e.code ?? e.message.split('\n')[0]}`);
  } finally {
    clearTimeout(timer);
  }
}
