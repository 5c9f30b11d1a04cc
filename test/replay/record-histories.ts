/**
 * Records the replay fixtures in test/replay/histories/conversationWorkflow/: runs representative
 * conversations on the real engine, on a Temporal dev server of its own, and writes each history as
 * JSON (the format of `temporal workflow show --output json`). Read test/replay/README.md before
 * running it again.
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
import { bundleConversationWorkflows, type HandoffGateway, type HandoffStart } from '@baton/engine/worker';
import { HANDOFF_TOOL } from '@baton/nodes/activities';
import { DEFAULT_HANDOFF_TEXTS as TEXTS, type FlowDocumentInput } from '@baton/nodes';
import { startFakeOpenAI } from '../fakes/openai/fake-openai.js';
import { startEngine, type EngineHarness } from '../support/engine-harness.js';

// One folder per workflow type that may have running conversations.
const outDir = fileURLToPath(new URL('./histories/conversationWorkflow/', import.meta.url));

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

/** What the gateway answers for a bot's handoffs; others get the engine's default (inbox queued, desks unavailable, `default` queued). */
const gatewayAnswers = new Map<string, HandoffStart>();
/** What the humans' side was told, per conversation: `relay: <text>`, `close: <reason>`, `reroute`. */
const told = new Map<string, string[]>();
const tell = (conversationId: string, line: string): void => void told.set(conversationId, [...(told.get(conversationId) ?? []), line]);
/** The humans' side of the recordings, so that relays, closes and reroutes are activities in the histories. */
const gateway: HandoffGateway = {
  async request(input) {
    const answer = gatewayAnswers.get(input.conversation.botId);
    if (answer) return answer;
    return input.request.target['kind'] === 'desk' ? { outcome: 'unavailable' } : { outcome: 'queued', session: { ticket: input.conversation.id } };
  },
  async relay(input) {
    for (const message of input.messages) tell(input.conversation.id, `relay: ${message.text}`);
  },
  async close(input) {
    tell(input.conversation.id, `close: ${input.reason}`);
  },
  async reroute(input) {
    tell(input.conversation.id, 'reroute');
  },
};
const toldTo = (conversation: ConversationInput): string[] => told.get(conversation.conversation.id) ?? [];
const texts = (reply: { replies: { text: string }[] }): string[] => reply.replies.map((r) => r.text);

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
    expectEqual((await ask(engine, conversation, 'm2', 'I want a person')).replies.map((r) => r.text), ['Let me get a person for you.', TEXTS.waiting], 'escalation');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'queued');
    // Nobody takes it nor answers "keep waiting?": the handoff times out and the flow goes on.
    const handle = await finished(engine, conversation);
    expectEqual(toldTo(conversation), ['close: TIMEOUT'], 'llm-escalate told');
    return [{ name: 'llm-escalate', handle }];
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
    expectEqual(engine.store.botTexts(id), ['Connecting you to a person.', TEXTS.waiting, 'Glad we could help.'], 'handoff');
    expectEqual(toldTo(conversation), ['relay: hello?', 'relay: Hi Bob, my order is late'], 'handoff told');
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

  // ---- the handoff state machine ---------------------------------------------------------------

  async 'handoff-email-live-session-timeout'(engine, input) {
    engine.store.publish('email-session', 1, flow('email-session', [
      start,
      wait('ask', 600),
      { id: 'human', type: 'assign_to_user', config: { requireEmail: true, waitTimeoutSeconds: 60, sessionTimeoutSeconds: 5 } },
      say('back', 'The bot again.'),
    ], ['start.next -> ask', 'ask.replied -> human', 'human.resolved -> back']));
    const conversation = input('email-session');
    const id = conversation.conversation.id;
    expectEqual(texts(await ask(engine, conversation, 'm1', 'I need a person')), [TEXTS.emailPrompt], 'email asked');
    expectEqual(texts(await ask(engine, conversation, 'm2', 'nope')), [TEXTS.emailInvalid], 'email refused');
    expectEqual(texts(await ask(engine, conversation, 'm3', 'ann@example.com')), [TEXTS.waiting], 'queued');
    expectEqual((await ask(engine, conversation, 'm4', 'hello?')).status, 'relayed', 'while queued');
    await engine.conversations.takeover(id, 'agent-1');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'agent');
    await engine.conversations.agentMessage(id, { id: 'a1', text: 'Hi, I am Bob.', agentId: 'agent-1' });
    expectEqual((await ask(engine, conversation, 'm5', 'my order is late')).status, 'relayed', 'live');
    await engine.conversations.agentMessage(id, { id: 'a2', text: 'Sorted. Anything else?', agentId: 'agent-1' });
    // The user stays silent: the session ends 5 s after the human's last message.
    const handle = await finished(engine, conversation);
    expectEqual(engine.store.botTexts(id).slice(-2), [TEXTS.sessionEnded, 'The bot again.'], 'session timeout');
    expectEqual(toldTo(conversation), ['relay: hello?', 'relay: my order is late', 'close: TIMEOUT'], 'session timeout told');
    return [{ name: 'handoff-email-live-session-timeout', handle }];
  },

  async 'handoff-keep-waiting-human'(engine, input) {
    engine.store.publish('keep-waiting', 1, flow('keep-waiting', [
      start,
      say('hello', 'Connecting you to a person.'),
      { id: 'human', type: 'assign_to_user', config: { waitTimeoutSeconds: 5 } },
      say('back', 'Glad we could help.'),
      say('nobody', 'Nobody is free.'),
    ], ['start.next -> hello', 'hello.next -> human', 'human.resolved -> back', 'human.no_agent -> nobody']));
    const conversation = input('keep-waiting');
    const id = conversation.conversation.id;
    await engine.conversations.start(conversation);
    await engine.store.waitFor(() => engine.store.botTexts(id).includes(TEXTS.keepWaiting));
    expectEqual(texts(await ask(engine, conversation, 'm1', TEXTS.keepWaitingChoice)), [TEXTS.stillWaiting], 'keep waiting');
    await engine.conversations.takeover(id, 'agent-2');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'agent');
    await engine.conversations.agentMessage(id, { id: 'a1', text: 'Sorry for the wait.', agentId: 'agent-2' });
    await engine.conversations.handBack(id);
    const handle = await finished(engine, conversation);
    expectEqual(
      engine.store.botTexts(id),
      ['Connecting you to a person.', TEXTS.waiting, TEXTS.keepWaiting, TEXTS.stillWaiting, 'Glad we could help.'],
      'keep waiting',
    );
    expectEqual(toldTo(conversation), [], 'keep waiting told');
    return [{ name: 'handoff-keep-waiting-human', handle }];
  },

  async 'handoff-leave-message'(engine, input) {
    gatewayAnswers.set('leave-message', { outcome: 'queued', session: { handoffId: 'h-1' }, leaveMessage: true });
    engine.store.publish('leave-message', 1, flow('leave-message', [
      start,
      wait('ask', 600),
      { id: 'human', type: 'assign_to_user', config: {} },
      say('later', 'We will get back to you.'),
    ], ['start.next -> ask', 'ask.replied -> human', 'human.no_agent -> later']));
    const conversation = input('leave-message');
    expectEqual(texts(await ask(engine, conversation, 'm1', 'I need a person')), [TEXTS.leaveMessage], 'leave a message');
    expectEqual(texts(await ask(engine, conversation, 'm2', 'Call me at 555-0100')), [TEXTS.messageLeft, 'We will get back to you.'], 'message left');
    const handle = await finished(engine, conversation);
    expectEqual(toldTo(conversation), ['relay: Call me at 555-0100'], 'leave message told');
    return [{ name: 'handoff-leave-message', handle }];
  },

  async 'request-human-handback'(engine, input) {
    engine.store.publish('request-human', 1, flow('request-human', [
      start,
      say('hello', 'Ask me anything.'),
      wait('ask', 60, 'answer'),
      say('echo', 'You said {{answer}}.'),
    ], ['start.next -> hello', 'hello.next -> ask', 'ask.replied -> echo']));
    const conversation = input('request-human');
    const id = conversation.conversation.id;
    await engine.conversations.start(conversation);
    await engine.store.waitFor(() => engine.store.botTexts(id).length === 1);
    await engine.conversations.requestHuman(id);
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'queued');
    expectEqual((await ask(engine, conversation, 'm1', 'hello?')).status, 'relayed', 'while queued');
    await engine.conversations.takeover(id, 'agent-3');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'agent');
    await engine.conversations.agentMessage(id, { id: 'a1', text: 'Hi, how can I help?', agentId: 'agent-3' });
    await engine.conversations.handBack(id);
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'bot');
    expectEqual(texts(await ask(engine, conversation, 'm2', 'thanks')), ['You said thanks.'], 'the wait resumed');
    const handle = await finished(engine, conversation);
    expectEqual(toldTo(conversation), ['relay: hello?'], 'request human told');
    return [{ name: 'request-human-handback', handle }];
  },

  async 'takeover-outside-handoff'(engine, input) {
    engine.store.publish('takeover', 1, flow('takeover', [
      start,
      say('hello', 'Ask me anything.'),
      wait('ask', 60, 'answer'),
      say('echo', 'You said {{answer}}.'),
    ], ['start.next -> hello', 'hello.next -> ask', 'ask.replied -> echo']));
    const conversation = input('takeover');
    const id = conversation.conversation.id;
    await engine.conversations.start(conversation);
    await engine.store.waitFor(() => engine.store.botTexts(id).length === 1);
    await engine.conversations.takeover(id, 'agent-4');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'agent');
    expectEqual((await ask(engine, conversation, 'm1', 'hi')).status, 'relayed', 'taken over');
    await engine.conversations.agentMessage(id, { id: 'a1', text: 'Hello from a person.', agentId: 'agent-4' });
    await engine.conversations.handBack(id);
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'bot');
    expectEqual(texts(await ask(engine, conversation, 'm2', 'thanks')), ['You said thanks.'], 'handed back');
    const handle = await finished(engine, conversation);
    expectEqual(toldTo(conversation), [], 'takeover told');
    return [{ name: 'takeover-outside-handoff', handle }];
  },

  async 'handoff-set-user-reroute-user-leaves'(engine, input) {
    engine.store.publish('reroute', 1, flow('reroute', [
      start,
      say('hello', 'Hi!'),
      wait('ask', 600),
      { id: 'human', type: 'assign_to_user', config: { requireEmail: true, rerouteAfterSeconds: 1, waitTimeoutSeconds: 60 } },
      say('bye', 'Bye for now.'),
    ], ['start.next -> hello', 'hello.next -> ask', 'ask.replied -> human', 'human.no_agent -> bye']));
    const conversation = input('reroute');
    const id = conversation.conversation.id;
    await engine.conversations.start(conversation);
    await engine.store.waitFor(() => engine.store.botTexts(id).length === 1);
    await engine.conversations.setUser(id, { email: 'kim@example.com', name: 'Kim' });
    // The email is known: the handoff does not ask for it.
    expectEqual(texts(await ask(engine, conversation, 'm1', 'I need a person')), [TEXTS.waiting], 'queued');
    await engine.store.waitFor(() => toldTo(conversation).includes('reroute'));
    await engine.conversations.leaveHumans(id);
    const handle = await finished(engine, conversation);
    expectEqual(engine.store.botTexts(id).at(-1), 'Bye for now.', 'user left');
    expectEqual(toldTo(conversation).at(-1), 'close: USER_CLOSED', 'user left told');
    return [{ name: 'handoff-set-user-reroute-user-leaves', handle }];
  },

  // ---- the conversation's own rules (engine/src/interpreter/conversation.ts) ---------------------

  async 'reopened-handback'(engine, input) {
    engine.store.publish('reopen', 1, flow('reopen', [start, say('hello', 'Hello again.'), wait('ask', 600, 'said'), say('echo', 'Noted: {{said}}')], [
      'start.next -> hello',
      'hello.next -> ask',
      'ask.replied -> echo',
    ]));
    const conversation = input('reopen');
    const id = conversation.conversation.id;
    // A conversation that ended, reopened by a person: it starts with them, the flow after them.
    await engine.conversations.reopen(conversation, 'agent-3', 4);
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'agent');
    expectEqual((await ask(engine, conversation, 'm1', 'thanks for calling back')).status, 'relayed', 'with the person');
    await engine.conversations.agentMessage(id, { id: 'a1', text: 'You are welcome.', agentId: 'agent-3' });
    await engine.conversations.handBack(id);
    await engine.store.waitFor(() => engine.store.botTexts(id).includes('Hello again.'));
    expectEqual(texts(await ask(engine, conversation, 'm2', 'all good')), ['Noted: all good'], 'the flow after the person');
    const handle = await finished(engine, conversation);
    // Numbered after the earlier runs' four bot messages.
    expectEqual(engine.store.transcripts.get(id)?.map((m) => m.id), [`${id}-b5`, `${id}-b6`], 'message ids');
    return [{ name: 'reopened-handback', handle }];
  },

  async 'bot-switched-off-with-person'(engine, input) {
    engine.store.publish('switch', 1, flow('switch', [start, say('hello', 'Hello.'), wait('ask', 600), say('echo', 'Noted: {{said}}')], [
      'start.next -> hello',
      'hello.next -> ask',
      'ask.replied -> echo',
      'echo.next -> ask',
    ]));
    const conversation = input('switch');
    const id = conversation.conversation.id;
    await engine.conversations.start(conversation);
    await engine.store.waitFor(() => engine.store.botTexts(id).includes('Hello.'));
    await engine.conversations.takeover(id, 'agent-5');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'agent');
    // Switched off while the person has it: they go on; when they are done, the notice and the end.
    await engine.conversations.switchBot(id, { on: false, notice: 'Closed for today.' });
    expectEqual((await ask(engine, conversation, 'm1', 'are you there?')).status, 'relayed', 'with the person');
    await engine.conversations.handBack(id);
    const handle = await finished(engine, conversation);
    expectEqual(engine.store.botTexts(id), ['Hello.', 'Closed for today.'], 'the notice');
    expectEqual(await handle.result(), { ended: 'bot_off', runs: 1 }, 'the end');
    return [{ name: 'bot-switched-off-with-person', handle }];
  },

  async 'takeover-during-activity'(engine, input) {
    engine.store.publish('busy', 1, flow('busy', [start, wait('ask', 600), { id: 'ai', type: 'llm_reply', config: { instructions: 'Help.' } }, say('done', 'Anything else?')], [
      'start.next -> ask',
      'ask.replied -> ai',
      'ai.next -> done',
      'done.next -> ask',
    ]));
    const conversation = input('busy');
    const id = conversation.conversation.id;
    await engine.conversations.start(conversation);
    // The model is slow, and a person takes over while it answers. The call is a local activity,
    // inside its workflow task: the person's takeover is seen once that task is done, so the
    // answer already on its way is given, and then the person has the conversation.
    fakeLlm.enqueue({ text: 'It ships today.' });
    fakeLlm.delayNext(2000);
    await engine.conversations.send(conversation, { id: 'm1', text: 'where is my order?' });
    await engine.store.waitFor(() => fakeLlm.requests.some((r) => JSON.stringify(r.body).includes('where is my order?')));
    await engine.conversations.takeover(id, 'agent-4');
    await engine.store.waitFor(() => engine.store.lastStatus(id) === 'agent');
    expectEqual(engine.store.botTexts(id), ['It ships today.', 'Anything else?'], 'the answer in flight');
    await engine.conversations.agentMessage(id, { id: 'a1', text: 'Let me look further.', agentId: 'agent-4' });
    expectEqual((await ask(engine, conversation, 'm2', 'thanks')).status, 'relayed', 'with the person');
    await engine.conversations.handBack(id);
    await engine.conversations.close(id, 'user');
    const handle = await finished(engine, conversation);
    expectEqual(engine.store.botTexts(id), ['It ships today.', 'Anything else?'], 'nothing more from the bot');
    return [{ name: 'takeover-during-activity', handle }];
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
  const engine = await startEngine({ llm: { baseURL: fakeLlm.baseURL, apiKey: fakeLlm.apiKey }, deps: { handoff: gateway } });

  const play = async ([name, scenario]: [string, Scenario]): Promise<Recorded[]> => {
    try {
      return await scenario(engine, (botId, extra) => engine.input(botId, 1, extra));
    } catch (error) {
      throw new Error(`scenario ${name} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  };
  try {
    // Scenarios run concurrently, but those that time the shared fake LLM run alone afterwards.
    const alone = new Set(['takeover-during-activity']);
    const recorded = await Promise.all(Object.entries(scenarios).filter(([name]) => !alone.has(name)).map(play));
    for (const entry of Object.entries(scenarios).filter(([name]) => alone.has(name))) recorded.push(await play(entry));
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
