import { describe, expect, it } from 'vitest';
import { MIN_CACHE_SIZE, workerMemoryMiB, workflowCacheSize } from './cache-size.js';

describe('workflowCacheSize', () => {
  it('gives the cache half of what is left after the base, at 256 KiB a conversation', () => {
    expect(workflowCacheSize(4096)).toBe(7680);
    expect(workflowCacheSize(1024)).toBe(1536);
    expect(workflowCacheSize(512)).toBe(512);
  });

  it('never goes below the minimum, however little memory', () => {
    expect(workflowCacheSize(300)).toBe(MIN_CACHE_SIZE);
    expect(workflowCacheSize(0)).toBe(MIN_CACHE_SIZE);
  });

  it('grows with the memory given', () => {
    const sizes = [512, 1024, 2048, 8192].map(workflowCacheSize);
    expect([...sizes].sort((a, b) => a - b)).toEqual(sizes);
  });
});

describe('workerMemoryMiB', () => {
  it('takes the configured memory first', () => {
    expect(workerMemoryMiB(768)).toEqual({ mib: 768, source: 'BATON_WORKER_MEMORY_MB' });
  });

  it('otherwise reads the process’s limits (heap, or a smaller container limit)', () => {
    const found = workerMemoryMiB();
    expect(['heap', 'cgroup']).toContain(found.source);
    expect(found.mib).toBeGreaterThan(64);
  });
});
