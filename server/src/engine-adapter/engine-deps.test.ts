import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { TurnRecord } from '@baton/engine/worker';
import { conversations, messages } from '../db/schema.js';
import { createTestServer, simpleFlow, type TestServer } from '../../testing/test-server.js';
import { createDbEngineDeps } from './engine-deps.js';

let server: TestServer;
let botId: string;
beforeAll(async () => {
  server = await createTestServer();
  botId = await server.createLiveBot('Engine deps', simpleFlow('Engine deps', 'from version one'));
});
afterAll(async () => {
  await server.close();
});

const deps = () => createDbEngineDeps(server.services.bots, server.services.projection);
const row = (id: string) => server.db.select().from(conversations).where(eq(conversations.id, id)).get()!;
const transcript = (id: string) => server.db.select().from(messages).where(eq(messages.conversationId, id)).orderBy(messages.seq).all();

const turn = (conversationId: string, overrides: Partial<TurnRecord> = {}): TurnRecord => ({
  conversation: { id: conversationId, botId, flowVersion: 1 },
  messages: [{ id: `${conversationId}-b1`, role: 'bot', text: 'Hello!', nodeId: 'hello' }],
  messageSeq: 1,
  status: 'bot',
  nodeId: 'hello',
  vars: { lastMessage: 'hi' },
  failures: [],
  ...overrides,
});

describe('createDbEngineDeps', () => {
  test('recordTurn is idempotent by message id: a retried activity writes each message once', async () => {
    const { conversationId } = await server.openConversation(botId);
    await deps().recordTurn(turn(conversationId));
    await deps().recordTurn(turn(conversationId));
    const rows = transcript(conversationId);
    expect(rows.map((m) => ({ id: m.id, role: m.role, text: m.text, nodeId: m.nodeId }))).toEqual([
      { id: `${conversationId}-b1`, role: 'bot', text: 'Hello!', nodeId: 'hello' },
    ]);
  });

  test('recordTurn updates the status, the node and the variables; closing stamps closedAt', async () => {
    const { conversationId } = await server.openConversation(botId);
    await deps().recordTurn(turn(conversationId, { status: 'queued', nodeId: 'handoff', vars: { plan: 'gold' } }));
    expect(row(conversationId)).toMatchObject({ status: 'queued', nodeId: 'handoff', vars: { plan: 'gold' }, closedAt: null });

    // A turn without variables keeps the ones already known.
    await deps().recordTurn(turn(conversationId, { messages: [], status: 'closed', nodeId: 'bye', vars: undefined }));
    expect(row(conversationId)).toMatchObject({ status: 'closed', nodeId: 'bye', vars: { plan: 'gold' } });
    expect(row(conversationId).closedAt).toBeInstanceOf(Date);
  });

  test('recordTurn tells open streams about the change', async () => {
    const { conversationId } = await server.openConversation(botId);
    let notified = 0;
    const unsubscribe = server.events.subscribe(conversationId, () => notified++);
    await deps().recordTurn(turn(conversationId));
    unsubscribe();
    expect(notified).toBe(1);
  });

  test('a turn that fails to write leaves nothing half-written', async () => {
    const { conversationId } = await server.openConversation(botId);
    const bad = turn(conversationId, {
      messages: [
        { id: `${conversationId}-ok`, role: 'bot', text: 'fine', nodeId: 'hello' },
        // No text breaks a NOT NULL column: the whole turn must roll back, not just this message.
        { id: `${conversationId}-broken`, role: 'bot', text: null as unknown as string, nodeId: 'hello' },
      ],
      status: 'agent',
    });
    await expect(deps().recordTurn(bad)).rejects.toThrow();
    expect(transcript(conversationId)).toEqual([]);
    expect(row(conversationId).status).toBe('bot');
  });

  test('load answers a published version; serviceHours the bot\'s calendar', async () => {
    const flow = await deps().load(botId, 1);
    expect(flow.nodes.find((n) => n.id === 'hello')!.config['text']).toBe('from version one');
    await expect(deps().load(botId, 99)).rejects.toThrow(/not found/);

    expect(await deps().serviceHours(botId)).toBeUndefined();
    const serviceHours = { timezone: 'Europe/Paris', rules: [{ kind: 'weekly', days: ['mon'], start: '09:00', end: '17:00' }] };
    await server.json('PUT', `/api/bots/${botId}/settings`, { enabled: true, serviceHours }, 'owner');
    expect(await deps().serviceHours(botId)).toMatchObject(serviceHours);
  });
});
