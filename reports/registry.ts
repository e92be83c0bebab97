import { htmlReport } from './html.js';
import { jsonReport } from './json.js';
import { junitReport } from './junit.js';
import { markdownReport } from './markdown.js';
import type { ReportWriter } from './report-writer.js';

/** Every report format lockstep writes, in the order they are listed to users. */
export const REPORT_WRITERS: readonly ReportWriter[] = [junitReport, jsonReport, markdownReport, htmlReport];
