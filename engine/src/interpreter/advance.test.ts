import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNode, DEFAULT_FALLBACK_MESSAGE, type FlowDocumentInput, type JsonObject } from '@baton/nodes';
import { testProgram } from '../testing/program.js';
import { advance, FALLBACK_HANDOFF, MAX_STEPS_PER_ADVANCE } from './advance.js';
import { HISTORY_LIMIT, HISTORY_TEXT_LIMIT, initialFlowState, type AdvanceResult, type EngineEvent, type FlowState } from './conversation-state.js';
import type { Program } from './program.js';

// Test-only node types for failures the built-ins never produce.
const explode = defineNode({
  type: 'explode',
  version: 1,
  title: 'Explode',
  description: 'A step that throws.',
  category: 'logic',
  config: z.object({}),
  ports: ['next', 'error'],
  step: () => {
    throw new Error('kaboom');
  },
});
const wrongPort = defineNode({
  type: 'wrong_port',
  version: 1,
  title: 'Wrong port',
  description: 'Leaves through a port it does not declare.',
  category: 'logic',
  config: z.object({}),
  ports: ['next'],
  step: () => ({ say: ['before'], then: { go: 'nowhere' } }),
});
const noActivity = defineNode({
  type: 'no_activity',
  version: 1,
  title: 'No activity',
  description: 'Asks to call an activity it does not declare.',
  category: 'logic',
  config: z.object({}),
  ports: ['next'],
  step: () => ({ then: { call: { n: 1 } as never } }),
});

const malformedAnswers: Record<string, unknown> = {
  noThen: { say: ['hi'] },
  nullThen: { then: null },
  emptyThen: { then: {} },
  nullWait: { then: { wait: null } },
  sayString: { say: 'hello', then: { go: 'next' } },
  nothing: undefined,
};
// What a custom node written in plain JavaScript might answer.
const malformed = defineNode({
  type: 'malformed',
  version: 1,
  title: 'Malformed',
  description: 'Answers something that is not a step result.',
  category: 'logic',
  config: z.object({ answer: z.string() }),
  ports: ['next'],
  step: ({ config }) => malformedAnswers[config.answer] as never,
});

const testNodes = [explode, wrongPort, noActivity, malformed];
const ref = { id: 'conv1', botId: 'bot1', flowVersion: 3 };
const T0 = Date.parse('2026-01-05T10:00:00.000Z');

type NodeInput = { id: string; type: string; config?: JsonObject; typeVersion?: number };
type EdgeInput = [source: string, sourcePort: string, target: string];

function compile(nodes: NodeInput[], edges: EdgeInput[], settings: FlowDocumentInput['settings'] = {}): Program {
  return testProgram(
    {
      schemaVersion: 1,
      name: 'test',
      nodes: nodes.map((n) => ({ ...n, config: n.config ?? {} })),
      edges: edges.map(([source, sourcePort, target], i) => ({ id: `e${i}`, source, sourcePort, target })),
      settings,
    },
    testNodes,
  );
}

const start: NodeInput = { id: 'start', type: 'start' };
const say = (id: string, text: string): NodeInput => ({ id, type: 'send_message', config: { text } });
const wait = (id: string, config: JsonObject = { timeoutSeconds: 60 }): NodeInput => ({ id, type: 'wait_for_reply', config });
const end = (id: string, message = ''): NodeInput => ({ id, type: 'end', config: { message } });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** `advance` with the input frozen: any mutation of the state throws. */
function step(flow: Program, state: FlowState, event: EngineEvent, nowMs = T0): AdvanceResult {
  const snapshot = structuredClone(state);
  const result = advance(flow, deepFreeze(state), deepFreeze(event), nowMs);
  expect(state).toEqual(snapshot);
  return result;
}

const userTurn = (text: string, id = 'm1'): EngineEvent => ({
  type: 'user_turn',
  turn: { messages: [{ id, text }], messageIds: [id], text, receivedAt: new Date(T0).toISOString() },
});

function begin(flow: Program, vars: JsonObject = {}): AdvanceResult {
  return step(flow, initialFlowState(ref, { email: 'ann@example.com' }, vars), { type: 'start' });
}

