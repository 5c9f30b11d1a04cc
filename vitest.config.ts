import { defineConfig } from 'vitest/config';

// One run over every package. Tests that need Temporal share one dev server, started once by
// test/support/temporal.global-setup.ts (see README "Tests").
export default defineConfig({
  test: {
    projects: ['nodes', 'engine', 'server', 'editor', 'test'],
  },
});
