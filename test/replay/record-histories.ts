/**
 * Records the replay fixtures in test/replay/histories/: runs representative conversations on the
 * real engine, on a Temporal dev server of its own, and writes each history as JSON (the format of
 * `temporal workflow show --output json`). Read test/replay/README.md before running it again.
 *
 *   pnpm test:record-histories
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { WorkflowHandle } from '@temporalio/client';
import { conversationWorkflowId, type ConversationInput } from '@baton/engine/client';
import { findTemporalCli, startDevServer } from '@baton/engine/dev-server';
import { bundleConversationWorkflows } from '@baton/engine/worker';
import { HANDOFF_TOOL } from '@baton/nodes/activities';
import type { FlowDocumentInput } from '@baton/nodes';
import { startFakeOpenAI } from '../fakes/openai/fake-openai.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

const outDir = fileURLToPath(new URL('./histories/', import.meta.url));

type Node = FlowDocumentInput['nodes'][number];
/** A flow from nodes and `source.port → target` edges. */
function flow(name: string, nodes: Node[], edges: string[], settings: FlowDocumentInput['settings'] = {}): FlowDocumentInput {
  return {
    schemaVersion: 1,
    name,
    nodes,
    edges: edges.map((edge, i) => {
      const [from, target] = edge.split(' -> ') as [string, string];
      const [source, sourcePort] = from.split('.') as [string, string];
      return { id: `e${i + 1}`, source, sourcePort, target };
    }),
    settings,
  };
}

const say = (id: string, text: string): Node => ({ id, type: 'send_message', config: { text } });
const wait = (id: string, timeoutSeconds: number, saveAs?: string): Node => ({
  id,
  type: 'wait_for_reply',
  config: { timeoutSeconds, ...(saveAs ? { saveAs } : {}) },
});
const start: Node = { id: 'start', type: 'start', config: {} };

interface Recorded {
  name: string;
  handle: WorkflowHandle;
}

type Scenario = (engine: EngineHarness, input: (botId: string, extra?: Partial<ConversationInput>) => ConversationInput) => Promise<Recorded[]>;

const ask = (engine: EngineHarness, input: ConversationInput, id: string, text: string) =>
  engine.conversations.sendAndWait(input, { id, text }, { timeoutMs: 20_000 });

function handleOf(engine: EngineHarness, input: ConversationInput, runId?: string): WorkflowHandle {
  return engine.temporal.client.workflow.getHandle(conversationWorkflowId(input.conversation.id), runId);
}

async function finished(engine: EngineHarness, input: ConversationInput): Promise<WorkflowHandle> {
  const handle = handleOf(engine, input);
  await handle.result();
  return handle;
}