describe('advance: start and waits', () => {
  const flow = compile(
    [start, say('hi', 'Hi {{user.email}}!'), say('help', 'How can I help?'), wait('ask', { timeoutSeconds: 60, saveAs: 'answer' }), say('echo', 'You said {{answer}}'), end('bye', 'Bye')],
    [
      ['start', 'next', 'hi'],
      ['hi', 'next', 'help'],
      ['help', 'next', 'ask'],
      ['ask', 'replied', 'echo'],
      ['echo', 'next', 'ask'],
      ['ask', 'timeout', 'bye'],
    ],
  );

  it('runs from start until the first wait, with message ids from the conversation id', () => {
    const result = begin(flow);
    expect(result.messages).toEqual([
      { id: 'conv1-b1', role: 'bot', text: 'Hi ann@example.com!', nodeId: 'hi' },
      { id: 'conv1-b2', role: 'bot', text: 'How can I help?', nodeId: 'help' },
    ]);
    expect(result.visited).toEqual(['start', 'hi', 'help', 'ask']);
    expect(result.failures).toEqual([]);
    expect(result.state.cursor).toEqual({
      nodeId: 'ask',
      local: {},
      waiting: { for: 'reply', timeoutSeconds: 60, deadline: T0 + 60_000, timeoutPort: 'timeout' },
    });
    expect(result.state.messageSeq).toBe(2);
    expect(result.state.ended).toBeUndefined();
    expect(result.state.history).toEqual([
      { role: 'bot', text: 'Hi ann@example.com!' },
      { role: 'bot', text: 'How can I help?' },
    ]);
  });

  it('ignores a second start', () => {
    const started = begin(flow);
    const again = step(flow, started.state, { type: 'start' });
    expect(again.messages).toEqual([]);
    expect(again.state).toEqual(started.state);
  });

  it('routes a reply through replied, saving it, setting lastMessage and history, with ids going on', () => {
    const started = begin(flow);
    const later = T0 + 5000;
    const replied = step(flow, started.state, userTurn('my order'), later);
    expect(replied.messages).toEqual([{ id: 'conv1-b3', role: 'bot', text: 'You said my order', nodeId: 'echo' }]);
    expect(replied.visited).toEqual(['echo', 'ask']);
    expect(replied.state.vars).toMatchObject({ lastMessage: 'my order', answer: 'my order' });
    expect(replied.state.history.slice(-2)).toEqual([
      { role: 'user', text: 'my order' },
      { role: 'bot', text: 'You said my order' },
    ]);
    expect(replied.state.cursor?.waiting).toEqual({ for: 'reply', timeoutSeconds: 60, deadline: later + 60_000, timeoutPort: 'timeout' });

    const again = step(flow, replied.state, userTurn('more', 'm2'), later + 1000);
    expect(again.messages.map((m) => m.id)).toEqual(['conv1-b4']);
    expect(again.state.messageSeq).toBe(4);
  });

  it('routes a timeout to the timeout port', () => {
    const started = begin(flow);
    const timedOut = step(flow, started.state, { type: 'timeout' }, T0 + 60_000);
    expect(timedOut.messages).toEqual([{ id: 'conv1-b3', role: 'bot', text: 'Bye', nodeId: 'bye' }]);
    expect(timedOut.visited).toEqual(['bye']);
    expect(timedOut.state.cursor).toBeNull();
    expect(timedOut.state.ended).toBe('completed');
  });

  it('ends with wait_timeout when the timeout port is not connected', () => {
    const open = compile([start, wait('ask')], [['start', 'next', 'ask']]);
    const timedOut = step(open, begin(open).state, { type: 'timeout' });
    expect(timedOut.messages).toEqual([]);
    expect(timedOut.state.cursor).toBeNull();
    expect(timedOut.state.ended).toBe('wait_timeout');
  });

  it('waits without a deadline when the node sets no timeout', () => {
    const ask = compile([start, { id: 'email', type: 'collect_email' }], [['start', 'next', 'email']]);
    const started = step(ask, initialFlowState(ref), { type: 'start' });
    expect(started.messages.map((m) => m.text)).toEqual(['What is your email address?']);
    expect(started.state.cursor).toEqual({ nodeId: 'email', local: { attempts: 0 }, waiting: { for: 'reply' } });
    const wrong = step(ask, started.state, userTurn('no idea'));
    expect(wrong.state.cursor?.local).toEqual({ attempts: 1 });
  });

  it('ends with no_route when a node leaves through an unconnected port', () => {
    const dead = compile([start, say('hi', 'Hi')], [['start', 'next', 'hi']]);
    const result = begin(dead);
    expect(result.messages.map((m) => m.text)).toEqual(['Hi']);
    expect(result.state.cursor).toBeNull();
    expect(result.state.ended).toBe('no_route');
    expect(result.failures).toEqual([]);
  });

  it('ignores a timeout while not waiting for a reply', () => {
    const llm = compile([start, { id: 'ai', type: 'llm_reply', config: { instructions: 'x' } }], [['start', 'next', 'ai']]);
    const started = begin(llm);
    const ignored = step(llm, started.state, { type: 'timeout' });
    expect(ignored.state).toEqual(started.state);
  });
});

