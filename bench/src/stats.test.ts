import { describe, expect, it } from 'vitest';
import { percentile, ratio, replyAccounting, slope, summarize } from './stats.js';

describe('percentile (nearest rank)', () => {
  it('picks the smallest sample with at least p% at or below it', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted on purpose
    expect(percentile(samples, 50)).toBe(50);
    expect(percentile(samples, 95)).toBe(95);
    expect(percentile(samples, 99)).toBe(99);
    expect(percentile(samples, 100)).toBe(100);
    expect(percentile(samples, 0)).toBe(1);
  });

  it('handles small and empty series', () => {
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([], 50)).toBeNaN();
    expect(() => percentile([1], 101)).toThrow(RangeError);
  });
});

describe('summarize and ratio', () => {
  it('gives p50/p95/p99, mean, min and max, rounded to 0.01 ms', () => {
    expect(summarize([3, 1, 2, 10.005])).toEqual({ count: 4, p50Ms: 2, p95Ms: 10.01, p99Ms: 10.01, meanMs: 4, minMs: 1, maxMs: 10.01 });
    expect(summarize([]).p50Ms).toBeNaN();
  });

  it('divides to two decimals, NaN without a positive divisor', () => {
    expect(ratio(30, 24)).toBe(1.25);
    expect(ratio(1, 0)).toBeNaN();
  });
});

describe('slope', () => {
  it('fits bytes per idle conversation through noisy points', () => {
    expect(slope([{ x: 0, y: 100 }, { x: 500, y: 600 }, { x: 1000, y: 1100 }])).toBeCloseTo(1);
    expect(slope([{ x: 10, y: 1 }, { x: 10, y: 2 }])).toBeNaN();
  });
});

describe('replyAccounting', () => {
  it('counts lost, duplicated and unexpected replies', () => {
    expect(replyAccounting(['a', 'b', 'c'], ['a', 'b', 'c'])).toEqual({ lost: 0, duplicated: 0, unexpected: 0 });
    expect(replyAccounting(['a', 'b', 'c'], ['a', 'a', 'c', 'x'])).toEqual({ lost: 1, duplicated: 1, unexpected: 1 });
  });
});
