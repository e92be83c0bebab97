// How the report.html screenshots in the README were made (docs only, not a test):
//   npx tsc -p tsconfig.json --noEmit false --outDir /tmp/ls-build --incremental false
//   cp docs/screens/make-failing-report.mjs /tmp/ls-build/ && ln -s "$PWD/node_modules" /tmp/ls-build/
//   node /tmp/ls-build/make-failing-report.mjs /tmp/shot-report
//   chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
//     --disable-sync --no-first-run --user-data-dir=$(mktemp -d) --hide-scrollbars --window-size=1280,1400 \
//     --screenshot=docs/screens/report-html-top.png file:///tmp/shot-report/report.html
// (the evidence shot opens every <details class="evidence"> and hides the other panels first).
// A failing run for the README's report.html screenshots: the suite against a vendor server with
// three deliberate bugs, compared with last week's run (a different bug), so the page shows the
// verdict, both matrices, the comparison and evidence.
import { embeddedTarget } from './harness/targets.js';
import { runSuite } from './harness/runner.js';
import { SUITE } from './scenarios/suite.js';
import { WRONG_TARGETS } from './harness/test-support/wrong-targets.js';
import { compareRuns } from './reports/diff.js';
import { writeReports } from './reports/write-reports.js';
const chain = (...wraps) => (fetch, mdm) => wraps.reduce((f, w) => w(f, mdm), fetch);
const scenarios = SUITE.filter((s) => s.area !== 'fleet' || s.id === 'fleet/lock-mixed-1000');
async function runOn(wrap) {
  const target = await embeddedTarget({ seed: 1, wrapFetch: wrap, recordCoverage: true });
  try {
    return await runSuite({ scenarios, client: target.client, target: { kind: 'http', url: 'https://mdm.vendor.example' }, seed: 1, version: '0.1.0', transitionCoverage: target.transitionCoverage });
  } finally { await target.close(); }
}
const lastWeek = await runOn(chain(WRONG_TARGETS.reportsDoneForModernDeviceAdminReset, WRONG_TARGETS.locksAospWithoutPolicy));
const thisWeek = await runOn(chain(WRONG_TARGETS.readOnlyMayReset, WRONG_TARGETS.locksAospWithoutPolicy, WRONG_TARGETS.showsPasscodeAfterSevenDays));
const run = { ...thisWeek, comparison: compareRuns(lastWeek, thisWeek, 'last-week/report.json') };
await writeReports(run, process.argv[2]);
console.log(run.summary, run.comparison.newFailures.length, run.comparison.fixed.length);
process.exit(0);
