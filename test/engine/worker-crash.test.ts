import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversationClient, type ConversationClient, type ConversationInput } from '@baton/engine/client';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai/fake-openai.js';
import { SqliteStore, type Delivery } from '../support/sqlite-store.js';
import { connectTemporal, uniqueName, type TemporalConnections } from '../support/temporal.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const workerScript = fileURLToPath(new URL('../support/worker-process.ts', import.meta.url));

/**
 * A killed worker's sticky queue would hold the conversation's next workflow task for Temporal's
 * default 10 s before another worker may take it; a short bound keeps the test fast and changes
 * nothing about what is delivered.
 */
const STICKY_TIMEOUT_MS = 1000;

interface WorkerProcess {
  child: ChildProcess;
  output: string[];
}

describe('conversations survive a worker killed with SIGKILL', () => {
  let dir: string;
  let store: SqliteStore;
  let fake: FakeOpenAI;
  let temporal: TemporalConnections;
  const children = new Set<ChildProcess>();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'baton-worker-crash-'));
    store = new SqliteStore(path.join(dir, 'store.db'));
    [fake, temporal] = await Promise.all([startFakeOpenAI(), connectTemporal()]);
    store.publish('timeout-bot', 1, {
      schemaVersion: 1,
      name: 'nudge',
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'hello', type: 'send_message', config: { text: 'Hi! Take your time.' } },
        { id: 'wait', type: 'wait_for_reply', config: { timeoutSeconds: 4 } },
        { id: 'nudge', type: 'send_message', config: { text: 'Are you still there?' } },
        { id: 'again', type: 'wait_for_reply', config: { timeoutSeconds: 600, saveAs: 'said' } },
        { id: 'answer', type: 'send_message', config: { text: 'You said: {{said}}' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
        { id: 'e2', source: 'hello', sourcePort: 'next', target: 'wait' },
        { id: 'e3', source: 'wait', sourcePort: 'timeout', target: 'nudge' },
        { id: 'e4', source: 'nudge', sourcePort: 'next', target: 'again' },
        { id: 'e5', source: 'again', sourcePort: 'replied', target: 'answer' },
        { id: 'e6', source: 'answer', sourcePort: 'next', target: 'again' },
      ],
    });
    store.publish('llm-bot', 1, {
      schemaVersion: 1,
      name: 'assistant',
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'hello', type: 'send_message', config: { text: 'Ask me anything.' } },
        { id: 'wait', type: 'wait_for_reply', config: { timeoutSeconds: 600 } },
        { id: 'llm', type: 'llm_reply', config: { instructions: 'Answer in one sentence.' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
        { id: 'e2', source: 'hello', sourcePort: 'next', target: 'wait' },
        { id: 'e3', source: 'wait', sourcePort: 'replied', target: 'llm' },
        { id: 'e4', source: 'llm', sourcePort: 'next', target: 'wait' },
      ],
    });
  });

  afterAll(async () => {
    // Even when a test failed midway: no worker may outlive the run.
    await Promise.all([...children].map((child) => kill(child)));
    await Promise.all([fake?.close(), temporal?.close()]);
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startWorker(taskQueue: string): Promise<WorkerProcess> {
    const child = spawn(process.execPath, ['--import', 'tsx', workerScript], {
      cwd: repoRoot,
      env: {
        ...process.env,
        BATON_WORKER_TASK_QUEUE: taskQueue,
        BATON_WORKER_DB: store.file,
        BATON_WORKER_OPENAI_BASE_URL: fake.baseURL,
        BATON_WORKER_OPENAI_API_KEY: fake.apiKey,
        BATON_WORKER_STICKY_TIMEOUT_MS: String(STICKY_TIMEOUT_MS),
        BATON_WORKER_EXIT_WITH_STDIN: '1',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    children.add(child);
    child.once('exit', () => children.delete(child));
    const output: string[] = [];
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the worker did not start in 20 s:\n${output.join('')}`)), 20_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString('utf8').includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the worker exited (${signal ?? code}) before it was ready:\n${output.join('')}`));
      });
    });
    return { child, output };
  }

  async function kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  function conversations(taskQueue: string): ConversationClient {
    return createConversationClient(temporal.client, { taskQueue });
  }

  function input(botId: string): ConversationInput {
    return { conversation: { id: uniqueName('c'), botId, flowVersion: 1 }, options: { burstWindowMs: 0 } };
  }

  /** Every message id was delivered with one text only, and stored once, in the expected order. */
  function expectDeliveredOnce(conversationId: string, texts: string[]): Delivery[] {
    const messages = store.messages(conversationId);
    expect(messages.map((m) => m.text)).toEqual(texts);
    expect(messages.map((m) => m.id)).toEqual(texts.map((_, i) => `${conversationId}-b${i + 1}`));
    const deliveries = store.deliveries(conversationId);
    const textsById = new Map<string, Set<string>>();
    for (const d of deliveries) textsById.set(d.messageId, (textsById.get(d.messageId) ?? new Set()).add(d.text));
    expect([...textsById].map(([id, set]) => [id, [...set]])).toEqual(messages.map((m) => [m.id, [m.text]]));
    return deliveries;
  }

  it.concurrent('fires a pending wait timeout exactly once after the worker is killed and replaced', async () => {
    const taskQueue = uniqueName('crash-timeout');
    const client = conversations(taskQueue);
    const first = await startWorker(taskQueue);
    const conversation = input('timeout-bot');
    const id = conversation.conversation.id;
    await client.start(conversation);
    await store.waitFor(() => store.botTexts(id).length === 1, 10_000, 'the greeting');
    const waitStarted = Date.now();
    await kill(first.child);

    const second = await startWorker(taskQueue);
    // Usually about 5 s; up to 10 s more when Temporal handed the task to the dead worker's last poll.
    await store.waitFor(() => store.botTexts(id).length === 2, 25_000, 'the timeout branch');
    expect(Date.now() - waitStarted).toBeGreaterThanOrEqual(4000);
    const reply = await client.sendAndWait(conversation, { id: 'm1', text: 'sorry, I am back' }, { timeoutMs: 10_000 });
    expect(reply).toMatchObject({ status: 'answered', replies: [{ text: 'You said: sorry, I am back' }], conversationStatus: 'bot' });

    const deliveries = expectDeliveredOnce(id, ['Hi! Take your time.', 'Are you still there?', 'You said: sorry, I am back']);
    expect(deliveries.filter((d) => d.text === 'Are you still there?').map((d) => d.pid)).toEqual([second.child.pid]);
    expect(deliveries.find((d) => d.text === 'Hi! Take your time.')?.pid).toBe(first.child.pid);
  });

  it.concurrent('retries an llm_reply that was in flight when the worker was killed, and answers once', async () => {
    const taskQueue = uniqueName('crash-llm');
    const client = conversations(taskQueue);
    const first = await startWorker(taskQueue);
    const conversation = input('llm-bot');
    const id = conversation.conversation.id;
    await client.start(conversation);
    await store.waitFor(() => store.botTexts(id).length === 1, 10_000, 'the greeting');

    const question = 'What does Temporal do?';
    const isOurs = () => fake.requests.filter((r) => JSON.stringify(r.body.messages).includes(question));
    // The first call hangs; the worker dies while it waits for the model.
    fake.delayNext(60_000);
    const answered = client.sendAndWait(conversation, { id: 'm1', text: question }, { timeoutMs: 40_000 });
    await store.waitFor(() => isOurs().length === 1, 10_000, 'the LLM request');
    await kill(first.child);
    fake.enqueue({ text: 'It runs your code durably.' });

    const second = await startWorker(taskQueue);
    // llm_reply heartbeats with a 10 s timeout: Temporal notices the dead worker, then retries.
    const reply = await answered;
    expect(reply).toMatchObject({ status: 'answered', replies: [{ text: 'It runs your code durably.' }], conversationStatus: 'bot' });
    expect(isOurs()).toHaveLength(2);

    const deliveries = expectDeliveredOnce(id, ['Ask me anything.', 'It runs your code durably.']);
    expect(deliveries.filter((d) => d.text === 'It runs your code durably.').map((d) => d.pid)).toEqual([second.child.pid]);
  });
});
