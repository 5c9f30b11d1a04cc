import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { conversations } from '../../db/schema.js';
import { createTestServer, simpleFlow, type TestServer } from '../../../testing/test-server.js';
import { DEFAULT_CLOSED_NOTICE } from './bot-settings.js';

// Switching a bot off stops it answering its running conversations: each is told (the engine
// decides, in its reducer, what that means for it). Here: who is told, and when.

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.engine.mode = 'answer';
  server.engine.calls.length = 0;
});

const settingsOf = async (botId: string) => (await server.json('GET', `/api/bots/${botId}/settings`, undefined, 'owner')).body;
const switchTo = async (botId: string, enabled: boolean, extra: Record<string, unknown> = {}) => {
  const res = await server.json('PUT', `/api/bots/${botId}/settings`, { ...(await settingsOf(botId)), enabled, ...extra }, 'owner');
  expect(res.status).toBe(200);
};
const switched = async (count: number) => {
  const deadline = Date.now() + 10_000;
  while (server.engine.callsOf('switchBot').length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return server.engine.callsOf('switchBot');
};

describe('switching a bot off and on', () => {
  test('tells every open live conversation, with the bot’s notice; not closed ones, not test chats', async () => {
    const botId = await server.createLiveBot('Shop', simpleFlow('Shop', 'Hi'));
    const open1 = await server.openConversation(botId);
    const open2 = await server.openConversation(botId);
    const done = await server.openConversation(botId);
    server.db.update(conversations).set({ status: 'closed' }).where(eq(conversations.id, done.conversationId)).run();
    await server.json('POST', `/api/bots/${botId}/conversations`, { test: true }, 'owner');
    server.engine.calls.length = 0;

    await switchTo(botId, false, { closedNotice: 'Closed for the holidays.' });
    const told = await switched(2);
    expect(told.map((c) => c.conversationId).sort()).toEqual([open1.conversationId, open2.conversationId].sort());
    expect(told.every((c) => c.on === false && c.notice === 'Closed for the holidays.')).toBe(true);

    server.engine.calls.length = 0;
    await switchTo(botId, true);
    expect((await switched(2)).every((c) => c.on === true)).toBe(true);
  });

  test('saving the settings without switching tells nobody', async () => {
    const botId = await server.createLiveBot('Quiet', simpleFlow('Quiet', 'Hi'));
    await server.openConversation(botId);
    server.engine.calls.length = 0;
    await switchTo(botId, true, { closedNotice: 'Another notice' });
    expect(server.engine.callsOf('switchBot')).toEqual([]);
  });

  test('a message to a switched-off bot’s conversation tells it first (it may not have been reached), with the default notice', async () => {
    const botId = await server.createLiveBot('Late', simpleFlow('Late', 'Hi'));
    const { conversationId, token } = await server.openConversation(botId);
    // Switched off without the fan-out reaching it (as after a crash).
    const settings = await settingsOf(botId);
    await server.services.bots.saveSettings(botId, { ...settings, enabled: false });
    server.engine.calls.length = 0;
    const res = await server.json('POST', `/api/conversations/${conversationId}/messages`, { text: 'hello?' }, { authorization: `Bearer ${token}` });
    expect(res.status).toBe(202);
    expect(server.engine.calls.map((c) => c.method)).toEqual(['switchBot', 'send']);
    expect(server.engine.callsOf('switchBot')[0]).toMatchObject({ conversationId, on: false, notice: DEFAULT_CLOSED_NOTICE });
  });

  test('the notice is part of the settings: empty is refused, with the field named', async () => {
    const botId = await server.createLiveBot('Strict', simpleFlow('Strict', 'Hi'));
    const res = await server.json('PUT', `/api/bots/${botId}/settings`, { ...(await settingsOf(botId)), closedNotice: '  ' }, 'owner');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/closedNotice/);
  });
});
