import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDOFF_TEXTS as TEXTS, type FlowDocumentInput, type JsonObject } from '@baton/nodes';
import { testProgram } from '../testing/program.js';
import { advance, FALLBACK_HANDOFF, REQUESTED_HANDOFF } from './advance.js';
import { initialFlowState, type AdvanceResult, type EngineEvent, type FlowState, type InitialUser } from './conversation-state.js';
import type { Program } from './program.js';

const ref = { id: 'conv1', botId: 'bot1', flowVersion: 1 };
const T0 = Date.parse('2026-01-05T10:00:00.000Z');
const S = 1000;

type NodeInput = { id: string; type: string; config?: JsonObject };
type EdgeInput = [source: string, sourcePort: string, target: string];

function compile(nodes: NodeInput[], edges: EdgeInput[], settings: FlowDocumentInput['settings'] = {}): Program {
  return testProgram({
    schemaVersion: 1,
    name: 'test',
    nodes: nodes.map((n) => ({ ...n, config: n.config ?? {} })),
    edges: edges.map(([source, sourcePort, target], i) => ({ id: `e${i}`, source, sourcePort, target })),
    settings,
  });
}

const start: NodeInput = { id: 'start', type: 'start' };
const say = (id: string, text: string): NodeInput => ({ id, type: 'send_message', config: { text } });
const wait = (id: string, config: JsonObject = { timeoutSeconds: 60 }): NodeInput => ({ id, type: 'wait_for_reply', config });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** A conversation driven event by event, each `advance` on frozen input. */
class Conversation {
  state: FlowState;
  last!: AdvanceResult;

  constructor(
    private readonly flow: Program,
    user: InitialUser = {},
  ) {
    this.state = initialFlowState(ref, user);
  }

  send(event: EngineEvent, now = T0): AdvanceResult {
    const before = structuredClone(this.state);
    this.last = advance(this.flow, deepFreeze(this.state), deepFreeze(event), now);
    expect(this.state).toEqual(before);
    this.state = this.last.state;
    return this.last;
  }

  user(text: string, now = T0, ids = ['m1']): AdvanceResult {
    return this.send({ type: 'user_turn', turn: { messages: ids.map((id) => ({ id, text })), messageIds: ids, text, receivedAt: new Date(now).toISOString() } }, now);
  }

  texts(): string[] {
    return this.last.messages.map((m) => m.text);
  }

  commands(): string[] {
    return this.last.commands.map((c) =>
      c.kind === 'relay' ? `relay: ${c.messages.map((m) => m.text).join(' | ')}` : c.kind === 'close' ? `close: ${c.reason}` : 'reroute',
    );
  }

  phase(): string | undefined {
    const waiting = this.state.cursor?.waiting;
    return waiting?.for === 'handoff' ? waiting.progress?.phase : undefined;
  }
}

const queued = { type: 'handoff_requested', result: { outcome: 'queued', session: { ticket: 't1' } } } as const;

