import { describe, expect, it } from 'vitest';
import { DEFAULT_FALLBACK_MESSAGE, DEFAULT_HANDOFF_TEXTS as TEXTS, type FlowDocumentInput, type JsonObject } from '@baton/nodes';
import { testProgram } from '../testing/program.js';
import {
  assigneeOf,
  initialConversation,
  MAX_BURST_WINDOWS,
  MAX_USER_TEXT,
  reduce,
  SEEN_IDS_LIMIT,
  statusOf,
  wakeAt,
  type Conversation,
  type ConversationCommand,
  type ConversationEvent,
  type InboundMessage,
  type ProjectionRecord,
  type TurnReply,
} from './conversation.js';
import type { Program } from './program.js';

// The conversation's rules, event by event, without Temporal: every rule the workflow shell
// carries out is decided here (test/engine has the smaller set that runs on the real engine).

const T0 = Date.parse('2026-01-05T10:00:00.000Z');
const S = 1000;
const ref = { id: 'c1', botId: 'bot1', flowVersion: 1 };

type NodeInput = { id: string; type: string; config?: JsonObject };
function program(nodes: NodeInput[], edges: string[], settings: FlowDocumentInput['settings'] = {}): Program {
  return testProgram({
    schemaVersion: 1,
    nodes: nodes.map((n) => ({ ...n, config: n.config ?? {} })),
    edges: edges.map((edge, i) => {
      const [from, target] = edge.split(' -> ') as [string, string];
      const [source, sourcePort] = from.split('.') as [string, string];
      return { id: `e${i}`, source, sourcePort, target };
    }),
    settings,
  });
}

const start: NodeInput = { id: 'start', type: 'start' };
const say = (id: string, text: string): NodeInput => ({ id, type: 'send_message', config: { text } });
const wait = (id: string, timeoutSeconds = 60, saveAs = 'said'): NodeInput => ({ id, type: 'wait_for_reply', config: { timeoutSeconds, saveAs } });

/** Greets, then echoes every answer; a silent minute ends it. */
const echo = program([start, say('hi', 'Hi!'), wait('ask'), say('echo', 'You said: {{said}}')], ['start.next -> hi', 'hi.next -> ask', 'ask.replied -> echo', 'echo.next -> ask']);
/** Answers with the model, in a loop. */
const ai = program(
  [start, wait('ask', 600), { id: 'ai', type: 'llm_reply', config: { instructions: 'Help.' } }, say('oops', 'Sorry.')],
  ['start.next -> ask', 'ask.replied -> ai', 'ai.next -> ask', 'ai.error -> oops', 'oops.next -> ask'],
);
/** Hands off to the inbox after the first answer; afterwards the bot says so and waits again. */
const handoff = program(
  [start, wait('ask', 600), { id: 'human', type: 'assign_to_user', config: { waitTimeoutSeconds: 60, sessionTimeoutSeconds: 180 } }, say('back', 'The bot again.'), say('nobody', 'Nobody came.')],
  ['start.next -> ask', 'ask.replied -> human', 'human.resolved -> back', 'human.no_agent -> nobody', 'back.next -> ask', 'nobody.next -> ask'],
);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A conversation driven event by event through `reduce`, on frozen input, the clock set by the test. */
class Sim {
  state: Conversation;
  now = T0;
  /** Commands of the last event. */
  last: ConversationCommand[] = [];
  /** Every command so far. */
  readonly log: ConversationCommand[] = [];

  constructor(
    private readonly program: Program,
    options: { burstWindowMs?: number; state?: Conversation; user?: { email?: string } } = {},
  ) {
    this.state = options.state ?? initialConversation({ conversation: ref, ...(options.user ? { user: options.user } : {}), burstWindowMs: options.burstWindowMs ?? 0 });
  }

  send(event: ConversationEvent, at = this.now): ConversationCommand[] {
    this.now = at;
    const before = structuredClone(this.state);
    const { state, commands } = reduce(this.program, deepFreeze(this.state), deepFreeze(structuredClone(event)), at);
    expect(this.state, 'reduce must not change its input').toEqual(before);
    this.state = state;
    this.last = commands;
    this.log.push(...commands);
    return commands;
  }

