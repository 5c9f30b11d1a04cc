import { defineConfig } from 'vitest/config';

// The transcript test runs on the real engine: it shares the Temporal dev server (and the workflow
// bundle) that the repository's global setup starts once for the whole `pnpm test` run.
export default defineConfig({
  test: {
    name: 'order-status',
    include: ['src/**/*.test.ts'],
    globalSetup: ['../../../test/support/temporal.global-setup.ts'],
    // The Temporal SDK's native runtime needs one process per test file.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