describe('advance: a handoff node', () => {
  const flow = compile(
    [
      start,
      { id: 'human', type: 'assign_to_user', config: { waitTimeoutSeconds: 30, sessionTimeoutSeconds: 60, offHoursMessage: 'Closed, {{user.name | friend}}.' } },
      say('back', 'The bot again.'),
      wait('more'),
      say('nobody', 'Nobody came.'),
      say('closed', 'Come back tomorrow.'),
    ],
    [
      ['start', 'next', 'human'],
      ['human', 'resolved', 'back'],
      ['back', 'next', 'more'],
      ['human', 'no_agent', 'nobody'],
      ['human', 'off_hours', 'closed'],
    ],
  );

  it('hands the node\'s request to the machine, which asks the humans first', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    expect(c.state.cursor).toEqual({
      nodeId: 'human',
      local: {},
      waiting: {
        for: 'handoff',
        request: {
          target: { kind: 'inbox', assignTo: 'anyone', rerouteAfterSeconds: 0 },
          waitTimeoutSeconds: 30,
          sessionTimeoutSeconds: 60,
          historyRounds: 10,
          requireEmail: false,
          texts: {},
        },
        progress: { phase: 'requesting' },
      },
    });
    expect(c.last.messages).toEqual([]);
  });

  it('queued → a human joins → writes → the user answers (relayed) → the human leaves: the node continues at resolved', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send(queued);
    expect(c.last.messages).toEqual([{ id: 'conv1-b1', role: 'bot', text: TEXTS.waiting, nodeId: 'human' }]);
    expect(c.state.cursor?.waiting).toMatchObject({ for: 'handoff', progress: { phase: 'queued', deadline: T0 + 30 * S } });

    c.user('anyone there?', T0 + S);
    expect(c.texts()).toEqual([]);
    expect(c.commands()).toEqual(['relay: anyone there?']);
    expect(c.last.commands[0]).toMatchObject({ target: { kind: 'inbox' }, session: { ticket: 't1' } });
    expect(c.state.vars['lastMessage']).toBe('anyone there?');

    c.send({ type: 'human_joined', agentId: 'ann' }, T0 + 2 * S);
    expect(c.phase()).toBe('live');
    c.send({ type: 'agent_message', text: 'Hi, Ann here.' }, T0 + 3 * S);
    expect(c.state.cursor?.waiting).toMatchObject({ progress: { phase: 'live', agentId: 'ann', deadline: T0 + 63 * S } });
    c.user('my parcel is late', T0 + 4 * S);
    expect(c.commands()).toEqual(['relay: my parcel is late']);
    expect(c.state.cursor?.waiting).not.toHaveProperty('progress.deadline');

    c.send({ type: 'human_left' }, T0 + 5 * S);
    expect(c.last.commands).toEqual([]);
    expect(c.last.visited).toEqual(['back', 'more']);
    expect(c.last.messages).toEqual([{ id: 'conv1-b2', role: 'bot', text: 'The bot again.', nodeId: 'back' }]);
    expect(c.state.cursor).toMatchObject({ nodeId: 'more', waiting: { for: 'reply', deadline: T0 + 65 * S } });
    expect(c.state.history).toEqual([
      { role: 'bot', text: TEXTS.waiting },
      { role: 'user', text: 'anyone there?' },
      { role: 'agent', text: 'Hi, Ann here.' },
      { role: 'user', text: 'my parcel is late' },
      { role: 'bot', text: 'The bot again.' },
    ]);
  });

  it('nobody comes, the user stops waiting: no_agent port, the humans\' side closed', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send(queued);
    c.send({ type: 'timeout' }, T0 + 30 * S);
    expect(c.last.messages).toEqual([
      { id: 'conv1-b2', role: 'bot', text: TEXTS.keepWaiting, nodeId: 'human', quickReplies: [TEXTS.keepWaitingChoice, TEXTS.stopWaitingChoice] },
    ]);
    c.user('Stop', T0 + 31 * S);
    expect(c.commands()).toEqual(['close: USER_CLOSED']);
    expect(c.texts()).toEqual(['Nobody came.']);
    expect(c.state.ended).toBe('no_route');
  });

  it('no answer to "keep waiting?": no_agent port, closed as TIMEOUT', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send(queued);
    c.send({ type: 'timeout' }, T0 + 30 * S);
    c.send({ type: 'timeout' }, T0 + 60 * S);
    expect(c.commands()).toEqual(['close: TIMEOUT']);
    expect(c.texts()).toEqual(['Nobody came.']);
  });

  it('the session times out: sessionEnded, closed as TIMEOUT, resolved port', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send({ type: 'handoff_requested', result: { outcome: 'live', session: {}, agentId: 'ann' } });
    c.send({ type: 'agent_message', text: 'Hello!' }, T0 + S);
    c.send({ type: 'timeout' }, T0 + 61 * S);
    expect(c.texts()).toEqual([TEXTS.sessionEnded, 'The bot again.']);
    expect(c.commands()).toEqual(['close: TIMEOUT']);
    expect(c.state.cursor?.nodeId).toBe('more');
  });

  it('off hours: the node says its offHoursMessage and takes off_hours', () => {
    const c = new Conversation(flow, { name: 'Ada' });
    c.send({ type: 'start' });
    c.send({ type: 'handoff_requested', result: { outcome: 'off_hours' } });
    expect(c.texts()).toEqual(['Closed, Ada.', 'Come back tomorrow.']);
    expect(c.last.commands).toEqual([]);
  });

  it('escalate: unavailable takes the node\'s unavailable port', () => {
    const desk = compile(
      [start, { id: 'desk', type: 'escalate', config: { provider: 'intercom' } }, say('down', 'The desk is down.')],
      [
        ['start', 'next', 'desk'],
        ['desk', 'unavailable', 'down'],
      ],
    );
    const c = new Conversation(desk);
    c.send({ type: 'start' });
    expect(c.state.cursor?.waiting).toMatchObject({ request: { target: { kind: 'desk', provider: 'intercom' } } });
    c.send({ type: 'handoff_requested', result: { outcome: 'unavailable' } });
    expect(c.texts()).toEqual(['The desk is down.']);
  });

  it('close during a handoff ends the conversation and closes the humans\' side', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send(queued);
    c.send({ type: 'close' });
    expect(c.state.ended).toBe('closed');
    expect(c.state.cursor).toBeNull();
    expect(c.commands()).toEqual(['close: USER_CLOSED']);
    expect(c.texts()).toEqual([]);
  });

  it('events the machine does not know leave the handoff as it is', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send(queued);
    const before = c.state;
    for (const event of [{ type: 'start' }, { type: 'resume' }, { type: 'request_human' }, { type: 'activity_result', result: {} }] as EngineEvent[]) {
      c.send(event, T0 + S);
      expect(c.state, event.type).toEqual(before);
      expect(c.last.messages, event.type).toEqual([]);
    }
  });
});

