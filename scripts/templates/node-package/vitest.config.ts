import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: '__PACKAGE__', include: ['src/**/*.test.ts'] } });