function expectEqual(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

const scenarios: Record<string, Scenario> = {
  async 'greeting-wait-reply'(engine, input) {
    engine.store.publish('greeting', 1, flow('greeting', [start, say('hello', 'Hello! What is your name?'), wait('wait', 60, 'name'), say('greet', 'Nice to meet you, {{name}}.')], [
      'start.next -> hello',
      'hello.next -> wait',
      'wait.replied -> greet',
    ]));
    const conversation = input('greeting');
    await engine.conversations.start(conversation);
    await engine.store.waitFor(() => engine.store.botTexts(conversation.conversation.id).length === 1);
    expectEqual((await ask(engine, conversation, 'm1', 'Ada')).replies, [{ id: `${conversation.conversation.id}-b2`, text: 'Nice to meet you, Ada.' }], 'greeting');
    return [{ name: 'greeting-wait-reply', handle: await finished(engine, conversation) }];
  },

  async 'wait-timeout'(engine, input) {
    engine.store.publish('timeout', 1, flow('timeout', [start, say('hello', 'Anything?'), wait('wait', 1), say('nudge', 'Are you still there?')], [
      'start.next -> hello',
      'hello.next -> wait',
      'wait.timeout -> nudge',
    ]));
    const conversation = input('timeout');
    await engine.conversations.start(conversation);
    const handle = await finished(engine, conversation);
    expectEqual(engine.store.botTexts(conversation.conversation.id), ['Anything?', 'Are you still there?'], 'timeout');
    return [{ name: 'wait-timeout', handle }];
  },

  async 'llm-escalate'(engine, input) {
    engine.store.publish('llm', 1, flow('llm', [
      start,
      wait('wait', 60),
      { id: 'llm', type: 'llm_reply', config: { instructions: 'Answer briefly.', escalationHint: 'The user asks for a person.' } },
      say('handover', 'Let me get a person for you.'),
      { id: 'human', type: 'assign_to_user', config: { waitTimeoutSeconds: 5 } },
      say('back', 'I am back.'),
    ], [
      'start.next -> wait',
      'wait.replied -> llm',
      'llm.next -> wait',
      'llm.escalate -> handover',
      'handover.next -> human',
      'human.resolved -> back',
      'human.no_agent -> back',
    ]));
    const conversation = input('llm');
    const id = conversation.conversation.id;
    fakeLlm.enqueue({ text: 'Orders ship in two days.' });
    expectEqual((await ask(engine, conversation, 'm1', 'When does my order ship?')).replies.map((r) => r.text), ['Orders ship in two days.'], 'llm answer');
    fakeLlm.enqueue({ toolCall: { name: HANDOFF_TOOL, arguments: { reason: 'asks for a person' } } });
    expectEqual((await ask(engine, conversation, 'm2', 'I want a person')).replies.map((r) => r.text), ['Let me get a person for you.'], 'escalation');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'queued');
    // Nobody takes it: the wait for a human times out and the flow goes on.
    return [{ name: 'llm-escalate', handle: await finished(engine, conversation) }];
  },

  async 'http-request'(engine, input) {
    engine.store.publish('http', 1, flow('http', [
      start,
      wait('wait', 60, 'orderId'),
      { id: 'lookup', type: 'http_request', config: { url: `${orderApi}/orders/{{orderId}}`, saveAs: 'order' } },
      say('status', 'Order {{orderId}} is {{order.body.status}}.'),
      say('broken', 'The order system failed.'),
    ], ['start.next -> wait', 'wait.replied -> lookup', 'lookup.ok -> status', 'lookup.error -> broken']));
    const conversation = input('http');
    expectEqual((await ask(engine, conversation, 'm1', '42')).replies.map((r) => r.text), ['Order 42 is shipped.'], 'http');
    return [{ name: 'http-request', handle: await finished(engine, conversation) }];
  },

  async 'handoff-takeover-handback'(engine, input) {
    engine.store.publish('handoff', 1, flow('handoff', [
      start,
      say('hello', 'Connecting you to a person.'),
      { id: 'human', type: 'assign_to_user', config: { waitTimeoutSeconds: 60 } },
      say('back', 'Glad we could help.'),
      say('nobody', 'Nobody is free.'),
    ], ['start.next -> hello', 'hello.next -> human', 'human.resolved -> back', 'human.no_agent -> nobody']));
    const conversation = input('handoff');
    const id = conversation.conversation.id;
    await engine.conversations.start(conversation);
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'queued');
    expectEqual((await ask(engine, conversation, 'm1', 'hello?')).status, 'relayed', 'while queued');
    await engine.conversations.takeover(id, 'agent-1');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'agent');
    await engine.conversations.agentMessage(id, { id: 'a1', text: 'Hi, I am Bob.', agentId: 'agent-1' });
    expectEqual((await ask(engine, conversation, 'm2', 'Hi Bob, my order is late')).status, 'relayed', 'with the agent');
    await engine.conversations.handBack(id);
    const handle = await finished(engine, conversation);
    expectEqual(engine.store.botTexts(id), ['Connecting you to a person.', 'Glad we could help.'], 'handoff');
    return [{ name: 'handoff-takeover-handback', handle }];
  },

  async burst(engine, input) {
    engine.store.publish('burst', 1, flow('burst', [
      start,
      wait('wait', 60, 'said'),
      { id: 'route', type: 'condition', config: { rules: [{ port: 'bye', variable: 'said', op: 'equals', value: 'bye' }] } },
      say('echo', 'You said: {{said}}'),
      say('bye', 'Bye!'),
    ], ['start.next -> wait', 'wait.replied -> route', 'route.else -> echo', 'echo.next -> wait', 'route.bye -> bye']));
    const conversation = input('burst', { options: { burstWindowMs: 500 } });
    const id = conversation.conversation.id;
    for (const [i, text] of ['hi', 'I have a question', 'about my order'].entries()) {
      await engine.conversations.send(conversation, { id: `m${i + 1}`, text });
    }
    await engine.store.waitFor(() => engine.store.botTexts(id).length === 1);
    expectEqual((await ask(engine, conversation, 'm4', 'bye')).replies.map((r) => r.text), ['Bye!'], 'burst end');
    expectEqual(engine.store.botTexts(id), ['You said: hi\nI have a question\nabout my order', 'Bye!'], 'burst');
    return [{ name: 'burst', handle: await finished(engine, conversation) }];
  },

  async 'continue-as-new'(engine, input) {
    engine.store.publish('long', 1, flow('long', [start, wait('wait', 600, 'said'), say('echo', 'You said: {{said}}')], [
      'start.next -> wait',
      'wait.replied -> echo',
      'echo.next -> wait',
    ]));
    const conversation = input('long', { options: { burstWindowMs: 0, maxHistoryEvents: 40 } });
    await engine.conversations.start(conversation);
    const firstRunId = (await handleOf(engine, conversation).describe()).runId;
    let turn = 0;
    while ((await handleOf(engine, conversation).describe()).runId === firstRunId) {
      turn += 1;
      if (turn > 30) throw new Error('continue-as-new did not happen');
      await ask(engine, conversation, `m${turn}`, `message ${turn}`);
    }
    // The new run: a repeated id from the first run, then one more turn; left waiting.
    expectEqual((await ask(engine, conversation, 'm1', 'message 1')).status, 'duplicate', 'carried seen ids');
    await ask(engine, conversation, 'after', 'after');
    return [
      { name: 'continue-as-new-first-run', handle: handleOf(engine, conversation, firstRunId) },
      { name: 'continue-as-new-second-run-waiting', handle: handleOf(engine, conversation) },
    ];
  },

  async 'activity-error-port'(engine, input) {
    engine.store.publish('failing', 1, flow('failing', [
      start,
      // A private address the worker may not call: the activity fails for good at once.
      { id: 'lookup', type: 'http_request', config: { url: 'http://10.0.0.1/orders', saveAs: 'order' } },
      say('ok', 'Found it.'),
      say('broken', 'The order system failed ({{lastError.code}}).'),
    ], ['start.next -> lookup', 'lookup.ok -> ok', 'lookup.error -> broken']));
    const conversation = input('failing');
    await engine.conversations.start(conversation);
    const handle = await finished(engine, conversation);
    expectEqual(engine.store.botTexts(conversation.conversation.id), ['The order system failed (address_not_allowed).'], 'error port');
    return [{ name: 'activity-error-port', handle }];
  },
};

