import type { Machine } from './machine.js';
import type { Breakdown } from './phases/breakdown.js';
import type { EditorResult } from './phases/editor.js';
import type { SeriesResult } from './phases/latency.js';
import type { MemoryResult } from './phases/memory.js';
import type { SandboxResult } from './phases/sandbox.js';
import type { ThroughputResult } from './phases/throughput.js';

export interface Settings {
  latency: { messages: number; perConversation: number; warmup: number };
  defaultWindow: { messages: number };
  throughput: { levels: number[]; messagesEach: number; sendForS: number };
  /** `counts`: the run with the worker's default memory; `bounded…`: the run with a worker given `boundedMemoryMiB`, past its cache. */
  memory: { counts: number[]; boundedMemoryMiB: number; boundedCounts: number[]; askEvicted: number; concurrency: number };
  editor: { nodes: number; loads: number; panMs: number };
  sandbox: { workflows: number };
  /** Always 0 for the headline figures: see `defaultBurstWindow`. */
  burstWindowMs: 0;
  note: string;
}

/** What `pnpm bench` writes to bench/results/*.json. */
export interface Results {
  schemaVersion: 1;
  quick: boolean;
  startedAt: string;
  durationS: number;
  machine: Machine;
  settings: Settings;
  /** Baton (this checkout), sequential `?wait=true` round trips. */
  baton: SeriesResult | null;
  /** The floor: a minimal Temporal workflow answering update-with-start, same dev server, same client. */
  floor: SeriesResult | null;
  /**
   * The floor whose reply comes from one activity asking the same fake LLM: the shape any design
   * calling a model from a durable workflow has (update, activity, second workflow task).
   * `ratioP50` is Baton's p50 over its p50.
   */
  floorActivity: (SeriesResult & { ratioP50: number | null }) | null;
  /** Baton's percentiles over the floor's. */
  ratioP50: number | null;
  ratioP95: number | null;
  ratioP99: number | null;
  /** With `--baseline=<dir>`: Baton from that checkout (its own embedded stack), interleaved with the others. */
  baseline: (SeriesResult & { dir: string; ratioP50: number | null }) | null;
  /** The same flow with the default burst window (1 s): what coalescing costs per turn. */
  defaultBurstWindow: SeriesResult | null;
  breakdown: { baton: Breakdown; floor: Breakdown; floorActivity?: Breakdown; baseline?: Breakdown } | null;
  throughput: ThroughputResult[];
  /** The default run, then the bounded one. */
  memory: MemoryResult[];
  startup: { coldMs: number | null; warmMs: number | null };
  editor: EditorResult | null;
  /** Memory of a cached idle workflow by what its bundle imports (why an idle conversation costs what it does). */
  sandbox: SandboxResult | null;
  /** Phases that failed or checks that did not hold (errors, lost or duplicate replies). */
  failures: { phase: string; message: string }[];
}
