import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { conversations, flowVersions, messages } from '../../db/schema.js';
import { createDbEngineDeps } from '../../engine-adapter/engine-deps.js';
import { createTestServer, flowWithErrors, readSse, simpleFlow, type TestServer } from '../../../testing/test-server.js';

let server: TestServer;
let liveBot: string;
beforeAll(async () => {
  server = await createTestServer();
  liveBot = await server.createLiveBot('Live', simpleFlow('Live', 'Welcome!'));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.engine.mode = 'answer';
  server.engine.calls.length = 0;
});

const storedMessages = (conversationId: string) =>
  server.db.select().from(messages).where(eq(messages.conversationId, conversationId)).orderBy(messages.seq).all();

/** What the worker would write after a turn: the projection the API reads. */
const recordBotTurn = (conversation: { id: string; botId: string; flowVersion: number }, texts: string[], extra: { status?: 'bot' | 'queued' | 'agent' | 'closed'; nodeId?: string; vars?: Record<string, string> } = {}) =>
  createDbEngineDeps(server.services.bots, server.services.projection).recordTurn({
    conversation,
    messages: texts.map((text, i) => ({ id: `${conversation.id}-b-${text}-${i}`, role: 'bot' as const, text, nodeId: extra.nodeId ?? 'hello' })),
    messageSeq: texts.length,
    status: extra.status ?? 'bot',
    ...(extra.nodeId ? { nodeId: extra.nodeId } : {}),
    vars: extra.vars ?? {},
    failures: [],
  });