let orderApi = '';
let fakeLlm: Awaited<ReturnType<typeof startFakeOpenAI>>;

async function main(): Promise<void> {
  const started = Date.now();
  const bundleDir = mkdtempSync(path.join(tmpdir(), 'baton-record-'));
  const [server, bundle] = await Promise.all([findTemporalCli().then((cliPath) => startDevServer({ cliPath })), bundleConversationWorkflows()]);
  const bundlePath = path.join(bundleDir, 'workflow-bundle.js');
  writeFileSync(bundlePath, bundle.code);
  process.env['BATON_TEST_TEMPORAL_ADDRESS'] = server.address;
  process.env['BATON_TEST_WORKFLOW_BUNDLE'] = bundlePath;

  const orders: Server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: req.url?.split('/').pop(), status: 'shipped' }));
  });
  await new Promise<void>((resolve) => orders.listen(0, '127.0.0.1', resolve));
  orderApi = `http://127.0.0.1:${(orders.address() as AddressInfo).port}`;
  fakeLlm = await startFakeOpenAI();
  const engine = await startEngine({ llm: { baseURL: fakeLlm.baseURL, apiKey: fakeLlm.apiKey } });

  try {
    const recorded = await Promise.all(
      Object.entries(scenarios).map(async ([name, scenario]) => {
        try {
          return await scenario(engine, (botId, extra) => engine.input(botId, 1, extra));
        } catch (error) {
          throw new Error(`scenario ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
        }
      }),
    );
    // Other fixtures in the folder (histories of older code paths) are kept.
    mkdirSync(outDir, { recursive: true });
    for (const { name, handle } of recorded.flat()) {
      const history = await handle.fetchHistory();
      writeFileSync(path.join(outDir, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 2)}\n`);
      console.log(`${name}: ${history.events?.length ?? 0} events`);
    }
    console.log(`recorded ${recorded.flat().length} histories in ${outDir} (${Date.now() - started} ms)`);
  } finally {
    await engine.stop();
    await fakeLlm.close();
    await new Promise<void>((resolve) => orders.close(() => resolve()));
    await server.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

await main();
