// The server's side of the engine's handoffs: the built-in inbox (routing, leave-a-message,
// assist drafts) in-process, and each external desk over real HTTP to its local fake.
import { eq } from 'drizzle-orm';
import type { HandoffActivityInput, HandoffGateway } from '@baton/engine/worker';
import { NodeError, type JsonObject } from '@baton/nodes';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeIntercom, type FakeIntercom } from '../../../test/fakes/intercom/fake-intercom.js';
import { startFakeLivechat, type FakeLivechat } from '../../../test/fakes/livechat/fake-livechat.js';
import { startFakeWebhookDesk, type FakeWebhookDesk } from '../../../test/fakes/webhook/fake-webhook.js';
import { conversations, deskStatus, handoffs, teamMembers, teams, users } from '../db/schema.js';
import { CLOSE_NOTES } from '../desks/intercom/intercom.client.js';
import type { ConfigurableDeskKind as DeskKind } from '../desks/registry.js';
import { botSettingsInputSchema } from '../features/bots/bot-settings.js';
import { INBOX_CHANNEL } from '../features/inbox/inbox-channel.js';
import { createTestServer, simpleFlow, type TestServer } from '../../testing/test-server.js';
import { createHandoffGateway } from './handoff-gateway.js';

let server: TestServer;
let flowVersion: number;

beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(() => {
  server.db.update(users).set({ presence: 'offline', lastAssignedAt: null }).run();
});

let keys = 0;
const key = () => `handoff-test-${++keys}-${Date.now()}`;

/** A live bot with these settings (`enabled` added), and a conversation of it. */
async function botWith(settings: Record<string, unknown> = {}): Promise<{ botId: string; conversationId: string }> {
  const botId = await server.createLiveBot(`Bot ${++keys}`, simpleFlow('Handoff'));
  server.services.bots.saveSettings(botId, botSettingsInputSchema.parse({ enabled: true, ...settings }));
  const opened = await server.openConversation(botId);
  flowVersion = opened.flowVersion;
  return { botId, conversationId: opened.conversationId };
}

async function anotherConversation(botId: string): Promise<string> {
  return (await server.openConversation(botId)).conversationId;
}

function gateway(options: { now?: () => number; draftReply?: (conversationId: string) => Promise<void> } = {}): HandoffGateway {
  return createHandoffGateway({
    db: server.db,
    bots: server.services.bots,
    projection: server.services.projection,
    log: server.log,
    ...options,
  });
}

function requestOf(
  conversation: { botId: string; conversationId: string },
  target: JsonObject,
  extra: { user?: JsonObject; history?: HandoffActivityInput['history']; idempotencyKey?: string } = {},
): HandoffActivityInput {
  return {
    conversation: { id: conversation.conversationId, botId: conversation.botId, flowVersion },
    nodeId: 'handoff',
    request: { target, waitTimeoutSeconds: 60, sessionTimeoutSeconds: 600, historyRounds: 5, requireEmail: false },
    history: extra.history ?? [
      { role: 'user', text: 'My parcel never arrived' },
      { role: 'bot', text: 'Sorry to hear that. Let me get a person.' },
      { role: 'user', text: 'Order A-17, please hurry' },
    ],
    user: extra.user ?? { email: 'ann@example.com', name: 'Ann' },
    idempotencyKey: extra.idempotencyKey ?? key(),
  };
}

const context = (conversation: { botId: string; conversationId: string }, target: JsonObject, session: JsonObject | undefined) => ({
  conversation: { id: conversation.conversationId, botId: conversation.botId, flowVersion },
  target,
  session: session ?? {},
});

const handoffRows = (conversationId: string) => server.db.select().from(handoffs).where(eq(handoffs.conversationId, conversationId)).all();
const conversationRow = (id: string) => server.db.select().from(conversations).where(eq(conversations.id, id)).get()!;
const online = (...ids: string[]) => {
  for (const id of ids) server.db.update(users).set({ presence: 'online' }).where(eq(users.id, id)).run();
};
const INBOX: JsonObject = { kind: 'inbox', assignTo: 'anyone' };