describe('POST /api/bots/:botId/conversations', () => {
  test('opens a conversation on the latest published version and starts it in the engine', async () => {
    const res = await server.json('POST', `/api/bots/${liveBot}/conversations`, { user: { email: 'Ann@Example.com', name: 'Ann', externalId: 'crm-1' } });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ conversationId: expect.stringMatching(/^cnv_/), token: expect.stringMatching(/^ct_/), flowVersion: 1 });
    expect(server.engine.callsOf('start')).toEqual([
      {
        method: 'start',
        input: {
          conversation: { id: res.body.conversationId, botId: liveBot, flowVersion: 1 },
          user: { email: 'ann@example.com', name: 'Ann', externalId: 'crm-1' },
        },
      },
    ]);
    const row = server.db.select().from(conversations).where(eq(conversations.id, res.body.conversationId)).get()!;
    expect(row).toMatchObject({ botId: liveBot, flowVersion: 1, status: 'bot', channel: 'api' });
    expect(row.tokenHash).not.toBe(res.body.token);
  });

  test('an empty body is enough', async () => {
    const res = await server.json('POST', `/api/bots/${liveBot}/conversations`, {});
    expect(res.status).toBe(201);
    expect(server.engine.callsOf('start')[0]!.input.user).toEqual({});
  });

  test('no body at all is enough too (curl -X POST, a widget without a payload)', async () => {
    const res = await server.app.request(`/api/bots/${liveBot}/conversations`, { method: 'POST' });
    expect(res.status).toBe(201);
  });

  test('pins the version that is live when it opens, even after a newer one is published', async () => {
    const botId = await server.createLiveBot('Pinned');
    const first = await server.openConversation(botId);
    await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'owner');
    const second = await server.openConversation(botId);
    expect(first.flowVersion).toBe(1);
    expect(second.flowVersion).toBe(2);
    const view = await server.json('GET', `/api/conversations/${first.conversationId}`, undefined, 'agent');
    expect(view.body.flowVersion).toBe(1);
  });

  test('an unpublished bot is 409 not_published', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/settings`, { enabled: true }, 'owner');
    const res = await server.json('POST', `/api/bots/${botId}/conversations`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('not_published');
    expect(server.engine.calls).toEqual([]);
  });

  test('a published bot that is switched off is 409 bot_disabled', async () => {
    const botId = await server.createBot();
    await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'owner');
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    const res = await server.json('POST', `/api/bots/${botId}/conversations`, {});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('bot_disabled');
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
    expect(server.engine.calls).toEqual([]);
  });

  test('an unknown bot is 404', async () => {
    const res = await server.json('POST', '/api/bots/bot_nope/conversations', {});
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('a conversation started from a browser is a web conversation', async () => {
    const res = await server.json('POST', `/api/bots/${liveBot}/conversations`, {}, { origin: 'http://localhost' });
    const row = server.db.select().from(conversations).where(eq(conversations.id, res.body.conversationId)).get()!;
    expect(row.channel).toBe('web');
  });

  test('when the engine cannot start it, the answer is 503 and the conversation is closed', async () => {
    server.engine.mode = 'error';
    const res = await server.json('POST', `/api/bots/${liveBot}/conversations`, {});
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe('engine_unavailable');
    const started = server.engine.callsOf('start')[0]!;
    const row = server.db.select().from(conversations).where(eq(conversations.id, started.input.conversation.id)).get()!;
    expect(row.status).toBe('closed');
  });

  describe('test: true (the editor\'s test chat)', () => {
    test('runs an immutable snapshot of the draft, numbered below zero, even for an unpublished, switched-off bot', async () => {
      const botId = await server.createBot('Draft only');
      await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('Draft', 'draft text'), 'builder');
      const first = await server.json('POST', `/api/bots/${botId}/conversations`, { test: true }, 'builder');
      expect(first.status).toBe(201);
      expect(first.body.flowVersion).toBe(-1);
      const second = await server.json('POST', `/api/bots/${botId}/conversations`, { test: true }, 'owner');
      expect(second.body.flowVersion).toBe(-2);

      const snapshot = server.db.select().from(flowVersions).where(and(eq(flowVersions.botId, botId), eq(flowVersions.version, -1))).get()!;
      expect((snapshot.document as { nodes: { id: string; config: { text?: string } }[] }).nodes.find((n) => n.id === 'hello')!.config.text).toBe('draft text');
      // Later edits to the draft do not change what the test conversation runs.
      await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('Draft', 'edited'), 'builder');
      expect(server.services.bots.version(botId, -1).nodes.find((n) => n.id === 'hello')!.config['text']).toBe('draft text');

      expect(server.engine.callsOf('start').map((call) => call.input.conversation)).toEqual([
        { id: first.body.conversationId, botId, flowVersion: -1 },
        { id: second.body.conversationId, botId, flowVersion: -2 },
      ]);
      const row = server.db.select().from(conversations).where(eq(conversations.id, first.body.conversationId)).get()!;
      expect(row.channel).toBe('test');
    });

    test('needs a builder: anonymous is 401, an agent is 403', async () => {
      const anonymous = await server.json('POST', `/api/bots/${liveBot}/conversations`, { test: true });
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.error.code).toBe('unauthorized');
      const agent = await server.json('POST', `/api/bots/${liveBot}/conversations`, { test: true }, 'agent');
      expect(agent.status).toBe(403);
      expect(agent.body.error.code).toBe('forbidden');
      expect(server.engine.calls).toEqual([]);
    });

    test('a draft with errors cannot be tested', async () => {
      const botId = await server.createBot();
      await server.json('PUT', `/api/bots/${botId}/flow`, flowWithErrors(), 'builder');
      const res = await server.json('POST', `/api/bots/${botId}/conversations`, { test: true }, 'builder');
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('flow_invalid');
      expect(server.db.select().from(flowVersions).where(eq(flowVersions.botId, botId)).all()).toEqual([]);
    });
  });
});

describe('POST /api/conversations/:id/messages', () => {
  test('202 at once; the engine gets the message, and the transcript has it', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const res = await server.json('POST', `/api/conversations/${conversationId}/messages`, { text: '  Hello there  ' }, { bearer: token });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ messageId: expect.stringContaining(conversationId) });
    const sends = server.engine.callsOf('send');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.input.conversation).toEqual({ id: conversationId, botId: liveBot, flowVersion: 1 });
    expect(sends[0]!.message).toEqual({ id: res.body.messageId, text: 'Hello there', sentAt: expect.any(String) });
    expect(storedMessages(conversationId).map((m) => ({ id: m.id, role: m.role, text: m.text }))).toEqual([
      { id: res.body.messageId, role: 'user', text: 'Hello there' },
    ]);
  });

  test('a clientMessageId makes a send idempotent: one stored message, the same message id', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const body = { text: 'only once', clientMessageId: 'client-1' };
    const first = await server.json('POST', `/api/conversations/${conversationId}/messages`, body, { bearer: token });
    const retry = await server.json('POST', `/api/conversations/${conversationId}/messages`, body, { bearer: token });
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body.messageId).toBe(first.body.messageId);
    expect(storedMessages(conversationId).filter((m) => m.role === 'user')).toHaveLength(1);
    // The engine dedupes by the same id, so handing it over twice is safe.
    expect(new Set(server.engine.callsOf('send').map((call) => call.message.id))).toEqual(new Set([first.body.messageId]));
  });

  test('the same clientMessageId in two conversations is two messages', async () => {
    const a = await server.openConversation(liveBot);
    const b = await server.openConversation(liveBot);
    const ra = await server.json('POST', `/api/conversations/${a.conversationId}/messages`, { text: 'x', clientMessageId: 'same' }, { bearer: a.token });
    const rb = await server.json('POST', `/api/conversations/${b.conversationId}/messages`, { text: 'x', clientMessageId: 'same' }, { bearer: b.token });
    expect(ra.body.messageId).not.toBe(rb.body.messageId);
    expect(storedMessages(a.conversationId)).toHaveLength(1);
    expect(storedMessages(b.conversationId)).toHaveLength(1);
  });

  test('?wait=true answers 200 with the replies of this turn', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const res = await server.json('POST', `/api/conversations/${conversationId}/messages?wait=true`, { text: 'ping' }, { bearer: token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      messageId: expect.any(String),
      replies: [{ id: `${res.body.messageId}-reply`, text: 'echo: ping' }],
      status: 'answered',
      conversationStatus: 'bot',
      pending: false,
    });
    const call = server.engine.callsOf('sendAndWait')[0]!;
    expect(call.message.text).toBe('ping');
    expect(call.timeoutMs).toBeGreaterThan(0);
    expect(server.engine.callsOf('send')).toEqual([]);
  });

  test('?wait=true when the bot takes too long: 200 with pending: true and no replies', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    server.engine.mode = 'pending';
    const res = await server.json('POST', `/api/conversations/${conversationId}/messages?wait=1`, { text: 'slow' }, { bearer: token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ messageId: expect.any(String), replies: [], status: 'pending', pending: true });
  });

  test('a conversation the engine says is closed is 409 conversation_closed', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    server.engine.mode = 'closed';
    for (const path of [`/api/conversations/${conversationId}/messages`, `/api/conversations/${conversationId}/messages?wait=true`]) {
      const res = await server.json('POST', path, { text: 'anyone?' }, { bearer: token });
      expect(res.status, path).toBe(409);
      expect(res.body.error.code, path).toBe('conversation_closed');
    }
  });

  test('a conversation recorded as closed is 409 without bothering the engine', async () => {
    const conversation = await server.openConversation(liveBot);
    await recordBotTurn({ id: conversation.conversationId, botId: liveBot, flowVersion: 1 }, ['Bye!'], { status: 'closed' });
    server.engine.calls.length = 0;
    const res = await server.json('POST', `/api/conversations/${conversation.conversationId}/messages`, { text: 'wait' }, { bearer: conversation.token });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conversation_closed');
    expect(server.engine.calls).toEqual([]);
    expect(storedMessages(conversation.conversationId).filter((m) => m.role === 'user')).toEqual([]);
  });

  test('people who build can write into a conversation too (the test chat)', async () => {
    const { conversationId } = await server.openConversation(liveBot);
    const res = await server.json('POST', `/api/conversations/${conversationId}/messages`, { text: 'from the editor' }, 'builder');
    expect(res.status).toBe(202);
  });

  test('the conversation token is not accepted in the query for writes', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const res = await server.json('POST', `/api/conversations/${conversationId}/messages?token=${token}`, { text: 'sneaky' });
    expect(res.status).toBe(401);
  });
});

describe('reading a conversation', () => {
  test('messages after a cursor: each page ends with the cursor to read on from', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const conversation = { id: conversationId, botId: liveBot, flowVersion: 1 };
    await recordBotTurn(conversation, ['Welcome!']);
    await server.json('POST', `/api/conversations/${conversationId}/messages`, { text: 'one' }, { bearer: token });
    await recordBotTurn(conversation, ['echo one']);

    const all = await server.json('GET', `/api/conversations/${conversationId}/messages`, undefined, { bearer: token });
    expect(all.status).toBe(200);
    expect(all.body.messages.map((m: { role: string; text: string }) => [m.role, m.text])).toEqual([
      ['bot', 'Welcome!'],
      ['user', 'one'],
      ['bot', 'echo one'],
    ]);
    for (const message of all.body.messages) expect(Object.keys(message).sort()).toEqual(['createdAt', 'id', 'role', 'text']);

    const firstPage = await server.json('GET', `/api/conversations/${conversationId}/messages?limit=1`, undefined, { bearer: token });
    expect(firstPage.body.messages.map((m: { text: string }) => m.text)).toEqual(['Welcome!']);
    const rest = await server.json('GET', `/api/conversations/${conversationId}/messages?after=${firstPage.body.cursor}`, undefined, { bearer: token });
    expect(rest.body.messages.map((m: { text: string }) => m.text)).toEqual(['one', 'echo one']);
    const none = await server.json('GET', `/api/conversations/${conversationId}/messages?after=${rest.body.cursor}`, undefined, { bearer: token });
    expect(none.body).toEqual({ messages: [], cursor: rest.body.cursor });
  });

  test('one conversation\'s transcript never shows another\'s messages', async () => {
    const a = await server.openConversation(liveBot);
    const b = await server.openConversation(liveBot);
    await server.json('POST', `/api/conversations/${a.conversationId}/messages`, { text: 'for a' }, { bearer: a.token });
    const res = await server.json('GET', `/api/conversations/${b.conversationId}/messages`, undefined, { bearer: b.token });
    expect(res.body.messages).toEqual([]);
  });

  test('people see where the flow is and its variables; the end user does not', async () => {
    const { conversationId, token } = await server.openConversation(liveBot, { user: { email: 'bo@example.com' } });
    await recordBotTurn({ id: conversationId, botId: liveBot, flowVersion: 1 }, ['Hi'], { nodeId: 'hello', vars: { plan: 'gold' } });

    const person = await server.json('GET', `/api/conversations/${conversationId}`, undefined, 'agent');
    expect(person.status).toBe(200);
    expect(person.body).toMatchObject({ id: conversationId, botId: liveBot, status: 'bot', flowVersion: 1, nodeId: 'hello', vars: { plan: 'gold' }, user: { email: 'bo@example.com' } });

    const endUser = await server.json('GET', `/api/conversations/${conversationId}`, undefined, { bearer: token });
    expect(endUser.status).toBe(200);
    expect(endUser.body).toMatchObject({ id: conversationId, botId: liveBot, status: 'bot', flowVersion: 1 });
    expect(endUser.body).not.toHaveProperty('nodeId');
    expect(endUser.body).not.toHaveProperty('vars');
    expect(endUser.text).not.toContain('gold');
  });

  test('?token= works for reads (EventSource cannot send headers); an invalid one is 401', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const view = await server.json('GET', `/api/conversations/${conversationId}?token=${token}`);
    expect(view.status).toBe(200);
    const list = await server.json('GET', `/api/conversations/${conversationId}/messages?token=${token}`);
    expect(list.status).toBe(200);
    const invalid = await server.json('GET', `/api/conversations/${conversationId}?token=ct_not-a-real-token`);
    expect(invalid.status).toBe(401);
    expect(invalid.body.error.code).toBe('invalid_credentials');
  });

  test('an unknown conversation is 404', async () => {
    for (const path of ['/api/conversations/cnv_missing', '/api/conversations/cnv_missing/messages', '/api/conversations/cnv_missing/events']) {
      const res = await server.json('GET', path, undefined, 'owner');
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
    }
  });
});

describe('GET /api/conversations/:id/events', () => {
  const openStream = (conversationId: string, headers: Record<string, string>, query = '') =>
    server.app.request(`/api/conversations/${conversationId}/events${query}`, { headers });

  test('streams the transcript as `message` events (the event id is the cursor) and the status', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const conversation = { id: conversationId, botId: liveBot, flowVersion: 1 };
    await recordBotTurn(conversation, ['Welcome!']);
    await server.json('POST', `/api/conversations/${conversationId}/messages`, { text: 'hi' }, { bearer: token });

    const res = await openStream(conversationId, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = await readSse(res, (seen) => seen.some((e) => e.event === 'status'));
    const messageEvents = events.filter((e) => e.event === 'message');
    expect(messageEvents.map((e) => JSON.parse(e.data))).toEqual([
      { id: expect.any(String), role: 'bot', text: 'Welcome!', createdAt: expect.any(String) },
      { id: expect.any(String), role: 'user', text: 'hi', createdAt: expect.any(String) },
    ]);
    const seqs = storedMessages(conversationId).map((m) => String(m.seq));
    expect(messageEvents.map((e) => e.id)).toEqual(seqs);
    expect(JSON.parse(events.find((e) => e.event === 'status')!.data)).toEqual({ status: 'bot' });
  });

  test('new messages and status changes arrive on an open stream', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const conversation = { id: conversationId, botId: liveBot, flowVersion: 1 };
    const res = await openStream(conversationId, {}, `?token=${token}`);
    expect(res.status).toBe(200);
    const reading = readSse(res, (seen) => seen.some((e) => e.event === 'status' && JSON.parse(e.data).status === 'queued'));
    await recordBotTurn(conversation, ['Let me get a person'], { status: 'queued' });
    const events = await reading;
    expect(events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).text)).toEqual(['Let me get a person']);
    expect(events.filter((e) => e.event === 'status').map((e) => JSON.parse(e.data).status)).toEqual(['bot', 'queued']);
  });

  test("with a person: the status and the view name them (the chat says who the user talks to), never their email", async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    server.db.update(conversations).set({ status: 'agent', assigneeId: server.users.agent.id }).where(eq(conversations.id, conversationId)).run();
    const res = await openStream(conversationId, {}, `?token=${token}`);
    const events = await readSse(res, (seen) => seen.some((e) => e.event === 'status'));
    expect(JSON.parse(events.find((e) => e.event === 'status')!.data)).toEqual({ status: 'agent', assignee: server.users.agent.id, assigneeName: 'agent' });
    const view = await server.json('GET', `/api/conversations/${conversationId}`, undefined, { bearer: token });
    expect(view.body).toMatchObject({ status: 'agent', assignee: server.users.agent.id, assigneeName: 'agent' });
    expect(JSON.stringify(view.body)).not.toContain('agent@test.local');
  });

  test('Last-Event-ID resumes after that message', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const conversation = { id: conversationId, botId: liveBot, flowVersion: 1 };
    await recordBotTurn(conversation, ['first', 'second', 'third']);
    const [first, second] = storedMessages(conversationId);

    const resumed = await openStream(conversationId, { authorization: `Bearer ${token}`, 'last-event-id': String(first!.seq) });
    const events = await readSse(resumed, (seen) => seen.some((e) => e.event === 'status'));
    expect(events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).text)).toEqual(['second', 'third']);

    const fromQuery = await openStream(conversationId, { authorization: `Bearer ${token}` }, `?after=${second!.seq}`);
    const queried = await readSse(fromQuery, (seen) => seen.some((e) => e.event === 'status'));
    expect(queried.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data).text)).toEqual(['third']);
  });

  test('a disconnected stream stops listening', async () => {
    const { conversationId, token } = await server.openConversation(liveBot);
    const res = await openStream(conversationId, { authorization: `Bearer ${token}` });
    await readSse(res, (seen) => seen.some((e) => e.event === 'status'));
    const deadline = Date.now() + 3000;
    while (server.events.subscriberCount > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(server.events.subscriberCount).toBe(0);
  });
});