  open(): this {
    this.send({ type: 'open' });
    return this;
  }

  /** The user writes (awaited: the sender waits for the answer, as `?wait=true` does). */
  user(text: string, id: string, { awaited = true, at = this.now }: { awaited?: boolean; at?: number } = {}): ConversationCommand[] {
    const message: InboundMessage = { id, text };
    return this.send({ type: 'user_messages', messages: [message], awaited }, at);
  }

  timer(at: number): ConversationCommand[] {
    return this.send({ type: 'timer' }, at);
  }

  /** The node call in flight, answered. */
  nodeResult(result: unknown, at = this.now): ConversationCommand[] {
    return this.send({ type: 'node_result', seq: this.running('node'), result }, at);
  }

  handoffAnswer(answer: Extract<ConversationEvent, { type: 'handoff_answer' }>['answer'], at = this.now): ConversationCommand[] {
    return this.send({ type: 'handoff_answer', seq: this.running('handoff_request'), answer }, at);
  }

  running(kind: 'node' | 'handoff_request'): number {
    const running = this.state.running;
    if (running?.kind !== kind) throw new Error(`nothing of kind ${kind} is running: ${JSON.stringify(running)}`);
    return running.seq;
  }
}

const kinds = (commands: ConversationCommand[]) => commands.map((c) => c.kind);
const publishes = (commands: ConversationCommand[]): ProjectionRecord[] => commands.flatMap((c) => (c.kind === 'publish' ? [c.record] : []));
const said = (commands: ConversationCommand[]): string[] => publishes(commands).flatMap((r) => r.messages.map((m) => m.text));
const answers = (commands: ConversationCommand[]): { ids: string[]; reply: TurnReply }[] =>
  commands.flatMap((c) => (c.kind === 'answer' ? [{ ids: c.ids, reply: c.reply }] : []));
const told = (commands: ConversationCommand[]): string[] =>
  commands.flatMap((c) => {
    if (c.kind !== 'tell_humans') return [];
    const h = c.command;
    return [h.kind === 'relay' ? `relay: ${h.messages.map((m) => m.text).join(' | ')}` : h.kind === 'close' ? `close: ${h.reason}` : 'reroute'];
  });

describe('reduce: opening', () => {
  it('runs the flow to its first wait and writes the greeting, with the bot message counter', () => {
    const c = new Sim(echo);
    expect(statusOf(c.state)).toBe('bot');
    c.open();
    expect(kinds(c.last)).toEqual(['publish']);
    expect(publishes(c.last)).toEqual([
      {
        messages: [{ id: 'c1-b1', role: 'bot', text: 'Hi!', nodeId: 'hi' }],
        messageSeq: 1,
        status: 'bot',
        nodeId: 'ask',
        vars: c.state.flow.vars,
        failures: [],
      },
    ]);
    expect(wakeAt(c.state)).toBe(T0 + 60 * S);
  });

  it('a flow that cannot be loaded ends at once with an apology', () => {
    const c = new Sim(echo);
    c.send({ type: 'flow_unavailable' });
    expect(said(c.last)).toEqual([DEFAULT_FALLBACK_MESSAGE]);
    expect(publishes(c.last)[0]).toMatchObject({ status: 'closed', messageSeq: 1 });
    expect(c.last.at(-1)).toEqual({ kind: 'finish', ended: 'failed' });
  });

  it('a reopened conversation starts with the person who reopened it; the flow starts when they hand it back', () => {
    const c = new Sim(echo, { state: initialConversation({ conversation: ref, burstWindowMs: 0, messageSeq: 7 }) });
    c.send({ type: 'open', reopenedBy: { agentId: 'ann' } });
    expect([statusOf(c.state), assigneeOf(c.state)]).toEqual(['agent', 'ann']);
    expect(publishes(c.last)).toEqual([expect.objectContaining({ messages: [], status: 'agent', assignee: 'ann' })]);
    expect(wakeAt(c.state)).toBeUndefined();
    expect(answers(c.user('thanks for calling', 'm1'))).toEqual([{ ids: ['m1'], reply: { status: 'relayed', replies: [], conversationStatus: 'agent' } }]);
    c.send({ type: 'hand_back' });
    // Numbered after the earlier runs' seven bot messages.
    expect(publishes(c.last)[0]?.messages).toEqual([{ id: 'c1-b8', role: 'bot', text: 'Hi!', nodeId: 'hi' }]);
    expect(statusOf(c.state)).toBe('bot');
  });

  it('a reopened conversation closed before the hand back ends without the flow', () => {
    const c = new Sim(echo);
    c.send({ type: 'open', reopenedBy: {} });
    c.send({ type: 'close' });
    expect(said(c.last)).toEqual([]);
    expect(c.last.at(-1)).toEqual({ kind: 'finish', ended: 'closed' });
  });
});

