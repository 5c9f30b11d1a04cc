/**
 * A conversation worker in a process of its own, so a test can SIGKILL it mid-conversation.
 * Run with `node --import tsx test/support/worker-process.ts`; configured by the environment:
 *
 * - BATON_TEST_TEMPORAL_ADDRESS, BATON_TEST_WORKFLOW_BUNDLE: set by the test global setup
 * - BATON_WORKER_TASK_QUEUE: the task queue to poll
 * - BATON_WORKER_DB: the SQLite file of the store (flows, transcript, deliveries)
 * - BATON_WORKER_OPENAI_BASE_URL, BATON_WORKER_OPENAI_API_KEY: the (fake) OpenAI endpoint
 * - BATON_WORKER_STICKY_TIMEOUT_MS: optional `stickyQueueScheduleToStartTimeout`
 * - BATON_WORKER_EXIT_WITH_STDIN: when set, exits as soon as stdin closes (its parent died)
 *
 * Prints `ready` on stdout once it polls; exits cleanly on SIGTERM.
 */
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createConversationWorker, createOpenAiLlm, createSafeHttpClient } from '@baton/engine/worker';
import { builtinActivities } from '@baton/nodes/activities';
import { builtinNodes, createRegistry } from '@baton/nodes';
import { SqliteStore } from './sqlite-store.js';

function env(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`worker-process: ${name} is not set`);
  return value;
}

if (process.env['BATON_WORKER_EXIT_WITH_STDIN']) {
  // A test runner that dies without its afterAll must not leave workers polling behind.
  process.stdin.on('end', () => process.exit(1)).resume();
}
Runtime.install({ logger: new DefaultLogger('WARN') });
const store = new SqliteStore(env('BATON_WORKER_DB'));
const connection = await NativeConnection.connect({ address: env('BATON_TEST_TEMPORAL_ADDRESS') });
const stickyTimeoutMs = Number(process.env['BATON_WORKER_STICKY_TIMEOUT_MS'] ?? '');
const worker = await createConversationWorker({
  connection,
  taskQueue: env('BATON_WORKER_TASK_QUEUE'),
  workflowBundle: { codePath: env('BATON_TEST_WORKFLOW_BUNDLE') },
  deps: {
    flows: store,
    registry: createRegistry(builtinNodes),
    conversations: store,
    bots: store,
    llm: createOpenAiLlm({ baseURL: env('BATON_WORKER_OPENAI_BASE_URL'), apiKey: env('BATON_WORKER_OPENAI_API_KEY') }),
    http: createSafeHttpClient({ allowedHosts: ['127.0.0.1'] }),
    nodeActivities: builtinActivities,
  },
  tuning: {
    identity: `worker-process-${process.pid}`,
    ...(stickyTimeoutMs > 0 ? { stickyQueueScheduleToStartTimeout: stickyTimeoutMs } : {}),
  },
});
process.once('SIGTERM', () => worker.shutdown());
const running = worker.run();
process.stdout.write('ready\n');
try {
  await running;
} finally {
  store.close();
  await connection.close();
}
