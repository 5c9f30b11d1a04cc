// One bundle of the sandbox benchmark, in a process of its own (so that its RSS is its alone):
// a worker for `<bundle>.workflow.ts` on TEMPORAL_ADDRESS, then COUNT workflows started and left
// idle in the worker's cache; prints `{"bundle", "count", "rssBeforeMiB", "rssAfterMiB"}`.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

const [bundle, countArg] = process.argv.slice(2);
const address = process.env['TEMPORAL_ADDRESS'];
if (!bundle || !['bare', 'zod', 'nodes'].includes(bundle) || !address) throw new Error('usage: TEMPORAL_ADDRESS=… measure.ts bare|zod|nodes <count>');
const count = Number(countArg ?? 400);
const taskQueue = `bench-sandbox-${bundle}-${randomUUID()}`;

Runtime.install({ logger: new DefaultLogger('ERROR'), shutdownSignals: [] });
const nativeConnection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection: nativeConnection,
  taskQueue,
  workflowsPath: fileURLToPath(new URL(`./${bundle}.workflow.ts`, import.meta.url)),
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
        const handle = await client.workflow.start('idle', { taskQueue, workflowId: `sandbox-${randomUUID()}` });
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
