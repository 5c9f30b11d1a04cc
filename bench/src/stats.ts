/** Latency figures of one series of round trips, in milliseconds. */
export interface Percentiles {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  meanMs: number;
  minMs: number;
  maxMs: number;
}

/**
 * The `p`-th percentile (0–100) by the nearest-rank method: the smallest sample with at least
 * p% of the samples at or below it. `NaN` for no samples.
 *
 * @example percentile([1, 2, 3, 4], 50) // 2
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function summarize(samples: readonly number[]): Percentiles {
  const count = samples.length;
  if (count === 0) return { count, p50Ms: Number.NaN, p95Ms: Number.NaN, p99Ms: Number.NaN, meanMs: Number.NaN, minMs: Number.NaN, maxMs: Number.NaN };
  return {
    count,
    p50Ms: round(percentile(samples, 50)),
    p95Ms: round(percentile(samples, 95)),
    p99Ms: round(percentile(samples, 99)),
    meanMs: round(samples.reduce((sum, x) => sum + x, 0) / count),
    minMs: round(Math.min(...samples)),
    maxMs: round(Math.max(...samples)),
  };
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}

/** `a / b` to two decimals; `NaN` when `b` is not positive. */
export function ratio(a: number, b: number): number {
  return b > 0 ? round(a / b, 2) : Number.NaN;
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * Least-squares slope of y over x (e.g. bytes of RSS per idle conversation from a few
 * (count, rss) points). `NaN` when x does not vary.
 */
export function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    num += (p.x - mx) * (p.y - my);
    den += (p.x - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Sums of per-turn reply counts keyed by message: how many were missing or came more than once. */
export function replyAccounting(expected: readonly string[], received: readonly string[]): { lost: number; duplicated: number; unexpected: number } {
  const counts = new Map<string, number>();
  for (const r of received) counts.set(r, (counts.get(r) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  for (const e of expected) {
    const n = counts.get(e) ?? 0;
    if (n === 0) lost += 1;
    else if (n > 1) duplicated += n - 1;
    counts.delete(e);
  }
  let unexpected = 0;
  for (const n of counts.values()) unexpected += n;
  return { lost, duplicated, unexpected };
}
