import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, startDevServer } from '@baton/engine/dev-server';
import { createBot, openConversation, sendAndWait } from '../api.js';
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
  /** `BATON_WORKFLOW_CACHE_SIZE` of the worker; null: Temporal's default. */
  cacheSize: number | null;
  points: MemoryPoint[];
  /** Marginal RSS per idle conversation (least-squares slope over the points), KiB. */
  workerKiBPerConversation: number;
  apiKiBPerConversation: number;
  temporalKiBPerConversation: number;
  createSeconds: number;
  errors: number;
  firstError?: string;
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
 * `cacheSize` bounds the worker's cache of conversations (`BATON_WORKFLOW_CACHE_SIZE`).
 */
export async function memory(
  options: { cliPath: string; counts: readonly number[]; concurrency: number; env: Record<string, string>; token: string; cacheSize?: number },
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
    const worker = spawnBaton('worker', { ...env, ...(options.cacheSize === undefined ? {} : { BATON_WORKFLOW_CACHE_SIZE: String(options.cacheSize) }) });
    stops.push(() => worker.stop());
    await worker.waitFor(/Baton worker is running/, 120_000);
    const botId = await createBot(url, options.token, representativeFlow(0), { publish: true });
    const target = batonTarget(url, botId);
    const pids = { worker: worker.pid, api: api.pid, temporal: dev.child.pid! };
    const points: MemoryPoint[] = [];
    let opened = 0;
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
    const perConversation = (key: 'workerMiB' | 'apiMiB' | 'temporalMiB') => round((slope(points.map((p) => ({ x: p.idleConversations, y: p[key] }))) * 1024) || 0, 1);
    return {
      cacheSize: options.cacheSize ?? null,
      points,
      workerKiBPerConversation: perConversation('workerMiB'),
      apiKiBPerConversation: perConversation('apiMiB'),
      temporalKiBPerConversation: perConversation('temporalMiB'),
      createSeconds: round(createMs / 1000, 1),
      errors,
      ...(firstError ? { firstError } : {}),
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}