describe('reduce: turns and their answers', () => {
  it('answers the waiting sender after the turn is written, with the replies of the turn', () => {
    const c = new Sim(echo).open();
    c.user('hello', 'm1');
    expect(kinds(c.last)).toEqual(['publish', 'answer']);
    expect(answers(c.last)).toEqual([
      { ids: ['m1'], reply: { status: 'answered', replies: [{ id: 'c1-b2', text: 'You said: hello' }], conversationStatus: 'bot' } },
    ]);
    expect(c.state.awaited).toEqual([]);
  });

  it('answers nobody for a message sent without waiting (a signal), and still answers the turn in the projection', () => {
    const c = new Sim(echo).open();
    c.user('hello', 'm1', { awaited: false });
    expect(kinds(c.last)).toEqual(['publish']);
    expect(said(c.last)).toEqual(['You said: hello']);
  });

  it('cuts texts longer than MAX_USER_TEXT', () => {
    const c = new Sim(echo).open();
    c.user('x'.repeat(MAX_USER_TEXT + 50), 'm1');
    expect(c.state.flow.vars['said']).toHaveLength(MAX_USER_TEXT);
  });

  it('one turn at a time: messages sent while the model answers wait, then make the next turn', () => {
    const c = new Sim(ai).open();
    c.user('where is my order?', 'm1');
    expect(kinds(c.last)).toEqual(['call_node']);
    // Nothing visible changed on the way into the call: the position is written with its result.
    expect(c.state.publishOwed).toBe(true);
    c.user('it is A-17', 'm2');
    expect(c.last).toEqual([]);
    expect(c.state.inbox.map((m) => m.id)).toEqual(['m2']);
    c.nodeResult({ text: 'Looking.', escalate: false });
    // m1's turn is answered; m2 starts the next turn at once (no burst window), which calls the model again.
    expect(kinds(c.last)).toEqual(['call_node', 'publish', 'answer']);
    expect(answers(c.last)).toEqual([{ ids: ['m1'], reply: { status: 'answered', replies: [{ id: 'c1-b1', text: 'Looking.' }], conversationStatus: 'bot' } }]);
    c.nodeResult({ text: 'A-17 ships today.', escalate: false });
    expect(answers(c.last)).toEqual([{ ids: ['m2'], reply: expect.objectContaining({ replies: [{ id: 'c1-b2', text: 'A-17 ships today.' }] }) }]);
  });

  it('ignores a node result that is not for the call in flight', () => {
    const c = new Sim(ai).open();
    c.user('hi', 'm1');
    const before = c.state;
    c.send({ type: 'node_result', seq: c.running('node') + 1, result: { text: 'stale', escalate: false } });
    expect(c.last).toEqual([]);
    expect(c.state).toEqual(before);
  });

  it('a failed node call takes the node’s error port', () => {
    const c = new Sim(ai).open();
    c.user('hi', 'm1');
    c.send({ type: 'node_failed', seq: c.running('node'), code: 'llm_http_500', message: 'down' });
    expect(said(c.last)).toEqual(['Sorry.']);
    expect(publishes(c.last)[0]?.failures).toEqual([{ nodeId: 'ai', code: 'llm_http_500', message: 'down' }]);
  });
});

