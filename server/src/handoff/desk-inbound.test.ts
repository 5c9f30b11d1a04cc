import { eq } from 'drizzle-orm';
import { ConversationClosedError } from '@baton/engine/client';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { handoffs, hookReceipts, messages } from '../db/schema.js';
import type { ConfigurableDeskKind as DeskKind } from '../desks/registry.js';
import { INBOX_CHANNEL } from '../features/inbox/inbox-channel.js';
import { newId } from '../security/tokens.js';
import { createTestServer, simpleFlow, type TestServer } from '../../testing/test-server.js';

let server: TestServer;
let botId: string;

beforeAll(async () => {
  server = await createTestServer();
  botId = await server.createLiveBot('Desk inbound', simpleFlow('Desk inbound'));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.engine.calls.length = 0;
});

let counter = 0;

/** A conversation handed to `desk`, as the gateway leaves it. */
async function handedOver(desk: DeskKind, session: Record<string, unknown> = {}) {
  const { conversationId } = await server.openConversation(botId);
  const deskConversationId = `desk-conv-${++counter}`;
  const id = newId('hof');
  server.db.insert(handoffs).values({ id, conversationId, botId, desk, deskConversationId, session, status: 'queued', idempotencyKey: `key-${counter}` }).run();
  server.engine.calls.length = 0;
  return { conversationId, deskConversationId, handoffId: id };
}

const transcript = (conversationId: string) => server.db.select().from(messages).where(eq(messages.conversationId, conversationId)).all();
const handoffRow = (id: string) => server.db.select().from(handoffs).where(eq(handoffs.id, id)).get()!;
const deliver = (...args: Parameters<TestServer['services']['deskInbound']['deliver']>) => server.services.deskInbound.deliver(...args);

/** Counts notifications on a key while `fn` runs. */
async function notifications<T>(keys: string[], fn: () => Promise<T>): Promise<{ result: T; counts: Record<string, number> }> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0]));
  const unsubscribe = keys.map((k) => server.events.subscribe(k, () => counts[k]!++));
  try {
    return { result: await fn(), counts };
  } finally {
    for (const u of unsubscribe) u();
  }
}

