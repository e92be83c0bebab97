import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { RunResult } from '../contract/result-model.js';
import { toHtml } from './html.js';
import { toJsonReport } from './json.js';
import { toJUnitXml } from './junit.js';
import { toMarkdown } from './markdown.js';

export interface ReportPaths {
  junit: string;
  json: string;
  markdown: string;
  html: string;
}

export const REPORT_FILE_NAMES: Readonly<ReportPaths> = {
  junit: 'junit.xml',
  json: 'report.json',
  markdown: 'report.md',
  html: 'report.html',
};

/** Writes all four reports into `dir` (created if missing) and returns their absolute paths. */
export async function writeReports(run: RunResult, dir: string): Promise<ReportPaths> {
  const base = resolve(dir);
  await mkdir(base, { recursive: true });
  const paths: ReportPaths = {
    junit: join(base, REPORT_FILE_NAMES.junit),
    json: join(base, REPORT_FILE_NAMES.json),
    markdown: join(base, REPORT_FILE_NAMES.markdown),
    html: join(base, REPORT_FILE_NAMES.html),
  };
  // Render everything before writing anything, so a rendering bug leaves no half-written set.
  const contents: ReportPaths = { junit: toJUnitXml(run), json: toJsonReport(run), markdown: toMarkdown(run), html: toHtml(run) };
  await Promise.all(
    (Object.keys(paths) as (keyof ReportPaths)[]).map((kind) => writeFile(paths[kind], contents[kind], 'utf8')),
  );
  return paths;
}