describe('advance: user notes, agent messages, resume, close', () => {
  const flow = compile([start, wait('ask', { timeoutSeconds: 30 })], [['start', 'next', 'ask']]);

  it('user_note only records the text as lastMessage and in history', () => {
    const started = begin(flow);
    const noted = step(flow, started.state, { type: 'user_note', turn: { messages: [{ id: 'm9', text: 'hello?' }], messageIds: ['m9'], text: 'hello?', receivedAt: new Date(T0).toISOString() } });
    expect(noted.messages).toEqual([]);
    expect(noted.visited).toEqual([]);
    expect(noted.state).toEqual({
      ...started.state,
      vars: { ...started.state.vars, lastMessage: 'hello?' },
      history: [{ role: 'user', text: 'hello?' }],
    });
  });

  it('agent_message only records the text in history', () => {
    const started = begin(flow);
    const agent = step(flow, started.state, { type: 'agent_message', text: 'Hi, I am Bob.' });
    expect(agent.messages).toEqual([]);
    expect(agent.state).toEqual({ ...started.state, history: [{ role: 'agent', text: 'Hi, I am Bob.' }] });
  });

  it('a user turn while not waiting for a reply is only recorded', () => {
    const llm = compile([start, { id: 'ai', type: 'llm_reply', config: { instructions: 'x' } }], [['start', 'next', 'ai']]);
    const started = begin(llm);
    const turn = step(llm, started.state, userTurn('are you there?'));
    expect(turn.messages).toEqual([]);
    expect(turn.state.cursor).toEqual(started.state.cursor);
    expect(turn.state.vars['lastMessage']).toBe('are you there?');
  });

  it('resume re-arms the deadline of a reply wait from now', () => {
    const started = begin(flow);
    const resumed = step(flow, started.state, { type: 'resume' }, T0 + 600_000);
    expect(resumed.state.cursor?.waiting).toEqual({ for: 'reply', timeoutSeconds: 30, deadline: T0 + 630_000, timeoutPort: 'timeout' });
  });

  it('close ends the conversation, once', () => {
    const started = begin(flow);
    const closed = step(flow, started.state, { type: 'close' });
    expect(closed.state.cursor).toBeNull();
    expect(closed.state.ended).toBe('closed');
    const timedOut = step(flow, closed.state, { type: 'timeout' });
    expect(timedOut.state.ended).toBe('closed');
    const completed = step(compile([start, end('bye')], [['start', 'next', 'bye']]), initialFlowState(ref), { type: 'start' });
    expect(step(flow, completed.state, { type: 'close' }).state.ended).toBe('completed');
  });

  it('keeps history bounded and long texts truncated', () => {
    let state = begin(flow).state;
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) {
      state = step(flow, state, { type: 'agent_message', text: `line ${i}` }).state;
    }
    expect(state.history).toHaveLength(HISTORY_LIMIT);
    expect(state.history[0]).toEqual({ role: 'agent', text: 'line 5' });
    expect(state.history.at(-1)).toEqual({ role: 'agent', text: `line ${HISTORY_LIMIT + 4}` });

    const long = 'x'.repeat(HISTORY_TEXT_LIMIT + 100);
    const after = step(flow, state, userTurn(long));
    expect(after.state.history.at(-1)).toEqual({ role: 'user', text: `${'x'.repeat(HISTORY_TEXT_LIMIT)}…` });
    expect(after.state.history).toHaveLength(HISTORY_LIMIT);
  });
});

