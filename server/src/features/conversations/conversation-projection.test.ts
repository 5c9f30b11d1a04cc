import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TurnRecord } from '@baton/engine/worker';
import { conversations, messages } from '../../db/schema.js';
import { createTestServer, simpleFlow, type TestServer } from '../../../testing/test-server.js';
import { INBOX_CHANNEL } from '../inbox/inbox-channel.js';

let server: TestServer;
let botId: string;
beforeAll(async () => {
  server = await createTestServer();
  botId = await server.createLiveBot('Projection', simpleFlow('Projection'));
});
afterAll(async () => {
  await server.close();
});

const projection = () => server.services.projection;
const row = (id: string) => server.db.select().from(conversations).where(eq(conversations.id, id)).get()!;
const transcript = (id: string) => server.db.select().from(messages).where(eq(messages.conversationId, id)).orderBy(messages.seq).all();
const opened = async () => (await server.openConversation(botId)).conversationId;

const turn = (conversationId: string, said: number[], overrides: Partial<TurnRecord> = {}): TurnRecord => ({
  conversation: { id: conversationId, botId, flowVersion: 1 },
  messages: said.map((n) => ({ id: `${conversationId}-b${n}`, role: 'bot', text: `bot message ${n}`, nodeId: 'hello' })),
  messageSeq: said.at(-1) ?? 0,
  status: 'bot',
  vars: {},
  failures: [],
  ...overrides,
});

/** Counts the notifications on the conversation and on the inbox while `fn` runs. */
function notifications(conversationId: string, fn: () => void): { conversation: number; inbox: number } {
  const counts = { conversation: 0, inbox: 0 };
  const off = [server.events.subscribe(conversationId, () => counts.conversation++), server.events.subscribe(INBOX_CHANNEL, () => counts.inbox++)];
  try {
    fn();
  } finally {
    for (const unsubscribe of off) unsubscribe();
  }
  return counts;
}

describe('the bot message counter', () => {
  test("is stored from the workflow's record and never goes back (a late retry of an older record)", async () => {
    const id = await opened();
    expect(row(id).messageSeq).toBe(0);
    projection().recordTurn(turn(id, [1, 2]));
    expect(row(id).messageSeq).toBe(2);
    projection().recordTurn(turn(id, [3]));
    projection().recordTurn(turn(id, [1, 2]));
    expect(row(id).messageSeq).toBe(3);
  });

  test('a record of older workflow code (no counter) counts its bot messages on top', async () => {
    const id = await opened();
    projection().recordTurn(turn(id, [1, 2]));
    // Recorded by workflow code from before the counter: the activity's input has none.
    projection().recordTurn({ ...turn(id, [3]), messageSeq: undefined as unknown as number });
    expect(row(id).messageSeq).toBe(3);
  });

  test('reactivating a closed conversation tells the engine how many bot messages were said', async () => {
    const id = await opened();
    projection().recordTurn(turn(id, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], { status: 'closed' }));
    server.engine.calls.length = 0;
    const res = await server.json('POST', `/api/conversations/${id}/reactivate`, undefined, 'agent');
    expect(res.status).toBe(200);
    expect(server.engine.callsOf('reopen')).toEqual([expect.objectContaining({ messageSeq: 11, agentId: server.users.agent.id })]);
    expect(row(id)).toMatchObject({ status: 'agent', assigneeId: server.users.agent.id, closedAt: null });
  });
});

describe('ownership', () => {
  test('a closed conversation keeps when it first closed when the record is retried', async () => {
    const id = await opened();
    projection().recordTurn(turn(id, [1], { status: 'closed' }));
    const closedAt = row(id).closedAt;
    expect(closedAt).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 5));
    projection().recordTurn(turn(id, [1], { status: 'closed' }));
    expect(row(id).closedAt).toEqual(closedAt);
  });

  test('taken over: a person has it, their draft and a left message are cleared by the bot getting it back', async () => {
    const id = await opened();
    projection().routed(id, server.users.builder.id);
    projection().messageLeft(id);
    projection().takenOver(id, server.users.agent.id);
    expect(row(id)).toMatchObject({ status: 'agent', assigneeId: server.users.agent.id, leftMessageAt: null });
    projection().suggested(id, 'A draft');
    projection().recordTurn(turn(id, [], { status: 'bot' }));
    expect(row(id)).toMatchObject({ status: 'bot', assigneeId: null, suggestion: null });
  });

  test('rerouted only while queued', async () => {
    const id = await opened();
    projection().recordTurn(turn(id, [], { status: 'queued' }));
    expect(projection().rerouted(id, server.users.agent.id)).toBe(true);
    projection().recordTurn(turn(id, [], { status: 'agent', assignee: server.users.builder.id }));
    expect(projection().rerouted(id, server.users.agent.id)).toBe(false);
    expect(row(id).assigneeId).toBe(server.users.builder.id);
  });
});

describe('messages', () => {
  test("a desk's event delivered twice is one message; the inbox's replies are each their own", async () => {
    const id = await opened();
    const first = projection().recordAgentMessage(id, { text: 'Hi, Ana here', agentId: 'Ana', deskEvent: 'webhook:ev-1' });
    const again = projection().recordAgentMessage(id, { text: 'Hi, Ana here', agentId: 'Ana', deskEvent: 'webhook:ev-1' });
    expect(again).toBe(first);
    const a = projection().recordAgentMessage(id, { text: 'Same words', agentId: server.users.agent.id });
    const b = projection().recordAgentMessage(id, { text: 'Same words', agentId: server.users.agent.id });
    expect(a).not.toBe(b);
    expect(transcript(id).map((m) => [m.role, m.text])).toEqual([
      ['agent', 'Hi, Ana here'],
      ['agent', 'Same words'],
      ['agent', 'Same words'],
    ]);
    expect([first, a, b].every((messageId) => messageId.startsWith(`${id}-h-`))).toBe(true);
  });

  test("the user's message is idempotent by its client id", async () => {
    const id = await opened();
    const first = projection().recordUserMessage(id, 'hello', 'client-1');
    expect(projection().recordUserMessage(id, 'hello', 'client-1')).toBe(first);
    expect(first).toBe(`${id}-u-client-1`);
    expect(transcript(id)).toHaveLength(1);
  });
});

describe('notifications', () => {
  test("every write tells the conversation's streams, and the inbox of what it lists", async () => {
    const id = await opened();
    expect(notifications(id, () => projection().recordUserMessage(id, 'hi', undefined))).toEqual({ conversation: 1, inbox: 0 });
    expect(notifications(id, () => projection().setUser(id, { email: 'ann@example.com' }))).toEqual({ conversation: 1, inbox: 0 });
    expect(notifications(id, () => projection().recordTurn(turn(id, [1])))).toEqual({ conversation: 1, inbox: 1 });
    expect(notifications(id, () => projection().recordAgentMessage(id, { text: 'x', agentId: 'a' }))).toEqual({ conversation: 1, inbox: 1 });
    expect(notifications(id, () => projection().takenOver(id, server.users.agent.id))).toEqual({ conversation: 1, inbox: 1 });
    expect(notifications(id, () => projection().inboxChanged())).toEqual({ conversation: 0, inbox: 1 });
  });
});
