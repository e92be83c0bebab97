import { defineConfig } from 'vitest/config';

const AREAS = '{contract,simulator,scenarios,harness,reports,bench}';

/**
 * The slow part (project `e2e`): real HTTP servers and child processes, terminal UIs, the
 * run/fuzz/watch commands, whole-suite and fuzz runs, the fleet benchmark's own test. A new
 * slow test is named `*.e2e.test.ts` (or .tsx); everything else is `unit`.
 */
const E2E = [
  `${AREAS}/**/*.e2e.test.{ts,tsx}`,
  'bench/fleet-reset.test.ts',
  'harness/event-stream.test.ts',
  'harness/fuzz/fuzz-command.test.ts',
  'harness/fuzz/fuzz.test.ts',
  'harness/fuzz/model.test.ts',
  'harness/cli-lazy.test.ts',
  'harness/mutants/score.test.ts',
  'harness/mutate-command.test.ts',
  'harness/run-command.test.ts',
  'harness/run-verdict.test.ts',
  'harness/run-timeouts.test.ts',
  'harness/serve-reliability-flags.test.ts',
  'simulator/mdm/reliability/*.test.ts',
  'simulator/mdm/durable/journal.test.ts',
  'harness/ui/key-latency.test.ts',
  'harness/ui/fleet-source.test.ts',
  'harness/ui/run-app.test.tsx',
  'harness/ui/run-ui-switch.test.ts',
  'harness/ui/watch-app.test.tsx',
  'harness/ui/watch-command.test.ts',
  'harness/wrong-targets.test.ts',
  'harness/suite-against-reference.test.ts',
  'simulator/mdm/auth.test.ts',
  'simulator/mdm/sharding/sharding.test.ts',
  'harness/haproxy.test.ts',
  'harness/deploy-manifests.test.ts',
];

// `npm test` runs both projects; `npm run test:unit` only `unit`, `npm run test:e2e` only `e2e`.
export default defineConfig({
  test: {
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      // Unit files share worker threads and their loaded modules (no per-file isolation): about
      // 3x faster here. A unit test that changes global state (a listener, a spy) undoes it itself.
      { extends: true, test: { name: 'unit', include: [`${AREAS}/**/*.test.{ts,tsx}`], exclude: E2E, pool: 'threads', isolate: false } },
      { extends: true, test: { name: 'e2e', include: E2E } },
    ],
  },
});