describe("a human's message", () => {
  test('goes into the transcript as role agent, to the workflow with the same id, and to the streams', async () => {
    const { conversationId, deskConversationId } = await handedOver('webhook');
    const { result, counts } = await notifications([conversationId, INBOX_CHANNEL], () =>
      deliver(botId, 'webhook', deskConversationId, { type: 'agent_message', eventId: 'dm_1', text: 'Hi, Ana here', agentName: 'Ana', agentId: 'ag_7' }),
    );
    expect(result).toBe('delivered');
    const stored = transcript(conversationId);
    expect(stored).toEqual([expect.objectContaining({ role: 'agent', text: 'Hi, Ana here', agentId: 'Ana' })]);
    expect(server.engine.calls).toEqual([{ method: 'agentMessage', conversationId, message: { id: stored[0]!.id, text: 'Hi, Ana here', agentId: 'ag_7' } }]);
    expect(counts[conversationId]).toBeGreaterThan(0);
    expect(counts[INBOX_CHANNEL]).toBeGreaterThan(0);
  });

  test('delivered again (same event id): duplicate, nothing twice', async () => {
    const { conversationId, deskConversationId } = await handedOver('intercom');
    const event = { type: 'agent_message' as const, eventId: 'notif_1', text: 'Your refund is on its way' };
    expect(await deliver(botId, 'intercom', deskConversationId, event)).toBe('delivered');
    expect(await deliver(botId, 'intercom', deskConversationId, event)).toBe('duplicate');
    expect(transcript(conversationId)).toHaveLength(1);
    expect(server.engine.callsOf('agentMessage')).toHaveLength(1);
  });

  test('the same event id from another desk or bot is another event', async () => {
    const a = await handedOver('intercom');
    const b = await handedOver('livechat');
    expect(await deliver(botId, 'intercom', a.deskConversationId, { type: 'agent_message', eventId: 'same-id', text: 'one' })).toBe('delivered');
    expect(await deliver(botId, 'livechat', b.deskConversationId, { type: 'agent_message', eventId: 'same-id', text: 'two' })).toBe('delivered');
    expect(transcript(b.conversationId).map((m) => m.text)).toEqual(['two']);
  });

  test("LiveChat's echo of our own customer is dropped: nothing stored or signalled", async () => {
    const { conversationId, deskConversationId } = await handedOver('livechat', { customerId: 'customer-7', clientId: 'client-1' });
    const result = await deliver(botId, 'livechat', deskConversationId, { type: 'agent_message', eventId: 'ev_echo', text: 'Order A-17', agentId: 'customer-7' });
    expect(result).toBe('delivered');
    expect(transcript(conversationId)).toEqual([]);
    expect(server.engine.calls).toEqual([]);
    // An agent of the same chat still gets through.
    await deliver(botId, 'livechat', deskConversationId, { type: 'agent_message', eventId: 'ev_agent', text: 'Checking', agentId: 'agent@example.com' });
    expect(transcript(conversationId).map((m) => m.text)).toEqual(['Checking']);
  });

  test('the workflow ended meanwhile: the message is kept in the transcript and the delivery succeeds', async () => {
    const { conversationId, deskConversationId } = await handedOver('webhook');
    server.engine.failNext('agentMessage', new ConversationClosedError(`conversation ${conversationId} is closed`));
    expect(await deliver(botId, 'webhook', deskConversationId, { type: 'agent_message', eventId: 'dm_late', text: 'Sorry for the wait' })).toBe('delivered');
    expect(transcript(conversationId).map((m) => m.text)).toEqual(['Sorry for the wait']);
    expect(await deliver(botId, 'webhook', deskConversationId, { type: 'agent_message', eventId: 'dm_late', text: 'Sorry for the wait' })).toBe('duplicate');
  });

  test('a failure while signalling leaves the event unreceipted: the redelivery is handled, the message stored once', async () => {
    const { conversationId, deskConversationId } = await handedOver('webhook');
    const event = { type: 'agent_message' as const, eventId: 'dm_retry', text: 'Are you still there?' };
    server.engine.failNext('agentMessage', new Error('Temporal is unreachable'));
    await expect(deliver(botId, 'webhook', deskConversationId, event)).rejects.toThrow('Temporal is unreachable');
    expect(server.db.select().from(hookReceipts).all().map((r) => r.key)).not.toContain(`webhook:${botId}:dm_retry`);

    expect(await deliver(botId, 'webhook', deskConversationId, event)).toBe('delivered');
    const stored = transcript(conversationId);
    expect(stored).toHaveLength(1);
    const signals = server.engine.callsOf('agentMessage');
    expect(signals).toHaveLength(2);
    expect(signals.map((s) => s.message.id)).toEqual([stored[0]!.id, stored[0]!.id]);
    expect(await deliver(botId, 'webhook', deskConversationId, event)).toBe('duplicate');
  });
});

