import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../support/temporal.js';

// The workflow sandbox evaluates every module of the bundle again for each conversation it keeps
// in memory: a schema library there costs memory per conversation (docs/benchmarks.md, sandbox).
describe('the conversation workflow bundle', () => {
  const code = readFileSync(workflowBundle().codePath, 'utf8');
  const modules = [...new Set([...code.matchAll(/"((?:\.\.?\/)[^"\n]*?\.(?:ts|js|cjs|mjs))"/g)].map((m) => m[1]!))];

  it('runs the nodes’ steps from the schema-free runtime entry', () => {
    expect(modules.length).toBeGreaterThan(50);
    expect(modules.some((m) => m.endsWith('/nodes/src/runtime.ts'))).toBe(true);
    expect(modules.some((m) => m.endsWith('/nodes/src/builtin/llm-reply/llm-reply.step.ts'))).toBe(true);
  });

  it('holds no schema library and no node declaration', () => {
    expect(modules.filter((m) => /\/zod[@/]/.test(m))).toEqual([]);
    expect(modules.filter((m) => /\.node\.ts$|flow-document\.ts$|service-hours\/schema\.ts$/.test(m))).toEqual([]);
  });
});