describe('advance: email first', () => {
  const flow = compile(
    [start, { id: 'human', type: 'escalate', config: { provider: 'webhook', requireEmail: true } }, say('back', 'Back: {{user.email}}.')],
    [
      ['start', 'next', 'human'],
      ['human', 'resolved', 'back'],
    ],
  );

  it('asks for the email, sets user.email from the answer, then asks the humans', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    expect(c.texts()).toEqual([TEXTS.emailPrompt]);
    expect(c.phase()).toBe('email');
    c.user('nope');
    expect(c.texts()).toEqual([TEXTS.emailInvalid]);
    c.user('it is Lin@Example.com');
    expect(c.texts()).toEqual([]);
    expect(c.state.vars['user']).toMatchObject({ email: 'lin@example.com' });
    expect(c.phase()).toBe('requesting');
  });

  it('keeps the email exchange out of the history, so the humans get the user\'s question', () => {
    const asked = compile(
      [start, wait('ask'), { id: 'human', type: 'escalate', config: { provider: 'webhook', requireEmail: true } }],
      [
        ['start', 'next', 'ask'],
        ['ask', 'replied', 'human'],
      ],
    );
    const c = new Conversation(asked);
    c.send({ type: 'start' });
    c.user('I need a person');
    expect(c.texts()).toEqual([TEXTS.emailPrompt]);
    c.user('nope');
    c.user('ann@example.com');
    expect(c.phase()).toBe('requesting');
    expect(c.state.vars['lastMessage']).toBe('ann@example.com');
    expect(c.state.history).toEqual([{ role: 'user', text: 'I need a person' }]);
    c.send(queued);
    c.user('hello?');
    expect(c.state.history).toEqual([
      { role: 'user', text: 'I need a person' },
      { role: 'bot', text: TEXTS.waiting },
      { role: 'user', text: 'hello?' },
    ]);
  });

  it('user_info sets the user variables, so the email is not asked', () => {
    const c = new Conversation(flow);
    c.send({ type: 'user_info', user: { email: 'kim@example.com', name: 'Kim', externalId: 'u-7' } });
    expect(c.state.vars['user']).toEqual({ email: 'kim@example.com', name: 'Kim', externalId: 'u-7' });
    expect(c.last.messages).toEqual([]);
    c.send({ type: 'start' });
    expect(c.texts()).toEqual([]);
    expect(c.phase()).toBe('requesting');
  });

  it('user_info leaves what it does not carry as it was', () => {
    const c = new Conversation(flow, { email: 'kim@example.com', name: 'Kim' });
    c.send({ type: 'user_info', user: { name: 'Kimberly', email: '' } });
    expect(c.state.vars['user']).toEqual({ email: 'kim@example.com', name: 'Kimberly' });
  });

  it('a takeover while the email is asked gives the conversation to the human', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send({ type: 'human_joined', agentId: 'ann' });
    expect(c.state.cursor?.waiting).toMatchObject({ progress: { phase: 'live', agentId: 'ann' } });
    c.user('hello?');
    expect(c.texts()).toEqual([]);
    expect(c.commands()).toEqual(['relay: hello?']);
  });
});

