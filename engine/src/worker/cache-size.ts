import { readFileSync } from 'node:fs';
import v8 from 'node:v8';

/**
 * What one conversation kept in the worker's cache costs, with room to spare: an idle one measured
 * 150–160 KiB of RSS (docs/benchmarks.md, memory); long variables and histories weigh more.
 */
export const CACHED_CONVERSATION_KIB = 256;
/** What the worker needs besides its cache of conversations (the SDK, the activities, the bundle). */
export const WORKER_BASE_MIB = 256;
/** The share of what is left that the cache may take. */
export const CACHE_SHARE = 0.5;
/** Fewer cached conversations than this would replay histories for every message. */
export const MIN_CACHE_SIZE = 100;

/** Where the worker's memory budget came from. */
export type MemorySource = 'BATON_WORKER_MEMORY_MB' | 'cgroup' | 'heap';

/**
 * How many conversations a worker keeps in memory between messages (Temporal's sticky cache),
 * from the memory it is given: half of what is left after a 256 MiB base, at 256 KiB each, and
 * never fewer than 100. A conversation out of the cache is not lost: it is replayed from its
 * history at its next message.
 *
 * @example
 * workflowCacheSize(4096) // 7680: a 4 GiB worker keeps 7,680 conversations, about 1.2 GiB of them
 * workflowCacheSize(512)  // 512
 */
export function workflowCacheSize(memoryMiB: number): number {
  const forCache = Math.max(0, memoryMiB - WORKER_BASE_MIB) * CACHE_SHARE;
  return Math.max(MIN_CACHE_SIZE, Math.floor((forCache * 1024) / CACHED_CONVERSATION_KIB));
}

/**
 * The memory this worker may use, MiB: `BATON_WORKER_MEMORY_MB` when set, else the smaller of the
 * container's limit (cgroup v2 or v1) and the JavaScript heap limit of this process (Node's
 * default, or `--max-old-space-size`), where the workflow sandbox keeps the cached conversations.
 */
export function workerMemoryMiB(configured?: number): { mib: number; source: MemorySource } {
  if (configured !== undefined) return { mib: configured, source: 'BATON_WORKER_MEMORY_MB' };
  const heap = Math.floor(v8.getHeapStatistics().heap_size_limit / 1024 / 1024);
  const cgroup = cgroupLimitMiB();
  return cgroup !== undefined && cgroup < heap ? { mib: cgroup, source: 'cgroup' } : { mib: heap, source: 'heap' };
}

function cgroupLimitMiB(): number | undefined {
  for (const file of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const raw = readFileSync(file, 'utf8').trim();
      const bytes = Number(raw);
      // "max" (v2) or a huge number (v1) mean no limit.
      if (Number.isFinite(bytes) && bytes > 0 && bytes < 2 ** 50) return Math.floor(bytes / 1024 / 1024);
    } catch {
      // Not in a cgroup with a memory controller.
    }
  }
  return undefined;
}
