import { defineConfig } from 'vitest/config';

// Only the unit tests of the benchmark's own helpers: the benchmarks themselves run with `pnpm bench`.
export default defineConfig({ test: { name: 'bench', include: ['src/**/*.test.ts'] } });