describe('reduce: bursts', () => {
  const W = 1000;

  it('answers messages sent within the window of each other as one turn, each sender with the same answer', () => {
    const c = new Sim(echo, { burstWindowMs: W }).open();
    c.user('hi', 'm1');
    expect(c.last).toEqual([]);
    expect(wakeAt(c.state)).toBe(T0 + W);
    c.user('I have a question', 'm2', { at: T0 + 0.6 * W });
    expect(wakeAt(c.state)).toBe(T0 + 1.6 * W);
    expect(c.timer(T0 + W)).toEqual([]);
    c.timer(T0 + 1.6 * W);
    const reply = { status: 'answered', replies: [{ id: 'c1-b2', text: 'You said: hi\nI have a question' }], conversationStatus: 'bot' };
    expect(answers(c.last)).toEqual([{ ids: ['m1', 'm2'], reply }]);
  });

  it('grows for at most MAX_BURST_WINDOWS windows', () => {
    const c = new Sim(echo, { burstWindowMs: W }).open();
    for (let i = 0; i < 5; i++) c.user(`part ${i}`, `m${i}`, { at: T0 + i * 0.9 * W });
    expect(wakeAt(c.state)).toBe(T0 + MAX_BURST_WINDOWS * W);
    c.timer(T0 + MAX_BURST_WINDOWS * W);
    expect(said(c.last)).toEqual(['You said: part 0\npart 1\npart 2\npart 3\npart 4']);
    expect(c.state.inbox).toEqual([]);
  });

  it('without an override, the flow’s own window (settings.burstWindowMs) applies', () => {
    const c = new Sim(program([start, wait('ask'), say('echo', 'You said: {{said}}')], ['start.next -> ask', 'ask.replied -> echo'], { burstWindowMs: 2500 }), {
      state: initialConversation({ conversation: ref }),
    }).open();
    c.user('hi', 'm1');
    expect(wakeAt(c.state)).toBe(T0 + 2500);
  });

  it('a message after the window starts a new turn', () => {
    const c = new Sim(echo, { burstWindowMs: W }).open();
    c.user('hi', 'm1');
    c.timer(T0 + W);
    c.user('again', 'm2', { at: T0 + 5 * W });
    c.timer(T0 + 6 * W);
    expect(said(c.log)).toEqual(['Hi!', 'You said: hi', 'You said: again']);
  });

  it('a message that arrives with its burst’s timer (in the same moment) still joins the burst', () => {
    const c = new Sim(echo, { burstWindowMs: W }).open();
    c.user('hi', 'm1');
    c.user('me again', 'm2', { at: T0 + 1.2 * W });
    expect(wakeAt(c.state)).toBe(T0 + 2.2 * W);
    c.timer(T0 + 2.2 * W);
    expect(said(c.last)).toEqual(['You said: hi\nme again']);
  });

  it('a reply that arrives with its wait’s deadline is taken as the reply, not as a timeout', () => {
    const c = new Sim(echo).open();
    c.user('just in time', 'm1', { at: T0 + 61 * S });
    expect(said(c.last)).toEqual(['You said: just in time']);
  });

  it('does not answer a burst while waiting, and the wait’s own deadline does not fire while a burst is open', () => {
    const c = new Sim(echo, { burstWindowMs: W }).open();
    c.user('hi', 'm1', { at: T0 + 59.5 * S });
    expect(wakeAt(c.state)).toBe(T0 + 59.5 * S + W);
    c.timer(T0 + 59.5 * S + W);
    expect(said(c.last)).toEqual(['You said: hi']);
  });
});

