// The floors' process: a Temporal worker for `floorConversation` and `floorConversationWithActivity`
// and a tiny HTTP server (Hono on @hono/node-server, as Baton's) that answers a chat message by
// update-with-start, the way Baton's `POST /api/conversations/:id/messages?wait=true` does:
// `/conversations/…` for the bare floor, `/with-activity/conversations/…` for the one with an
// activity. Run by the benchmark as its own process against Baton's embedded Temporal dev server
// (TEMPORAL_ADDRESS), with the fake LLM's OPENAI_BASE_URL and OPENAI_API_KEY.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { Client, Connection, WithStartWorkflowOperation, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { Hono } from 'hono';
import * as activities from './activities.js';
import { floorConversation, floorConversationWithActivity, floorMessageUpdate, type FloorMessage } from './workflow.js';

const address = process.env['TEMPORAL_ADDRESS'];
if (!address) throw new Error('TEMPORAL_ADDRESS is required');
const port = Number(process.env['PORT'] ?? 0);
const taskQueue = process.env['FLOOR_TASK_QUEUE'] ?? 'bench-floor';
/** Same bound as Baton's `?wait=true`. */
const WAIT_MS = 25_000;

Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });

const nativeConnection = await NativeConnection.connect({ address });
const worker = await Worker.create({
  connection: nativeConnection,
  taskQueue,
  workflowsPath: fileURLToPath(new URL('./workflow.ts', import.meta.url)),
  activities,
});
const running = worker.run();

const connection = await Connection.connect({ address });
const client = new Client({ connection });
const app = new Hono();

for (const [prefix, workflow] of [
  ['', floorConversation],
  ['/with-activity', floorConversationWithActivity],
] as const) {
  const workflowId = (id: string) => `floor${prefix.replace('/', '-')}-${id}`;
  app.post(`${prefix}/conversations`, async (c) => {
    const id = randomUUID();
    await client.workflow.start(workflow, { workflowId: workflowId(id), taskQueue, workflowIdConflictPolicy: 'USE_EXISTING' });
    return c.json({ conversationId: id }, 201);
  });
  app.post(`${prefix}/conversations/:id/messages`, async (c) => {
    const id = c.req.param('id');
    const body = (await c.req.json()) as { text?: unknown; clientMessageId?: unknown };
    if (typeof body.text !== 'string' || !body.text.trim()) return c.json({ error: { code: 'invalid', message: 'text is required' } }, 400);
    const message: FloorMessage = { id: `${id}-u-${typeof body.clientMessageId === 'string' ? body.clientMessageId : randomUUID()}`, text: body.text };
    const startWorkflowOperation = new WithStartWorkflowOperation(workflow, { workflowId: workflowId(id), taskQueue, workflowIdConflictPolicy: 'USE_EXISTING' });
    try {
      const reply = await client.withDeadline(Date.now() + WAIT_MS, () =>
        client.workflow.executeUpdateWithStart(floorMessageUpdate, { args: [message], updateId: message.id, startWorkflowOperation }),
      );
      return c.json({ messageId: message.id, ...reply, pending: false }, 200);
    } catch (error) {
      if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return c.json({ messageId: message.id, replies: [], status: 'pending', pending: true }, 200);
      throw error;
    }
  });
}

const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) => {
  console.log(`Floor is running at http://127.0.0.1:${info.port} {"temporal":"${address}","taskQueue":"${taskQueue}"}`);
});

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  server.close();
  worker.shutdown();
  void running.finally(async () => {
    await connection.close();
    await nativeConnection.close();
    process.exit(0);
  });
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
