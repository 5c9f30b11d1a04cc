import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'test',
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['./support/temporal.global-setup.ts'],
    // The Temporal SDK's native runtime needs one process per test file (threads segfault at exit).
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