describe('reduce: duplicates', () => {
  it('ignores a message id seen before, and tells a waiting sender it was a duplicate', () => {
    const c = new Sim(echo).open();
    c.user('hello', 'm1', { awaited: false });
    c.user('hello', 'm1');
    expect(answers(c.last)).toEqual([{ ids: ['m1'], reply: { status: 'duplicate', replies: [], conversationStatus: 'bot' } }]);
    expect(said(c.log)).toEqual(['Hi!', 'You said: hello']);
  });

  it('remembers ids across continue-as-new (the state is carried as it is), at most SEEN_IDS_LIMIT of them', () => {
    const c = new Sim(echo).open();
    for (let i = 0; i < SEEN_IDS_LIMIT + 5; i++) c.user(`n${i}`, `m${i}`, { awaited: false });
    c.send({ type: 'history_long' });
    const carried = c.last.find((cmd) => cmd.kind === 'continue_as_new');
    expect(carried).toBeDefined();
    const next = new Sim(echo, { state: (carried as Extract<ConversationCommand, { kind: 'continue_as_new' }>).state });
    expect(next.state.seenIds).toHaveLength(SEEN_IDS_LIMIT);
    expect(next.state.runs).toBe(2);
    next.user('again', `m${SEEN_IDS_LIMIT + 4}`);
    expect(answers(next.last)[0]?.reply.status).toBe('duplicate');
    // The oldest ids were forgotten.
    next.user('again', 'm0');
    expect(answers(next.last)[0]?.reply.status).toBe('answered');
  });
});

describe('reduce: waits and timers', () => {
  it('takes the wait’s timeout exit at its deadline, not before', () => {
    const c = new Sim(program([start, wait('ask', 30), say('late', 'Still there?'), wait('again', 600)], ['start.next -> ask', 'ask.timeout -> late', 'late.next -> again'])).open();
    expect(wakeAt(c.state)).toBe(T0 + 30 * S);
    expect(c.timer(T0 + 29 * S)).toEqual([]);
    c.timer(T0 + 30 * S);
    expect(said(c.last)).toEqual(['Still there?']);
    expect(wakeAt(c.state)).toBe(T0 + 630 * S);
  });

  it('ends when the timeout exit is not connected', () => {
    const c = new Sim(echo).open();
    c.timer(T0 + 60 * S);
    expect(c.last.at(-1)).toEqual({ kind: 'finish', ended: 'wait_timeout' });
  });

  it('arms nothing while a node call runs', () => {
    const c = new Sim(ai).open();
    c.user('hi', 'm1');
    expect(wakeAt(c.state)).toBeUndefined();
  });
});

describe('reduce: a person takes over outside any handoff (the inbox)', () => {
  it('the person has it: no bot answer, no timer; messages are relayed; the bot continues, its wait afresh, after the hand back', () => {
    const c = new Sim(echo).open();
    c.send({ type: 'takeover', agentId: 'ann' }, T0 + 10 * S);
    expect(publishes(c.last)).toEqual([expect.objectContaining({ status: 'agent', assignee: 'ann', messages: [] })]);
    expect(wakeAt(c.state)).toBeUndefined();
    c.user('is anyone there?', 'm1');
    expect(answers(c.last)).toEqual([{ ids: ['m1'], reply: { status: 'relayed', replies: [], conversationStatus: 'agent' } }]);
    expect(c.state.flow.history.at(-1)).toEqual({ role: 'user', text: 'is anyone there?' });
    c.send({ type: 'agent_message', text: 'Yes, Ann here.', agentId: 'ann' });
    expect(c.state.flow.history.at(-1)).toEqual({ role: 'agent', text: 'Yes, Ann here.' });
    // The whole minute of waiting passes while the person has it: nothing fires.
    expect(c.timer(T0 + 120 * S)).toEqual([]);
    c.send({ type: 'hand_back' }, T0 + 200 * S);
    expect(statusOf(c.state)).toBe('bot');
    expect(wakeAt(c.state)).toBe(T0 + 260 * S);
  });

  it('cancels the model’s call in flight, answers the turn with nothing, and runs the node again after the hand back', () => {
    const c = new Sim(ai).open();
    c.user('where is my order?', 'm1');
    const first = c.running('node');
    c.user('hello?', 'm2');
    c.send({ type: 'takeover', agentId: 'ann' });
    expect(c.last).toContainEqual({ kind: 'cancel_node', seq: first });
    expect(answers(c.last)).toEqual([
      { ids: ['m2'], reply: { status: 'relayed', replies: [], conversationStatus: 'agent' } },
      { ids: ['m1'], reply: { status: 'answered', replies: [], conversationStatus: 'agent' } },
    ]);
    // The cancelled call's late answer changes nothing.
    c.send({ type: 'node_result', seq: first, result: { text: 'too late', escalate: false } });
    expect(c.last).toEqual([]);
    c.send({ type: 'hand_back' });
    expect(kinds(c.last)).toContain('call_node');
    expect(c.running('node')).not.toBe(first);
    c.nodeResult({ text: 'It ships today.', escalate: false });
    expect(said(c.log)).toEqual(['It ships today.']);
  });

  it('a burst still open goes to the person', () => {
    const c = new Sim(echo, { burstWindowMs: 1000 }).open();
    c.user('hi', 'm1');
    c.send({ type: 'takeover' });
    expect(answers(c.last)).toEqual([{ ids: ['m1'], reply: expect.objectContaining({ status: 'relayed' }) }]);
    expect(c.state.burst).toBeUndefined();
    expect(c.timer(T0 + 1000)).toEqual([]);
  });
});