describe('advance: activities', () => {
  const flow = compile(
    [
      start,
      wait('ask'),
      { id: 'ai', type: 'llm_reply', config: { instructions: 'Help {{user.email}}.', escalationHint: 'refunds', historyRounds: 1 } },
      { id: 'human', type: 'assign_to_user' },
      say('oops', 'Error at {{lastError.nodeId}}: {{lastError.code}}'),
    ],
    [
      ['start', 'next', 'ask'],
      ['ask', 'replied', 'ai'],
      ['ai', 'next', 'ask'],
      ['ai', 'escalate', 'human'],
      ['ai', 'error', 'oops'],
      ['oops', 'next', 'ask'],
    ],
  );
  const calling = () => step(flow, begin(flow).state, userTurn('where is my order?'));

  it('blocks on the activity with its name, input, timeouts and attempts', () => {
    const result = calling();
    expect(result.messages).toEqual([]);
    expect(result.state.cursor).toEqual({
      nodeId: 'ai',
      local: {},
      waiting: {
        for: 'activity',
        call: {
          activity: 'node:llm_reply@1',
          input: { model: '', instructions: 'Help ann@example.com.', escalationHint: 'refunds', history: [{ role: 'user', text: 'where is my order?' }] },
          timeoutSeconds: 60,
          heartbeatSeconds: 10,
          maxAttempts: 3,
          // A call of at most a minute per attempt runs inside its workflow task.
          local: true,
        },
      },
    });
  });

  it('routes the result to the port the step chooses', () => {
    const answered = step(flow, calling().state, { type: 'activity_result', result: { text: 'It ships today.', escalate: false } });
    expect(answered.messages).toEqual([{ id: 'conv1-b1', role: 'bot', text: 'It ships today.', nodeId: 'ai' }]);
    expect(answered.state.cursor?.nodeId).toBe('ask');

    const escalated = step(flow, calling().state, { type: 'activity_result', result: { text: '', escalate: true } });
    expect(escalated.state.cursor).toMatchObject({ nodeId: 'human', waiting: { for: 'handoff', request: { target: { kind: 'inbox' } } } });
  });

  it('routes a handoff outcome to the port the node chooses', () => {
    const escalated = step(flow, calling().state, { type: 'activity_result', result: { text: '', escalate: true } });
    const live = step(flow, escalated.state, { type: 'handoff_requested', result: { outcome: 'live', session: {}, agentId: 'ann' } });
    const resolved = step(flow, live.state, { type: 'human_left' });
    expect(resolved.state.ended).toBe('no_route');
    expect(resolved.failures).toEqual([]);
  });

  it('ignores a result that arrives while not waiting for an activity', () => {
    const waiting = begin(flow);
    const ignored = step(flow, waiting.state, { type: 'activity_result', result: { text: 'x', escalate: false } });
    expect(ignored.state).toEqual(waiting.state);
  });

  it('treats a result its activity refused as a failure of the node: its error port, with lastError', () => {
    // The activity's wrapper checks results against the node's declaration and fails the call.
    const result = step(flow, calling().state, { type: 'activity_failed', code: 'invalid_activity_result', message: 'text: expected string' });
    expect(result.failures).toEqual([{ nodeId: 'ai', code: 'invalid_activity_result', message: expect.any(String) }]);
    expect(result.state.vars['lastError']).toEqual({ nodeId: 'ai', code: 'invalid_activity_result' });
    expect(result.messages.map((m) => m.text)).toEqual(['Error at ai: invalid_activity_result']);
    expect(result.state.cursor?.nodeId).toBe('ask');
  });

  it('routes activity_failed to the error port when connected', () => {
    const result = step(flow, calling().state, { type: 'activity_failed', code: 'llm_http_500', message: 'down' });
    expect(result.failures).toEqual([{ nodeId: 'ai', code: 'llm_http_500', message: 'down' }]);
    expect(result.state.vars['lastError']).toEqual({ nodeId: 'ai', code: 'llm_http_500' });
    expect(result.messages.map((m) => m.text)).toEqual(['Error at ai: llm_http_500']);
    expect(result.visited).toEqual(['oops', 'ask']);
  });

  it('fails a node that asks to call an activity it does not declare', () => {
    const bad = compile([start, { id: 'b', type: 'no_activity' }], [['start', 'next', 'b']], { onError: 'end' });
    const result = begin(bad);
    expect(result.failures).toEqual([{ nodeId: 'b', code: 'invalid_activity_input', message: 'the node declares no activity' }]);
    expect(result.state.ended).toBe('failed');
  });
});