describe("the desk's close", () => {
  test('hands the conversation back to the bot and closes the handoff', async () => {
    const { conversationId, deskConversationId, handoffId } = await handedOver('livechat', { customerId: 'c-1', clientId: 'x' });
    expect(await deliver(botId, 'livechat', deskConversationId, { type: 'closed', eventId: 'chat_deactivated:1' })).toBe('delivered');
    expect(server.engine.calls).toEqual([{ method: 'handBack', conversationId }]);
    expect(handoffRow(handoffId)).toMatchObject({ status: 'closed', closedAt: expect.any(Date) });
  });

  test('a failed hand-back is taken again on redelivery', async () => {
    const { conversationId, deskConversationId, handoffId } = await handedOver('webhook');
    server.engine.failNext('handBack', new Error('Temporal is unreachable'));
    const event = { type: 'closed' as const, eventId: 'close-sha' };
    await expect(deliver(botId, 'webhook', deskConversationId, event)).rejects.toThrow('Temporal is unreachable');
    expect(await deliver(botId, 'webhook', deskConversationId, event)).toBe('delivered');
    expect(server.engine.callsOf('handBack')).toEqual([
      { method: 'handBack', conversationId },
      { method: 'handBack', conversationId },
    ]);
    expect(handoffRow(handoffId).status).toBe('closed');
  });

  test('activity (snoozed, read) only refreshes the inbox', async () => {
    const { conversationId, deskConversationId, handoffId } = await handedOver('intercom');
    const { result, counts } = await notifications([INBOX_CHANNEL], () => deliver(botId, 'intercom', deskConversationId, { type: 'activity', eventId: 'n-read', what: 'read' }));
    expect(result).toBe('delivered');
    expect(counts[INBOX_CHANNEL]).toBe(1);
    expect(server.engine.calls).toEqual([]);
    expect(transcript(conversationId)).toEqual([]);
    expect(handoffRow(handoffId).status).toBe('queued');
  });
});

describe('conversations without a handoff going on', () => {
  test('an unknown desk conversation, or one of another bot or desk: unknown_conversation, nothing happens', async () => {
    const { conversationId, deskConversationId } = await handedOver('webhook');
    const otherBot = await server.createBot('Other');
    const event = { type: 'agent_message' as const, eventId: 'dm_x', text: 'Hello' };
    expect(await deliver(botId, 'webhook', 'no-such-conversation', event)).toBe('unknown_conversation');
    expect(await deliver(otherBot, 'webhook', deskConversationId, event)).toBe('unknown_conversation');
    expect(await deliver(botId, 'intercom', deskConversationId, event)).toBe('unknown_conversation');
    expect(transcript(conversationId)).toEqual([]);
    expect(server.engine.calls).toEqual([]);
  });

  test('a handoff that is over (the user left, the bot took over): unknown_conversation, as the webhook desk contract says', async () => {
    const { conversationId, deskConversationId, handoffId } = await handedOver('webhook');
    server.db.update(handoffs).set({ status: 'closed', closedAt: new Date() }).where(eq(handoffs.id, handoffId)).run();
    expect(await deliver(botId, 'webhook', deskConversationId, { type: 'agent_message', eventId: 'dm_after', text: 'Hello?' })).toBe('unknown_conversation');
    expect(await deliver(botId, 'webhook', deskConversationId, { type: 'closed', eventId: 'close-after' })).toBe('unknown_conversation');
    expect(transcript(conversationId)).toEqual([]);
    expect(server.engine.calls).toEqual([]);
  });

  test('a redelivered close after the handoff closed is still a duplicate', async () => {
    const { deskConversationId } = await handedOver('livechat', { customerId: 'c-2', clientId: 'x' });
    const event = { type: 'closed' as const, eventId: 'chat_deactivated:2' };
    expect(await deliver(botId, 'livechat', deskConversationId, event)).toBe('delivered');
    expect(await deliver(botId, 'livechat', deskConversationId, event)).toBe('duplicate');
    expect(server.engine.callsOf('handBack')).toHaveLength(1);
  });

  test('handed over twice (the webhook desk reuses our conversation id): the latest handoff gets the message', async () => {
    const { conversationId, deskConversationId, handoffId } = await handedOver('webhook');
    server.db.update(handoffs).set({ status: 'closed', closedAt: new Date() }).where(eq(handoffs.id, handoffId)).run();
    server.db
      .insert(handoffs)
      .values({ id: newId('hof'), conversationId, botId, desk: 'webhook', deskConversationId, session: {}, status: 'queued', idempotencyKey: `again-${++counter}`, createdAt: new Date(Date.now() + 1000) })
      .run();
    expect(await deliver(botId, 'webhook', deskConversationId, { type: 'agent_message', eventId: 'dm_second', text: 'Back again' })).toBe('delivered');
    expect(transcript(conversationId).map((m) => m.text)).toEqual(['Back again']);
  });
});
