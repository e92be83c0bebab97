import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{contract,simulator,scenarios,harness,reports,bench}/**/*.test.{ts,tsx}'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