/** Counts the inbox's change notifications while `fn` runs. */
async function inboxNotifications(fn: () => Promise<unknown>): Promise<number> {
  let count = 0;
  const unsubscribe = server.events.subscribe(INBOX_CHANNEL, () => count++);
  try {
    await fn();
  } finally {
    unsubscribe();
  }
  return count;
}

describe('the inbox', () => {
  test("outside the bot's service hours: off_hours, and nobody is asked", async () => {
    const opensLater = { timezone: 'UTC', rules: [{ kind: 'weekly', days: ['mon'], start: '09:00', end: '17:00' }] };
    const conversation = await botWith({ serviceHours: opensLater });
    online(server.users.agent.id);
    const sundayNoon = Date.parse('2026-01-04T12:00:00Z');
    expect(await gateway({ now: () => sundayNoon }).request(requestOf(conversation, INBOX))).toEqual({ outcome: 'off_hours' });
    expect(handoffRows(conversation.conversationId)).toEqual([]);
    // Monday morning the same request is taken.
    const mondayTen = Date.parse('2026-01-05T10:00:00Z');
    expect((await gateway({ now: () => mondayTen }).request(requestOf(conversation, INBOX))).outcome).toBe('queued');
  });

  test('hosted mode with nobody online: no_agent, nothing recorded', async () => {
    const conversation = await botWith({ aiMode: 'hosted' });
    server.db.update(users).set({ presence: 'away' }).where(eq(users.id, server.users.agent.id)).run();
    expect(await gateway().request(requestOf(conversation, INBOX))).toEqual({ outcome: 'no_agent' });
    expect(handoffRows(conversation.conversationId)).toEqual([]);
    expect(conversationRow(conversation.conversationId).assigneeId).toBeNull();
  });

  test('assist mode with nobody online: queued, the user may leave a message for later', async () => {
    const conversation = await botWith({ aiMode: 'assist' });
    const answer = await gateway().request(requestOf(conversation, INBOX));
    expect(answer).toEqual({ outcome: 'queued', leaveMessage: true, session: { handoffId: expect.any(String), leaveMessage: true } });
    expect(handoffRows(conversation.conversationId)).toEqual([
      expect.objectContaining({ id: (answer as { session: JsonObject }).session['handoffId'], desk: 'inbox', status: 'queued', botId: conversation.botId }),
    ]);
    expect(conversationRow(conversation.conversationId).assigneeId).toBeNull();
  });

  test('someone online: queued and assigned to them; the inbox hears of it', async () => {
    const conversation = await botWith();
    online(server.users.agent.id);
    let answer;
    const notified = await inboxNotifications(async () => {
      answer = await gateway().request(requestOf(conversation, INBOX));
    });
    // The engine keeps our handoff's id only; who has it is the projection's.
    expect(answer).toEqual({ outcome: 'queued', session: { handoffId: expect.any(String) } });
    expect(conversationRow(conversation.conversationId).assigneeId).toBe(server.users.agent.id);
    expect(notified).toBeGreaterThan(0);
  });

  test('a retried request (same idempotency key) is the same handoff: one row, the same answer', async () => {
    for (const aiMode of ['hosted', 'assist'] as const) {
      const conversation = await botWith({ aiMode });
      if (aiMode === 'hosted') online(server.users.agent.id, server.users.builder.id);
      else server.db.update(users).set({ presence: 'offline' }).run();
      const input = requestOf(conversation, INBOX);
      const first = await gateway().request(input);
      const again = await gateway().request(input);
      expect(again, aiMode).toEqual(first);
      expect(handoffRows(conversation.conversationId), aiMode).toHaveLength(1);
    }
  });

  test('a named person and a team are routed to', async () => {
    const conversation = await botWith();
    online(server.users.agent.id, server.users.builder.id, server.users.owner.id);
    const named = await gateway().request(requestOf(conversation, { kind: 'inbox', assignTo: 'user', userId: server.users.owner.id }));
    expect(named).toMatchObject({ outcome: 'queued' });
    expect(conversationRow(conversation.conversationId).assigneeId).toBe(server.users.owner.id);

    const teamId = `team_gateway_${++keys}`;
    server.db.insert(teams).values({ id: teamId, name: teamId }).run();
    server.db.insert(teamMembers).values({ teamId, userId: server.users.builder.id }).run();
    const second = { botId: conversation.botId, conversationId: await anotherConversation(conversation.botId) };
    const toTeam = await gateway().request(requestOf(second, { kind: 'inbox', assignTo: 'team', teamId }));
    expect(toTeam).toMatchObject({ outcome: 'queued' });
    expect(conversationRow(second.conversationId).assigneeId).toBe(server.users.builder.id);
  });

  test("'default' goes where the bot's defaultDesk says: the inbox by default", async () => {
    const conversation = await botWith();
    online(server.users.agent.id);
    await gateway().request(requestOf(conversation, { kind: 'default' }));
    expect(handoffRows(conversation.conversationId).map((r) => r.desk)).toEqual(['inbox']);
  });

  test('relay of a leave-message handoff marks the message as left; an assigned one does not', async () => {
    const leave = await botWith({ aiMode: 'assist' });
    const started = await gateway().request(requestOf(leave, INBOX));
    await gateway().relay({ ...context(leave, INBOX, (started as { session: JsonObject }).session), messages: [{ id: 'm1', text: 'I will wait for an email' }] });
    expect(conversationRow(leave.conversationId).leftMessageAt).toBeInstanceOf(Date);

    const assigned = await botWith();
    online(server.users.agent.id);
    const queued = await gateway().request(requestOf(assigned, INBOX));
    await gateway().relay({ ...context(assigned, INBOX, (queued as { session: JsonObject }).session), messages: [{ id: 'm1', text: 'Still there?' }] });
    expect(conversationRow(assigned.conversationId).leftMessageAt).toBeNull();
  });

  test('relay in assist mode drafts a reply for the person; in hosted mode it does not', async () => {
    const drafted: string[] = [];
    const draftReply = async (conversationId: string) => void drafted.push(conversationId);
    online(server.users.agent.id);
    const assist = await botWith({ aiMode: 'assist' });
    const started = await gateway({ draftReply }).request(requestOf(assist, INBOX));
    await gateway({ draftReply }).relay({ ...context(assist, INBOX, (started as { session: JsonObject }).session), messages: [{ id: 'm1', text: 'Hello?' }] });
    expect(drafted).toEqual([assist.conversationId]);

    const hosted = await botWith({ aiMode: 'hosted' });
    const queued = await gateway({ draftReply }).request(requestOf(hosted, INBOX));
    await gateway({ draftReply }).relay({ ...context(hosted, INBOX, (queued as { session: JsonObject }).session), messages: [{ id: 'm1', text: 'Hello?' }] });
    expect(drafted).toEqual([assist.conversationId]);
  });

  test('a draft that fails is logged, never a failed relay', async () => {
    const assist = await botWith({ aiMode: 'assist' });
    const draftReply = async () => {
      throw new Error('the model is down');
    };
    const started = await gateway({ draftReply }).request(requestOf(assist, INBOX));
    await expect(
      gateway({ draftReply }).relay({ ...context(assist, INBOX, (started as { session: JsonObject }).session), messages: [{ id: 'm1', text: 'Hi' }] }),
    ).resolves.toBeUndefined();
    await expect.poll(() => server.log.entries.some((e) => e.message === 'no draft reply')).toBe(true);
  });

  test('reroute gives a queued conversation to someone else, and only while it is queued', async () => {
    const conversation = await botWith();
    online(server.users.agent.id, server.users.builder.id);
    const started = await gateway().request(requestOf(conversation, INBOX));
    const first = conversationRow(conversation.conversationId).assigneeId!;
    const ctx = context(conversation, INBOX, (started as { session: JsonObject }).session);

    // The projection says queued once the workflow recorded its turn.
    server.db.update(conversations).set({ status: 'queued' }).where(eq(conversations.id, conversation.conversationId)).run();
    await gateway().reroute(ctx);
    const second = conversationRow(conversation.conversationId).assigneeId!;
    expect(second).not.toBe(first);
    expect([server.users.agent.id, server.users.builder.id]).toContain(second);

    // A person has it now: a late reroute changes nothing.
    server.db.update(conversations).set({ status: 'agent' }).where(eq(conversations.id, conversation.conversationId)).run();
    await gateway().reroute(ctx);
    expect(conversationRow(conversation.conversationId).assigneeId).toBe(second);
  });

  test('reroute with nobody else online keeps the assignee', async () => {
    const conversation = await botWith();
    online(server.users.agent.id);
    const started = await gateway().request(requestOf(conversation, INBOX));
    server.db.update(conversations).set({ status: 'queued' }).where(eq(conversations.id, conversation.conversationId)).run();
    await gateway().reroute(context(conversation, INBOX, (started as { session: JsonObject }).session));
    expect(conversationRow(conversation.conversationId).assigneeId).toBe(server.users.agent.id);
  });

  test('close marks the handoff closed; later relays and reroutes of it do nothing', async () => {
    const conversation = await botWith({ aiMode: 'assist' });
    const started = await gateway().request(requestOf(conversation, INBOX));
    const ctx = context(conversation, INBOX, (started as { session: JsonObject }).session);
    await gateway().close({ ...ctx, reason: 'USER_CLOSED' });
    expect(handoffRows(conversation.conversationId)).toEqual([expect.objectContaining({ status: 'closed', closedAt: expect.any(Date) })]);
    await gateway().relay({ ...ctx, messages: [{ id: 'm9', text: 'Anyone?' }] });
    expect(conversationRow(conversation.conversationId).leftMessageAt).toBeNull();
    server.db.update(conversations).set({ status: 'queued' }).where(eq(conversations.id, conversation.conversationId)).run();
    online(server.users.agent.id);
    await gateway().reroute(ctx);
    expect(conversationRow(conversation.conversationId).assigneeId).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// The desks, each against its fake over real HTTP on 127.0.0.1.

interface DeskFixture {
  kind: DeskKind;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The bot settings' `desks.<kind>` pointing at the fake. */
  settings(): Record<string, unknown>;
  /** What the desk was told when the conversation was handed over: every text it holds, and the user's email. */
  received(deskConversationId: string): { texts: string[]; email: string | null | undefined };
  /** The user's messages the desk got after the handover. */
  relayed(deskConversationId: string): string[];
  isClosed(deskConversationId: string): boolean;
  /** The desk's next establish call answers `status`. */
  failEstablish(status: 401 | 429 | 503, headers?: Record<string, string>): void;
}

let intercom: FakeIntercom;
let livechat: FakeLivechat;
let webhook: FakeWebhookDesk;

const desks: DeskFixture[] = [
  {
    kind: 'intercom',
    async start() {
      intercom = await startFakeIntercom();
    },
    stop: () => intercom.close(),
    settings: () => ({ accessToken: intercom.accessToken, clientSecret: intercom.clientSecret, apiBaseUrl: intercom.baseUrl }),
    received(id) {
      const conversation = intercom.conversation(id)!;
      const contact = intercom.contact(conversation.contacts.contacts[0]!.id);
      return { texts: [conversation.source.body], email: contact?.email };
    },
    relayed: (id) =>
      intercom
        .conversation(id)!
        .conversation_parts.conversation_parts.filter((p) => p.author.type === 'user' || p.author.type === 'lead')
        // Intercom keeps bodies as HTML.
        .map((p) => (p.body ?? '').replace(/<[^>]*>/g, '')),
    isClosed: (id) => intercom.conversation(id)!.conversation_parts.conversation_parts.some((p) => p.body?.includes(CLOSE_NOTES.USER_CLOSED)),
    failEstablish: (status, headers) => intercom.failNext('*', status, headers ? { headers } : {}),
  },
  {
    kind: 'livechat',
    async start() {
      livechat = await startFakeLivechat();
    },
    stop: () => livechat.close(),
    settings: () => ({ organizationId: livechat.organizationId, accessToken: livechat.agentToken, secretKey: 'livechat-secret-key', apiBaseUrl: livechat.baseUrl }),
    received(id) {
      const chat = livechat.chat(id);
      return { texts: chat.threads.flatMap((t) => t.events.map((e) => e.text)), email: livechat.customers.get(chat.customerId)?.email };
    },
    relayed: (id) =>
      livechat
        .chat(id)
        .threads.flatMap((t) => t.events)
        .filter((e) => e.custom_id?.startsWith('baton:msg:'))
        .map((e) => e.text),
    isClosed: (id) => livechat.chat(id).threads.every((t) => !t.active),
    failEstablish: (status, headers) => livechat.failNext('/v2/customer/token', status, headers ? { headers } : {}),
  },
  {
    kind: 'webhook',
    async start() {
      webhook = await startFakeWebhookDesk();
    },
    stop: () => webhook.close(),
    settings: () => ({ baseUrl: webhook.baseUrl, secret: webhook.secret }),
    received(id) {
      const conversation = webhook.conversations.get(id)!;
      return { texts: conversation.history.map((h) => h.text), email: conversation.email };
    },
    relayed: (id) => webhook.conversations.get(id)!.messages.map((m) => m.text),
    isClosed: (id) => webhook.conversations.get(id)!.state === 'closed',
    failEstablish: (status, headers) => webhook.failNext('establish', status, headers ? { headers } : {}),
  },
];

const statusOf = (botId: string, desk: DeskKind) =>
  server.db
    .select()
    .from(deskStatus)
    .all()
    .find((row) => row.botId === botId && row.desk === desk);

describe.each(desks)('the $kind desk', (desk) => {
  const target: JsonObject = { kind: 'desk', provider: desk.kind };
  const configured = () => botWith({ desks: { [desk.kind]: desk.settings() } });

  beforeAll(() => desk.start());
  afterAll(() => desk.stop());

  test('establish: queued; the handoff row keeps the desk conversation; the desk got the history and the email', async () => {
    const conversation = await configured();
    const answer = await gateway().request(requestOf(conversation, target));
    expect(answer).toEqual({ outcome: 'queued', session: { handoffId: expect.any(String) } });
    const [row] = handoffRows(conversation.conversationId);
    expect(row).toMatchObject({ id: (answer as { session: JsonObject }).session['handoffId'], desk: desk.kind, status: 'queued', deskConversationId: expect.any(String) });
    const received = desk.received(row!.deskConversationId!);
    expect(received.email).toBe('ann@example.com');
    const everything = received.texts.join('\n');
    for (const line of ['My parcel never arrived', 'Sorry to hear that. Let me get a person.', 'Order A-17, please hurry']) expect(everything).toContain(line);
    expect(statusOf(conversation.botId, desk.kind)).toMatchObject({ available: true });
  });

  test('relay and close reach the desk', async () => {
    const conversation = await configured();
    const answer = await gateway().request(requestOf(conversation, target));
    const ctx = context(conversation, target, (answer as { session: JsonObject }).session);
    const deskConversationId = handoffRows(conversation.conversationId)[0]!.deskConversationId!;

    await gateway().relay({ ...ctx, messages: [{ id: `${conversation.conversationId}-u-1`, text: 'Are you there?' }, { id: `${conversation.conversationId}-u-2`, text: 'It was a blue box' }] });
    expect(desk.relayed(deskConversationId)).toEqual(expect.arrayContaining(['Are you there?', 'It was a blue box']));

    await gateway().close({ ...ctx, reason: 'USER_CLOSED' });
    expect(desk.isClosed(deskConversationId)).toBe(true);
    expect(handoffRows(conversation.conversationId)[0]).toMatchObject({ status: 'closed', closedAt: expect.any(Date) });
  });

  test("'default' reaches this desk when the bot's defaultDesk names it", async () => {
    const conversation = await botWith({ defaultDesk: desk.kind, desks: { [desk.kind]: desk.settings() } });
    expect((await gateway().request(requestOf(conversation, { kind: 'default' }))).outcome).toBe('queued');
    expect(handoffRows(conversation.conversationId).map((r) => r.desk)).toEqual([desk.kind]);
  });

  test('a bot without this desk configured: unavailable, nothing recorded', async () => {
    const conversation = await botWith();
    expect(await gateway().request(requestOf(conversation, target))).toEqual({ outcome: 'unavailable' });
    expect(handoffRows(conversation.conversationId)).toEqual([]);
    expect(statusOf(conversation.botId, desk.kind)).toBeUndefined();
  });

  test('the desk refuses our credentials (401): unavailable, and the desk is shown unavailable', async () => {
    const conversation = await configured();
    desk.failEstablish(401);
    expect(await gateway().request(requestOf(conversation, target))).toEqual({ outcome: 'unavailable' });
    expect(handoffRows(conversation.conversationId)).toEqual([]);
    expect(statusOf(conversation.botId, desk.kind)).toMatchObject({ available: false, message: expect.any(String) });
  });

  test('503 with Retry-After: a retryable NodeError that says how long to wait; the desk is unavailable until a call succeeds', async () => {
    const conversation = await configured();
    const input = requestOf(conversation, target);
    desk.failEstablish(503, { 'retry-after': '7' });
    const error = await gateway().request(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 7000 });
    expect(handoffRows(conversation.conversationId)).toEqual([]);
    expect(statusOf(conversation.botId, desk.kind)).toMatchObject({ available: false });

    // The engine's retry of the same request.
    expect((await gateway().request(input)).outcome).toBe('queued');
    expect(handoffRows(conversation.conversationId)).toHaveLength(1);
    expect(statusOf(conversation.botId, desk.kind)).toMatchObject({ available: true, message: null });
  });

  test('429: a retryable NodeError as well', async () => {
    const conversation = await configured();
    desk.failEstablish(429, { 'retry-after': '2' });
    const error = await gateway().request(requestOf(conversation, target)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NodeError);
    expect(error).toMatchObject({ retryable: true, retryAfterMs: 2000 });
    expect(statusOf(conversation.botId, desk.kind)).toMatchObject({ available: false });
  });

  test('a retried establish that had succeeded is the same handoff', async () => {
    const conversation = await configured();
    const input = requestOf(conversation, target);
    const first = await gateway().request(input);
    expect(await gateway().request(input)).toEqual(first);
    expect(handoffRows(conversation.conversationId)).toHaveLength(1);
  });
});

describe('LiveChat customer tokens', () => {
  let fake: FakeLivechat;
  beforeAll(async () => {
    fake = await startFakeLivechat();
  });
  afterAll(() => fake.close());

  test('a customer token renewed during a relay is saved in the handoff row', async () => {
    const conversation = await botWith({
      desks: { livechat: { organizationId: fake.organizationId, accessToken: fake.agentToken, secretKey: 'livechat-secret-key', apiBaseUrl: fake.baseUrl } },
    });
    const target = { kind: 'desk', provider: 'livechat' };
    const answer = await gateway().request(requestOf(conversation, target));
    const before = handoffRows(conversation.conversationId)[0]!.session;
    expect(before['customerToken']).toEqual(expect.any(String));

    fake.expireCustomerTokens();
    await gateway().relay({ ...context(conversation, target, (answer as { session: JsonObject }).session), messages: [{ id: 'm-renew', text: 'Still waiting' }] });

    const after = handoffRows(conversation.conversationId)[0]!.session;
    expect(after['customerToken']).toEqual(expect.any(String));
    expect(after['customerToken']).not.toBe(before['customerToken']);
    expect(after['customerId']).toBe(before['customerId']);
    expect(fake.tokens.map((t) => t.token)).toContain(after['customerToken']);
  });
});
