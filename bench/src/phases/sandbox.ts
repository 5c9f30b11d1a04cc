import path from 'node:path';
import { startDevServer } from '@baton/engine/dev-server';
import { repoRoot, spawnChild } from '../processes.js';
import { round } from '../stats.js';

export interface SandboxResult {
  count: number;
  /**
   * Marginal RSS per cached idle workflow, KiB: bundles that import more and more (the SDK alone,
   * zod with one schema, the node declarations with their schemas), and Baton's own conversation
   * workflow idle in a wait.
   */
  kibPerWorkflow: { bare: number; zod: number; nodes: number; baton?: number };
}

/**
 * What a cached workflow costs in Temporal's workflow sandbox, by what its bundle imports: the
 * SDK alone, zod with one schema, the node declarations (zod, every built-in node, the registry),
 * and Baton's conversation workflow as it is deployed. Each bundle runs in its own process on a dev
 * server of its own; the same `count` of idle workflows is started on each.
 */
export async function sandbox(cliPath: string, count: number): Promise<SandboxResult> {
  const dev = await startDevServer({ cliPath });
  try {
    const kib: Partial<SandboxResult['kibPerWorkflow']> = {};
    for (const bundle of ['bare', 'zod', 'nodes', 'baton'] as const) {
      const child = spawnChild(`sandbox ${bundle}`, process.execPath, ['--import', 'tsx', path.join(repoRoot, 'bench', 'src', 'sandbox', 'measure.ts'), bundle, String(count)], {
        TEMPORAL_ADDRESS: dev.address,
      });
      const line = (await child.waitFor(/^\{"bundle".*\}$/, 240_000))[0];
      await child.stop();
      const measured = JSON.parse(line) as { rssBeforeMiB: number; rssAfterMiB: number };
      kib[bundle] = round(((measured.rssAfterMiB - measured.rssBeforeMiB) * 1024) / count, 0);
    }
    return { count, kibPerWorkflow: kib as SandboxResult['kibPerWorkflow'] };
  } finally {
    await dev.stop();
  }
}