describe('advance: failures without an error port', () => {
  const nodes = [start, { id: 'http', type: 'http_request', config: { url: 'https://api.example.com' } }];
  const edges: EdgeInput[] = [['start', 'next', 'http']];

  it('says the fallback message and hands off to humans (onError handoff)', () => {
    const flow = compile(nodes, edges, { fallbackMessage: 'Sorry!' });
    const called = begin(flow);
    const failed = step(flow, called.state, { type: 'activity_failed', code: 'timeout', message: 'no answer' });
    expect(failed.failures).toEqual([{ nodeId: 'http', code: 'timeout', message: 'no answer' }]);
    expect(failed.messages).toEqual([{ id: 'conv1-b1', role: 'bot', text: 'Sorry!', nodeId: 'http' }]);
    expect(failed.state.cursor).toEqual({ nodeId: 'http', local: {}, waiting: { for: 'handoff', request: FALLBACK_HANDOFF, progress: { phase: 'requesting' } }, fallback: true });
    expect(failed.state.vars['lastError']).toBeUndefined();

    const after = step(flow, failed.state, { type: 'handoff_requested', result: { outcome: 'no_agent' } });
    expect(after.state.cursor).toBeNull();
    expect(after.state.ended).toBe('failed');
    expect(after.messages).toEqual([]);
  });

  it('says the fallback message and ends (onError end)', () => {
    const flow = compile(nodes, edges, { onError: 'end' });
    const failed = step(flow, begin(flow).state, { type: 'activity_failed', code: 'invalid_activity_result', message: 'ok: expected boolean' });
    expect(failed.failures.map((f) => f.code)).toEqual(['invalid_activity_result']);
    expect(failed.messages.map((m) => m.text)).toEqual([DEFAULT_FALLBACK_MESSAGE]);
    expect(failed.state.cursor).toBeNull();
    expect(failed.state.ended).toBe('failed');
  });

  it('falls back softly for a node type this worker does not know', () => {
    const flow = compile([start, say('hi', 'Hi'), { id: 'x', type: 'teleport' }], [
      ['start', 'next', 'hi'],
      ['hi', 'next', 'x'],
    ]);
    const result = begin(flow);
    expect(result.messages.map((m) => m.text)).toEqual(['Hi', DEFAULT_FALLBACK_MESSAGE]);
    expect(result.failures).toEqual([{ nodeId: 'x', code: 'unknown_node', message: expect.stringContaining('teleport') }]);
    expect(result.state.cursor).toMatchObject({ nodeId: 'x', fallback: true, waiting: { for: 'handoff' } });
  });

  it('falls back softly for an unknown node version', () => {
    const flow = compile([start, { ...say('hi', 'Hi'), typeVersion: 7 }], [['start', 'next', 'hi']], { onError: 'end' });
    const result = begin(flow);
    expect(result.failures.map((f) => f.code)).toEqual(['unknown_node']);
    expect(result.state.ended).toBe('failed');
  });

  it('treats an invalid config as a failure of the node', () => {
    const flow = compile([start, say('hi', '')], [['start', 'next', 'hi']], { onError: 'end' });
    const result = begin(flow);
    expect(result.failures).toEqual([{ nodeId: 'hi', code: 'invalid_config', message: expect.stringContaining('text') }]);
    expect(result.messages.map((m) => m.text)).toEqual([DEFAULT_FALLBACK_MESSAGE]);
    expect(result.state.ended).toBe('failed');
  });

  it('sends an invalid config to the error port when there is one', () => {
    const flow = compile(
      [start, { id: 'ai', type: 'llm_reply', config: { instructions: '' } }, say('oops', 'oops')],
      [
        ['start', 'next', 'ai'],
        ['ai', 'error', 'oops'],
      ],
    );
    const result = begin(flow);
    expect(result.failures.map((f) => f.code)).toEqual(['invalid_config']);
    expect(result.messages.map((m) => m.text)).toEqual(['oops']);
    expect(result.state.vars['lastError']).toEqual({ nodeId: 'ai', code: 'invalid_config' });
  });

  it('handles a step that throws as a failure (error port when connected, else fallback)', () => {
    const withPort = compile([start, { id: 'boom', type: 'explode' }, say('oops', 'recovered')], [
      ['start', 'next', 'boom'],
      ['boom', 'error', 'oops'],
    ]);
    const recovered = begin(withPort);
    expect(recovered.failures).toEqual([{ nodeId: 'boom', code: 'step_failed', message: 'kaboom' }]);
    expect(recovered.messages.map((m) => m.text)).toEqual(['recovered']);

    const without = compile([start, { id: 'boom', type: 'explode' }], [['start', 'next', 'boom']], { onError: 'end' });
    const failed = begin(without);
    expect(failed.failures.map((f) => f.code)).toEqual(['step_failed']);
    expect(failed.state.ended).toBe('failed');
  });

  it.each(Object.keys(malformedAnswers))('fails a node whose step answers something malformed (%s), without throwing', (answer) => {
    const flow = compile([start, { id: 'm', type: 'malformed', config: { answer } }], [['start', 'next', 'm']], { onError: 'end' });
    const result = begin(flow);
    expect(result.failures).toEqual([{ nodeId: 'm', code: 'step_failed', message: expect.any(String) }]);
    expect(result.messages.map((m) => m.text)).toEqual([DEFAULT_FALLBACK_MESSAGE]);
    expect(result.state.ended).toBe('failed');
  });

  it('fails a node that leaves through a port it does not declare', () => {
    const flow = compile([start, { id: 'w', type: 'wrong_port' }], [['start', 'next', 'w']], { onError: 'end' });
    const result = begin(flow);
    expect(result.failures).toEqual([{ nodeId: 'w', code: 'unknown_port', message: expect.stringContaining('nowhere') }]);
    expect(result.messages.map((m) => m.text)).toEqual(['before', DEFAULT_FALLBACK_MESSAGE]);
    expect(result.messages.map((m) => m.id)).toEqual(['conv1-b1', 'conv1-b2']);
  });

  it('falls back when a turn visits more than MAX_STEPS_PER_ADVANCE nodes', () => {
    const loop = compile(
      [start, { id: 'spin', type: 'condition', config: { rules: [{ port: 'again', variable: 'lastMessage', op: 'equals', value: '' }] } }],
      [
        ['start', 'next', 'spin'],
        ['spin', 'again', 'spin'],
      ],
    );
    const result = begin(loop);
    expect(result.visited).toHaveLength(MAX_STEPS_PER_ADVANCE);
    expect(result.failures).toEqual([{ nodeId: 'spin', code: 'too_many_steps', message: expect.any(String) }]);
    expect(result.messages.map((m) => m.text)).toEqual([DEFAULT_FALLBACK_MESSAGE]);
    expect(result.state.cursor).toMatchObject({ nodeId: 'spin', fallback: true, waiting: { for: 'handoff', request: FALLBACK_HANDOFF } });
  });

  it('falls back when the flow has no start node', () => {
    const flow = compile([say('hi', 'Hi')], [], { onError: 'end' });
    const result = begin(flow);
    expect(result.failures).toEqual([{ nodeId: '', code: 'no_start', message: expect.any(String) }]);
    expect(result.state.ended).toBe('failed');
  });
});
