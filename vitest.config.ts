import { defineConfig } from 'vitest/config';

// One run over every package. Tests that need Temporal share one dev server, started once by
// test/support/temporal.global-setup.ts (see README "Tests"); the example node packages
// (nodes/examples/*, each with its own vitest.config.ts) reuse the same setup and server.
export default defineConfig({
  test: {
    projects: [
      'nodes',
      'engine',
      'server',
      'editor',
      'test',
      'nodes/examples/*',
      // Unit tests of the benchmark's helpers only (the benchmarks run with `pnpm bench`).
      'bench',
      // The repository's own scripts (no package of their own, no Temporal).
      { test: { name: 'scripts', include: ['scripts/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 } },
    ],
  },
});
