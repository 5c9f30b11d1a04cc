import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startDevServer } from '@baton/engine/dev-server';
import { createBot, openConversation, sendAndWait, type Conversation } from '../api.js';
import { representativeFlow } from '../flows.js';
import { batonStarted, rssBytes, sleep, spawnBaton } from '../processes.js';
import { median, round, slope } from '../stats.js';
import { batonTarget, mapLimit } from '../targets.js';

export interface MemoryPoint {
  idleConversations: number;
  workerMiB: number;
  apiMiB: number;
  temporalMiB: number;
}

export interface MemoryResult {
  /** How the worker was set up (its memory or cache settings), as the report shows it. */
  label: string;
  /** The worker's cache of conversations, as it logged it at start. */
  cacheSize: number | null;
  points: MemoryPoint[];
  /** Marginal RSS per idle conversation (least-squares slope over the points), KiB. */
  workerKiBPerConversation: number;
  apiKiBPerConversation: number;
  temporalKiBPerConversation: number;
  createSeconds: number;
  errors: number;
  firstError?: string;
  /** The first conversations opened, long evicted from the cache, asked again at the end: answered right, and how fast. */
  evicted?: { asked: number; answered: number; p50Ms: number };
}

const MiB = 1024 * 1024;

/** Median of a few RSS samples of each process, half a second apart, after a pause to settle. */
async function sample(pids: { worker: number; api: number; temporal: number }, idle: number): Promise<MemoryPoint> {
  await sleep(3000);
  const rows: { worker: number; api: number; temporal: number }[] = [];
  for (let i = 0; i < 5; i++) {
    rows.push({ worker: rssBytes(pids.worker) ?? Number.NaN, api: rssBytes(pids.api) ?? Number.NaN, temporal: rssBytes(pids.temporal) ?? Number.NaN });
    await sleep(500);
  }
  const mib = (key: 'worker' | 'api' | 'temporal') => round(median(rows.map((r) => r[key])) / MiB, 1);
  return { idleConversations: idle, workerMiB: mib('worker'), apiMiB: mib('api'), temporalMiB: mib('temporal') };
}

/**
 * Baton split in two processes (`baton api` and `baton worker`) on a Temporal dev server of its
 * own, so that the server's and the worker's RSS are measured apart. Conversations are opened
 * and answered once each (then idle in `wait_for_reply`, a timer armed), up to each of `counts`.
 * `workerEnv` sets the worker up (`BATON_WORKER_MEMORY_MB`, `BATON_WORKFLOW_CACHE_SIZE`);
 * `askEvicted` conversations of the first opened are asked again at the end.
 */
export async function memory(
  options: {
    cliPath: string;
    counts: readonly number[];
    concurrency: number;
    env: Record<string, string>;
    token: string;
    label: string;
    workerEnv?: Record<string, string>;
    askEvicted?: number;
  },
  log: (line: string) => void,
  signal: AbortSignal,
): Promise<MemoryResult> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'baton-bench-memory-'));
  const dev = await startDevServer({ cliPath: options.cliPath, dbFile: path.join(dataDir, 'temporal.db') });
  const env = { ...options.env, BATON_DATA_DIR: dataDir, TEMPORAL_ADDRESS: dev.address };
  const api = spawnBaton('api', { ...env, PORT: String(await freePort()) });
  const stops: (() => Promise<unknown>)[] = [() => dev.stop(), () => api.stop()];
  try {
    const { url } = await batonStarted(api, 120_000);
    const worker = spawnBaton('worker', { ...env, ...options.workerEnv });
    stops.push(() => worker.stop());
    const cacheLine = await worker.waitFor(/worker cache.*"conversations":(\d+)/, 120_000);
    await worker.waitFor(/Baton worker is running/, 120_000);
    const botId = await createBot(url, options.token, representativeFlow(0), { publish: true });
    const target = batonTarget(url, botId);
    const pids = { worker: worker.pid, api: api.pid, temporal: dev.child.pid! };
    const points: MemoryPoint[] = [];
    let opened = 0;
    const first: Conversation[] = [];
    let errors = 0;
    let firstError: string | undefined;
    let createMs = 0;
    for (const count of options.counts) {
      if (signal.aborted) break;
      const started = performance.now();
      await mapLimit(Array.from({ length: count - opened }), options.concurrency, async (_, i) => {
        if (signal.aborted) return;
        try {
          // No need to wait for the greeting: the message is answered after it.
          const conversation = await openConversation(url, botId);
          if (opened + i < (options.askEvicted ?? 0)) first.push(conversation);
          const exchange = await sendAndWait(url, target.messagesPath(conversation), `hello ${opened + i}`, 'm1', target.bearer(conversation));
          if (!exchange.ok) {
            errors += 1;
            firstError ??= exchange.error;
          }
        } catch (error) {
          errors += 1;
          firstError ??= String(error);
        }
      });
      createMs += performance.now() - started;
      opened = count;
      points.push(await sample(pids, count));
      log(`  ${count} idle conversations: worker ${points.at(-1)!.workerMiB} MiB, api ${points.at(-1)!.apiMiB} MiB, temporal ${points.at(-1)!.temporalMiB} MiB`);
    }
    let evicted: MemoryResult['evicted'];
    if (options.askEvicted && !signal.aborted) {
      // Out of the cache long ago: each answers after a replay of its history.
      const exchanges = await mapLimit(first, 5, (conversation) => sendAndWait(url, target.messagesPath(conversation), 'still there?', 'm2', target.bearer(conversation)));
      const answered = exchanges.filter((e) => e.ok && e.replies.length === 1 && e.replies[0] === target.expected('still there?')[0]).length;
      evicted = { asked: first.length, answered, p50Ms: round(median(exchanges.map((e) => e.ms)), 1) };
      log(`  ${answered} of ${first.length} evicted conversations answered again (p50 ${evicted.p50Ms} ms)`);
    }
    const perConversation = (key: 'workerMiB' | 'apiMiB' | 'temporalMiB') => round((slope(points.map((p) => ({ x: p.idleConversations, y: p[key] }))) * 1024) || 0, 1);
    return {
      label: options.label,
      cacheSize: Number(cacheLine[1]),
      points,
      workerKiBPerConversation: perConversation('workerMiB'),
      apiKiBPerConversation: perConversation('apiMiB'),
      temporalKiBPerConversation: perConversation('temporalMiB'),
      createSeconds: round(createMs / 1000, 1),
      errors,
      ...(firstError ? { firstError } : {}),
      ...(evicted ? { evicted } : {}),
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