describe('reduce: closing', () => {
  it('ends the conversation, cancels a call in flight, and answers every waiting sender "closed"', () => {
    const c = new Sim(ai).open();
    c.user('hi', 'm1');
    const seq = c.running('node');
    c.user('are you there?', 'm2');
    c.send({ type: 'close' });
    expect(c.last).toContainEqual({ kind: 'cancel_node', seq });
    const closed = { status: 'closed', replies: [], conversationStatus: 'closed' };
    expect(answers(c.last)).toEqual([
      { ids: ['m1'], reply: closed },
      { ids: ['m2'], reply: closed },
    ]);
    expect(publishes(c.last)).toEqual([expect.objectContaining({ status: 'closed' })]);
    expect(c.last.at(-1)).toEqual({ kind: 'finish', ended: 'closed' });
    expect(answers(c.user('hello?', 'm3'))).toEqual([{ ids: ['m3'], reply: { status: 'closed', replies: [], conversationStatus: 'closed' } }]);
  });

  it('an end node finishes it; the last turn is answered with the goodbye', () => {
    const c = new Sim(program([start, wait('ask'), { id: 'bye', type: 'end', config: { message: 'Bye!' } }], ['start.next -> ask', 'ask.replied -> bye'])).open();
    c.user('thanks', 'm1');
    expect(kinds(c.last)).toEqual(['publish', 'answer', 'finish']);
    expect(answers(c.last)).toEqual([{ ids: ['m1'], reply: { status: 'answered', replies: [{ id: 'c1-b1', text: 'Bye!' }], conversationStatus: 'closed' } }]);
  });
});

