// One bundle of the sandbox benchmark, in a process of its own (so that its RSS is its alone):
// a worker for `<bundle>.workflow.ts` (or, for `baton`, Baton's own conversation workflow) on
// TEMPORAL_ADDRESS, then COUNT workflows started and left idle in the worker's cache; prints
// `{"bundle", "count", "rssBeforeMiB", "rssAfterMiB"}`.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { workflowsPath as conversationWorkflowsPath, type ConversationActivities } from '@baton/engine/worker';
import { builtinNodes, compileFlow, createRegistry, flowDocumentSchema, pinFlow } from '@baton/nodes';
import { representativeFlow } from '../flows.js';

const BUNDLES = ['bare', 'zod', 'nodes', 'baton'];
const [bundle, countArg] = process.argv.slice(2);
const address = process.env['TEMPORAL_ADDRESS'];
if (!bundle || !BUNDLES.includes(bundle) || !address) throw new Error(`usage: TEMPORAL_ADDRESS=… measure.ts ${BUNDLES.join('|')} <count>`);
const count = Number(countArg ?? 400);
const taskQueue = `bench-sandbox-${bundle}-${randomUUID()}`;

// Baton's conversation: the representative flow, greeting then waiting for the user; the
// projection goes nowhere.
const registry = createRegistry(builtinNodes);
const compiled = compileFlow(pinFlow(flowDocumentSchema.parse(representativeFlow(0)), registry), registry);
const conversationActivities: Pick<ConversationActivities, 'loadFlow' | 'recordTurn'> = {
  loadFlow: async () => compiled,
  recordTurn: async () => undefined,
};

Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
const nativeConnection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection: nativeConnection,
  taskQueue,
  workflowsPath: bundle === 'baton' ? conversationWorkflowsPath : fileURLToPath(new URL(`./${bundle}.workflow.ts`, import.meta.url)),
  ...(bundle === 'baton' ? { activities: conversationActivities } : {}),
  // Every workflow stays cached: what is measured is the memory of cached workflows.
  maxCachedWorkflows: count + 100,
});
const running = worker.run();
const connection = await Connection.connect({ address });
const client = new Client({ connection });
const rssMiB = () => process.memoryUsage().rss / 1024 / 1024;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `n` workflows, 25 at a time, each one run to its first wait (a query answers after its first task). */
async function start(n: number): Promise<void> {
  for (let i = 0; i < n; i += 25) {
    await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async () => {
        const id = randomUUID();
        const handle =
          bundle === 'baton'
            ? await client.workflow.start('conversationWorkflow', { taskQueue, workflowId: `sandbox-${id}`, args: [{ conversation: { id, botId: 'bench', flowVersion: 1 } }] })
            : await client.workflow.start('idle', { taskQueue, workflowId: `sandbox-${id}` });
        await handle.query('__stack_trace');
      }),
    );
  }
}

await start(25); // warm: the bundle loaded, the first contexts made
await sleep(2000);
const rssBeforeMiB = rssMiB();
await start(count);
await sleep(3000);
const rssAfterMiB = rssMiB();
console.log(JSON.stringify({ bundle, count, rssBeforeMiB, rssAfterMiB }));
worker.shutdown();
await running;
await connection.close();
await nativeConnection.close();
process.exit(0);