describe('advance: the flow failed (fallback handoff)', () => {
  const flow = compile([start, { id: 'http', type: 'http_request', config: { url: 'https://api.example.com' } }], [['start', 'next', 'http']], {
    fallbackMessage: 'Sorry!',
  });

  it('hands over to the inbox through the machine, and ends failed once the humans are done', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send({ type: 'activity_failed', code: 'timeout', message: 'no answer' });
    expect(c.texts()).toEqual(['Sorry!']);
    expect(c.state.cursor).toEqual({
      nodeId: 'http',
      local: {},
      waiting: { for: 'handoff', request: FALLBACK_HANDOFF, progress: { phase: 'requesting' } },
      fallback: true,
    });
    c.send(queued);
    expect(c.texts()).toEqual([TEXTS.waiting]);
    c.send({ type: 'human_joined' });
    c.send({ type: 'human_left' });
    expect(c.state.ended).toBe('failed');
    expect(c.state.cursor).toBeNull();
    expect(c.texts()).toEqual([]);
  });

  it('ends failed whatever the outcome (nobody available)', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send({ type: 'activity_failed', code: 'timeout', message: 'no answer' });
    c.send({ type: 'handoff_requested', result: { outcome: 'no_agent' } });
    expect(c.state.ended).toBe('failed');
  });
});

describe('advance: the user asks for a person from a wait', () => {
  const flow = compile(
    [start, say('hi', 'Hi!'), wait('ask', { timeoutSeconds: 60, saveAs: 'answer' }), say('echo', 'You said {{answer}}.'), say('late', 'Still there?')],
    [
      ['start', 'next', 'hi'],
      ['hi', 'next', 'ask'],
      ['ask', 'replied', 'echo'],
      ['ask', 'timeout', 'late'],
    ],
  );

  it('hands off to the default desk and, once the humans are done, resumes the wait with a fresh deadline', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send({ type: 'request_human' }, T0 + 10 * S);
    expect(c.state.cursor).toEqual({
      nodeId: 'ask',
      local: {},
      waiting: {
        for: 'handoff',
        request: REQUESTED_HANDOFF,
        progress: { phase: 'requesting' },
        resume: { for: 'reply', timeoutSeconds: 60, deadline: T0 + 60 * S, timeoutPort: 'timeout' },
      },
    });
    expect(REQUESTED_HANDOFF.target).toEqual({ kind: 'default' });
    c.send(queued, T0 + 11 * S);
    expect(c.texts()).toEqual([TEXTS.waiting]);
    c.send({ type: 'human_joined', agentId: 'ann' }, T0 + 12 * S);
    // Long after the wait's own deadline: the human session stopped its clock.
    c.user('my question', T0 + 100 * S);
    expect(c.texts()).toEqual([]);
    expect(c.commands()).toEqual(['relay: my question']);
    c.send({ type: 'human_left' }, T0 + 200 * S);
    expect(c.last.messages).toEqual([]);
    expect(c.last.visited).toEqual([]);
    expect(c.state.cursor).toEqual({
      nodeId: 'ask',
      local: {},
      waiting: { for: 'reply', timeoutSeconds: 60, deadline: T0 + 260 * S, timeoutPort: 'timeout' },
    });

    c.user('thanks', T0 + 201 * S);
    expect(c.texts()).toEqual(['You said thanks.']);
  });

  it('resumes the wait also when nobody came', () => {
    const c = new Conversation(flow);
    c.send({ type: 'start' });
    c.send({ type: 'request_human' });
    c.send({ type: 'handoff_requested', result: { outcome: 'no_agent' } }, T0 + 5 * S);
    expect(c.state.cursor).toMatchObject({ nodeId: 'ask', waiting: { for: 'reply', deadline: T0 + 65 * S } });
    c.send({ type: 'timeout' }, T0 + 65 * S);
    expect(c.texts()).toEqual(['Still there?']);
  });

  it('is ignored when the bot is not waiting for the user', () => {
    const busy = compile([start, { id: 'http', type: 'http_request', config: { url: 'https://api.example.com' } }], [['start', 'next', 'http']]);
    const c = new Conversation(busy);
    c.send({ type: 'start' });
    const before = c.state;
    c.send({ type: 'request_human' });
    expect(c.state).toEqual(before);
  });
});