describe('reduce: handoff to people', () => {
  function queued(): Sim {
    const c = new Sim(handoff).open();
    c.user('I need a person', 'm1');
    expect(kinds(c.last)).toEqual(['request_handoff', 'publish']);
    expect(c.last[0]).toMatchObject({ nodeId: 'human', request: { target: { kind: 'inbox' } }, history: [{ role: 'user', text: 'I need a person' }], user: {} });
    // Queued from the moment the people are asked; the turn's answer waits for them.
    expect(publishes(c.last)).toEqual([expect.objectContaining({ status: 'queued', messages: [] })]);
    expect(answers(c.last)).toEqual([]);
    c.handoffAnswer({ outcome: 'queued', session: { ticket: 't1' } });
    // The turn's answer waited for the people to be asked: it carries the "connecting" line.
    expect(answers(c.last)).toEqual([{ ids: ['m1'], reply: { status: 'answered', replies: [{ id: 'c1-b1', text: TEXTS.waiting }], conversationStatus: 'queued' } }]);
    return c;
  }

  it('relays what the user writes to the people, message by message, answering "relayed"', () => {
    const c = queued();
    c.send({ type: 'user_messages', messages: [{ id: 'm2', text: 'line one\nline two' }, { id: 'm3', text: 'hello?' }], awaited: true });
    expect(told(c.last)).toEqual(['relay: line one\nline two | hello?']);
    expect(answers(c.last)).toEqual([
      { ids: ['m2'], reply: { status: 'relayed', replies: [], conversationStatus: 'queued' } },
      { ids: ['m3'], reply: { status: 'relayed', replies: [], conversationStatus: 'queued' } },
    ]);
  });

  it('nobody in time → "keep waiting?"; a person picks it up, writes, and hands back: the bot goes on at "resolved"', () => {
    const c = queued();
    expect(wakeAt(c.state)).toBe(T0 + 60 * S);
    c.timer(T0 + 60 * S);
    expect(said(c.last)).toEqual([TEXTS.keepWaiting]);
    c.send({ type: 'takeover', agentId: 'bob' }, T0 + 70 * S);
    expect([statusOf(c.state), assigneeOf(c.state)]).toEqual(['agent', 'bob']);
    c.send({ type: 'agent_message', text: 'Bob here.' }, T0 + 71 * S);
    expect(wakeAt(c.state)).toBe(T0 + 251 * S);
    c.send({ type: 'hand_back' });
    expect(said(c.last)).toEqual(['The bot again.']);
    expect(statusOf(c.state)).toBe('bot');
  });

  it('the session ends when the user stays silent after the person’s last message; the desk is told', () => {
    const c = queued();
    c.send({ type: 'agent_message', text: 'Hi, I am Bob.' }, T0 + 5 * S);
    c.timer(T0 + 185 * S);
    expect(said(c.last)).toEqual([TEXTS.sessionEnded, 'The bot again.']);
    expect(told(c.last)).toEqual(['close: TIMEOUT']);
  });

  it('the user leaving ends the handoff (the desk is told) and the bot continues', () => {
    const c = queued();
    c.send({ type: 'user_left' });
    expect(told(c.last)).toEqual(['close: USER_CLOSED']);
    expect(said(c.last)).toEqual(['Nobody came.']);
  });

  it('a desk that is unavailable takes the node’s exit without queueing', () => {
    const c = new Sim(handoff).open();
    c.user('I need a person', 'm1');
    c.handoffAnswer({ outcome: 'no_agent' });
    expect(said(c.last)).toEqual(['Nobody came.']);
    expect(answers(c.last)[0]?.reply).toMatchObject({ status: 'answered', conversationStatus: 'bot' });
  });

  it('ignores an answer that is not for the request in flight', () => {
    const c = new Sim(handoff).open();
    c.user('I need a person', 'm1');
    const before = c.state;
    c.send({ type: 'handoff_answer', seq: 99, answer: { outcome: 'queued' } });
    expect(c.state).toEqual(before);
  });
});

describe('reduce: the user asks for a person (the widget’s button)', () => {
  it('from a wait: the bot’s own desk is asked; after the people, the wait starts afresh', () => {
    const c = new Sim(echo).open();
    c.send({ type: 'request_human' }, T0 + 10 * S);
    expect(c.last).toContainEqual(expect.objectContaining({ kind: 'request_handoff', request: expect.objectContaining({ target: { kind: 'default' } }) }));
    c.handoffAnswer({ outcome: 'live', agentId: 'ann' });
    expect(assigneeOf(c.state)).toBe('ann');
    c.send({ type: 'hand_back' }, T0 + 100 * S);
    expect(c.state.flow.cursor?.waiting).toEqual({ for: 'reply', timeoutSeconds: 60, deadline: T0 + 160 * S, timeoutPort: 'timeout' });
  });

  it('while the model answers: done once the bot waits again', () => {
    const c = new Sim(ai).open();
    c.user('hi', 'm1');
    c.send({ type: 'request_human' });
    expect(kinds(c.last)).toEqual([]);
    c.nodeResult({ text: 'Hello!', escalate: false });
    expect(kinds(c.last)).toContain('request_handoff');
  });
});

describe('reduce: the bot is switched off', () => {
  const off = { type: 'bot_switched', on: false, notice: 'We are closed for now.' } as const;

  it('a conversation the bot has ends with the notice; a call in flight is cancelled and its sender answered with the notice', () => {
    const c = new Sim(ai).open();
    c.user('hi', 'm1');
    const seq = c.running('node');
    c.send(off);
    expect(c.last).toContainEqual({ kind: 'cancel_node', seq });
    expect(said(c.last)).toEqual(['We are closed for now.']);
    expect(answers(c.last)).toEqual([{ ids: ['m1'], reply: { status: 'answered', replies: [{ id: 'c1-b1', text: 'We are closed for now.' }], conversationStatus: 'closed' } }]);
    expect(c.last.at(-1)).toEqual({ kind: 'finish', ended: 'bot_off' });
  });

  it('a conversation a person took over goes on with them, and ends with the notice when they hand it back', () => {
    const c = new Sim(echo).open();
    c.send({ type: 'takeover', agentId: 'ann' });
    c.send(off);
    expect(c.last).toEqual([]);
    expect(answers(c.user('still there?', 'm1'))[0]?.reply.status).toBe('relayed');
    c.send({ type: 'hand_back' });
    expect(said(c.last)).toEqual(['We are closed for now.']);
    expect(c.last.at(-1)).toEqual({ kind: 'finish', ended: 'bot_off' });
  });

  it('a handoff goes on with the people; when they are done the notice is said instead of the flow going on', () => {
    const c = new Sim(handoff).open();
    c.user('I need a person', 'm1');
    c.handoffAnswer({ outcome: 'queued' });
    c.send(off);
    expect(statusOf(c.state)).toBe('queued');
    c.send({ type: 'takeover', agentId: 'bob' });
    c.send({ type: 'hand_back' });
    expect(said(c.last)).toEqual(['We are closed for now.']);
    expect(c.last.at(-1)).toEqual({ kind: 'finish', ended: 'bot_off' });
  });

  it('switched on again before the people are done, the bot takes the conversation back', () => {
    const c = new Sim(echo).open();
    c.send({ type: 'takeover' });
    c.send(off);
    c.send({ type: 'bot_switched', on: true, notice: '' });
    c.send({ type: 'hand_back' });
    expect(statusOf(c.state)).toBe('bot');
    expect(answers(c.user('hello', 'm1'))[0]?.reply.replies).toEqual([{ id: 'c1-b2', text: 'You said: hello' }]);
  });
});

describe('reduce: continue-as-new', () => {
  it('waits for an idle moment: nothing in flight, nobody waiting for an answer', () => {
    const c = new Sim(ai).open();
    c.user('hi', 'm1');
    c.send({ type: 'history_long' });
    expect(kinds(c.last)).toEqual([]);
    c.nodeResult({ text: 'Hello!', escalate: false });
    const carried = c.last.find((cmd) => cmd.kind === 'continue_as_new') as Extract<ConversationCommand, { kind: 'continue_as_new' }>;
    expect(carried.state).toMatchObject({ runs: 2, inbox: [], awaited: [], flow: { cursor: { nodeId: 'ask' } } });
    expect(carried.state.continueAsNewDue).toBeUndefined();
  });

  it('carries a reopened conversation’s pending start: the flow still starts after the hand back', () => {
    const c = new Sim(echo);
    c.send({ type: 'open', reopenedBy: { agentId: 'ann' } });
    c.send({ type: 'history_long' });
    const carried = c.last.find((cmd) => cmd.kind === 'continue_as_new') as Extract<ConversationCommand, { kind: 'continue_as_new' }>;
    const next = new Sim(echo, { state: carried.state });
    next.send({ type: 'hand_back' });
    expect(said(next.last)).toEqual(['Hi!']);
  });
});

describe('statusOf, assigneeOf and wakeAt are functions of the state', () => {
  it('after every timer the next wake-up is in the future (the shell never spins)', () => {
    const c = queued_();
    for (let at = T0; at < T0 + 1000 * S; at += 7 * S) {
      c.timer(at);
      const next = wakeAt(c.state);
      if (next !== undefined) expect(next).toBeGreaterThan(at);
      if (c.state.flow.ended) break;
    }
    function queued_(): Sim {
      const sim = new Sim(handoff).open();
      sim.user('person please', 'm1');
      sim.handoffAnswer({ outcome: 'queued' });
      return sim;
    }
  });
});
