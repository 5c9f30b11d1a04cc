import { eq } from 'drizzle-orm';
import { ConversationClosedError } from '@baton/engine/client';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { conversations, messages, teamMembers, users } from '../../db/schema.js';
import { createTestServer, readSse, simpleFlow, type TestServer } from '../../../testing/test-server.js';
import { INBOX_CHANNEL } from './inbox-channel.js';

const ENV_TOKEN = 'env-token-with-owner-rights-inbox-0123456789';

let server: TestServer;
let botId: string;

beforeAll(async () => {
  server = await createTestServer({ apiToken: ENV_TOKEN });
  botId = await server.createLiveBot('Inbox bot', simpleFlow('Inbox bot'));
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.engine.calls.length = 0;
  server.db.update(users).set({ presence: 'offline' }).run();
});

type Status = 'bot' | 'queued' | 'agent' | 'closed';

const row = (id: string) => server.db.select().from(conversations).where(eq(conversations.id, id)).get()!;

/** A conversation as the worker's projection would leave it. */
async function conversation(
  state: { status?: Status; assigneeId?: string | null; leftMessage?: boolean; vars?: Record<string, string>; suggestion?: string } = {},
  user?: { email?: string; name?: string; externalId?: string },
) {
  const opened = await server.openConversation(botId, user ? { user } : {});
  server.db
    .update(conversations)
    .set({
      status: state.status ?? 'bot',
      assigneeId: state.assigneeId ?? null,
      leftMessageAt: state.leftMessage ? new Date() : null,
      ...(state.vars ? { vars: state.vars } : {}),
      ...(state.suggestion ? { suggestion: state.suggestion } : {}),
      ...(state.status === 'closed' ? { closedAt: new Date() } : {}),
    })
    .where(eq(conversations.id, opened.conversationId))
    .run();
  server.engine.calls.length = 0;
  return { id: opened.conversationId, token: opened.token };
}

const ids = (res: { body: { conversations: { id: string }[] } }) => res.body.conversations.map((c) => c.id);

describe('GET /api/inbox', () => {
  test('lists what waits for people, what people have, and messages left; not what the bot has or what is over', async () => {
    const queued = await conversation({ status: 'queued' });
    const withAgent = await conversation({ status: 'agent', assigneeId: server.users.agent.id });
    const leftMessage = await conversation({ status: 'bot', leftMessage: true });
    const withBot = await conversation({ status: 'bot' });
    const closed = await conversation({ status: 'closed' });
    const all = ids(await server.json('GET', '/api/inbox', undefined, 'agent'));
    expect(all).toEqual(expect.arrayContaining([queued.id, withAgent.id, leftMessage.id]));
    expect(all).not.toContain(withBot.id);
    expect(all).not.toContain(closed.id);
  });

  test('filters: queued, agent, left_message, mine', async () => {
    const queued = await conversation({ status: 'queued', assigneeId: server.users.builder.id });
    const mine = await conversation({ status: 'agent', assigneeId: server.users.agent.id });
    const theirs = await conversation({ status: 'agent', assigneeId: server.users.owner.id });
    const left = await conversation({ status: 'queued', leftMessage: true });

    const byStatus = async (query: string) => ids(await server.json('GET', `/api/inbox?${query}`, undefined, 'agent'));
    const queuedOnes = await byStatus('status=queued');
    expect(queuedOnes).toEqual(expect.arrayContaining([queued.id, left.id]));
    expect(queuedOnes).not.toEqual(expect.arrayContaining([mine.id]));
    expect(queuedOnes).not.toContain(theirs.id);

    const agentOnes = await byStatus('status=agent');
    expect(agentOnes).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(agentOnes).not.toContain(queued.id);

    const leftOnes = await byStatus('status=left_message');
    expect(leftOnes).toContain(left.id);
    expect(leftOnes).not.toContain(queued.id);
    expect(leftOnes).not.toContain(mine.id);

    const mineOnly = await byStatus('mine=true');
    expect(mineOnly).toContain(mine.id);
    expect(mineOnly).not.toContain(theirs.id);
    expect(mineOnly).not.toContain(queued.id);
    expect(await byStatus('mine=true&status=queued')).not.toContain(mine.id);
    expect(await byStatus('mine=false')).toEqual(expect.arrayContaining([mine.id, theirs.id]));
  });

  test("each item: the bot's name, the user, the assignee, the last message, whether a message was left", async () => {
    const { id } = await conversation({ status: 'queued', assigneeId: server.users.agent.id, leftMessage: true }, { email: 'Ann@Example.com', name: 'Ann' });
    server.db.insert(messages).values({ id: `${id}-u-1`, conversationId: id, role: 'user', text: 'Where is my order?', createdAt: new Date() }).run();
    const res = await server.json('GET', '/api/inbox', undefined, 'agent');
    expect(res.body.conversations.find((c: { id: string }) => c.id === id)).toEqual({
      id,
      botId,
      botName: 'Inbox bot',
      status: 'queued',
      assignee: server.users.agent.id,
      user: { email: 'ann@example.com', name: 'Ann' },
      lastMessage: { role: 'user', text: 'Where is my order?', createdAt: expect.any(String) },
      leftMessage: true,
      updatedAt: expect.any(String),
    });
  });
});

describe('POST /api/conversations/:id/takeover', () => {
  test('signals the workflow, then the projection says a person has it: status agent, the caller as assignee, no message left', async () => {
    const { id } = await conversation({ status: 'queued', assigneeId: server.users.builder.id, leftMessage: true });
    const res = await server.json('POST', `/api/conversations/${id}/takeover`, undefined, 'agent');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(server.engine.calls).toEqual([{ method: 'takeover', conversationId: id, agentId: server.users.agent.id }]);
    expect(row(id)).toMatchObject({ status: 'agent', assigneeId: server.users.agent.id, leftMessageAt: null });
  });

  test('a closed conversation is 409: reactivate it instead; nothing is signalled or changed', async () => {
    const { id } = await conversation({ status: 'closed' });
    const before = row(id);
    const res = await server.json('POST', `/api/conversations/${id}/takeover`, undefined, 'agent');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conversation_closed');
    expect(server.engine.calls).toEqual([]);
    expect(row(id)).toEqual(before);
  });

  test('the workflow ended meanwhile (the projection did not know yet): 409, the projection unchanged', async () => {
    const { id } = await conversation({ status: 'queued' });
    const before = row(id);
    server.engine.failNext('takeover', new ConversationClosedError(`conversation ${id} is closed`));
    const res = await server.json('POST', `/api/conversations/${id}/takeover`, undefined, 'agent');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('conversation_closed');
    expect(row(id)).toEqual(before);
  });

  test('the deployment token is no person: it cannot take, answer or reactivate a conversation (no one to assign it to)', async () => {
    const { id } = await conversation({ status: 'queued' });
    const closed = await conversation({ status: 'closed' });
    const before = server.snapshot();
    for (const [path, body] of [
      [`/api/conversations/${id}/takeover`, undefined],
      [`/api/conversations/${id}/agent-messages`, { text: 'Hello from the API token' }],
      [`/api/conversations/${closed.id}/reactivate`, undefined],
    ] as const) {
      const res = await server.json('POST', path, body, { bearer: ENV_TOKEN });
      expect(res.status, path).toBe(403);
      expect(res.body.error.code, path).toBe('forbidden');
    }
    expect(server.engine.calls).toEqual([]);
    expect(server.snapshot()).toEqual(before);
  });
});

describe('POST /api/conversations/:id/agent-messages', () => {
  test('a person who has the conversation: stored as role agent, sent to the workflow with the same id, the draft cleared', async () => {
    const { id } = await conversation({ status: 'agent', assigneeId: server.users.agent.id, suggestion: 'Try turning it off and on' });
    const res = await server.json('POST', `/api/conversations/${id}/agent-messages`, { text: 'Hi, Ana here' }, 'agent');
    expect(res.status).toBe(201);
    const stored = server.db.select().from(messages).where(eq(messages.conversationId, id)).all();
    expect(stored).toEqual([expect.objectContaining({ id: res.body.messageId, role: 'agent', text: 'Hi, Ana here', agentId: server.users.agent.id })]);
    expect(server.engine.calls).toEqual([
      { method: 'agentMessage', conversationId: id, message: { id: res.body.messageId, text: 'Hi, Ana here', agentId: server.users.agent.id } },
    ]);
    expect(row(id).suggestion).toBeNull();
  });

  test('someone who does not have it yet takes it over first', async () => {
    const { id } = await conversation({ status: 'queued', assigneeId: server.users.builder.id });
    const res = await server.json('POST', `/api/conversations/${id}/agent-messages`, { text: 'Let me help' }, 'agent');
    expect(res.status).toBe(201);
    expect(server.engine.calls.map((c) => c.method)).toEqual(['takeover', 'agentMessage']);
    expect(server.engine.callsOf('agentMessage')[0]!.message.id).toBe(res.body.messageId);
    expect(row(id)).toMatchObject({ status: 'agent', assigneeId: server.users.agent.id });
  });

  test('a closed conversation: 409, nothing stored', async () => {
    const { id } = await conversation({ status: 'closed' });
    const res = await server.json('POST', `/api/conversations/${id}/agent-messages`, { text: 'Hello?' }, 'agent');
    expect(res.status).toBe(409);
    expect(server.db.select().from(messages).where(eq(messages.conversationId, id)).all()).toEqual([]);
    expect(server.engine.calls).toEqual([]);
  });

  test('an empty text is 400', async () => {
    const { id } = await conversation({ status: 'agent', assigneeId: server.users.agent.id });
    const res = await server.json('POST', `/api/conversations/${id}/agent-messages`, { text: '   ' }, 'agent');
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toEqual(['body', 'text']);
  });
});

describe('POST /api/conversations/:id/complete', () => {
  test('hands the conversation back to the bot and clears a left message', async () => {
    const { id } = await conversation({ status: 'agent', assigneeId: server.users.agent.id, leftMessage: true });
    const res = await server.json('POST', `/api/conversations/${id}/complete`, undefined, 'agent');
    expect(res.status).toBe(200);
    expect(server.engine.calls).toEqual([{ method: 'handBack', conversationId: id }]);
    expect(row(id).leftMessageAt).toBeNull();
  });

  test('a closed conversation: 409, nothing signalled', async () => {
    const { id } = await conversation({ status: 'closed' });
    const res = await server.json('POST', `/api/conversations/${id}/complete`, undefined, 'agent');
    expect(res.status).toBe(409);
    expect(server.engine.calls).toEqual([]);
  });
});

describe('POST /api/conversations/:id/reactivate', () => {
  test('a running conversation: a takeover', async () => {
    const { id } = await conversation({ status: 'bot' });
    const res = await server.json('POST', `/api/conversations/${id}/reactivate`, undefined, 'agent');
    expect(res.status).toBe(200);
    expect(server.engine.calls).toEqual([{ method: 'takeover', conversationId: id, agentId: server.users.agent.id }]);
    expect(row(id)).toMatchObject({ status: 'agent', assigneeId: server.users.agent.id });
  });

  test("a closed conversation: reopened in the engine with its user and variables, the caller's from the start", async () => {
    const { id } = await conversation({ status: 'closed', vars: { order: 'A-17' } }, { email: 'ann@example.com', name: 'Ann', externalId: 'crm-1' });
    const res = await server.json('POST', `/api/conversations/${id}/reactivate`, undefined, 'agent');
    expect(res.status).toBe(200);
    expect(server.engine.calls).toEqual([
      {
        method: 'reopen',
        input: {
          conversation: { id, botId, flowVersion: 1 },
          user: { email: 'ann@example.com', name: 'Ann', externalId: 'crm-1' },
          vars: { order: 'A-17' },
        },
        agentId: server.users.agent.id,
      },
    ]);
    expect(row(id)).toMatchObject({ status: 'agent', assigneeId: server.users.agent.id, closedAt: null });
  });
});

describe('GET /api/conversations/:id/suggestion', () => {
  test("the assist mode's draft, or null", async () => {
    const without = await conversation({ status: 'agent' });
    expect((await server.json('GET', `/api/conversations/${without.id}/suggestion`, undefined, 'agent')).body).toEqual({ text: null });
    const withDraft = await conversation({ status: 'agent', suggestion: 'Your order ships tomorrow.' });
    const res = await server.json('GET', `/api/conversations/${withDraft.id}/suggestion`, undefined, 'agent');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ text: 'Your order ships tomorrow.' });
  });
});

describe('PUT /api/agents/me/status', () => {
  const presence = (id: string) => server.db.select({ presence: users.presence }).from(users).where(eq(users.id, id)).get()!.presence;

  test("sets the caller's presence, and only theirs", async () => {
    const res = await server.json('PUT', '/api/agents/me/status', { status: 'online' }, 'agent');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'online' });
    expect(presence(server.users.agent.id)).toBe('online');
    expect(presence(server.users.builder.id)).toBe('offline');
    await server.json('PUT', '/api/agents/me/status', { status: 'away' }, 'agent');
    expect(presence(server.users.agent.id)).toBe('away');
  });

  test('the deployment token has no presence: 403', async () => {
    const before = server.snapshot();
    const res = await server.json('PUT', '/api/agents/me/status', { status: 'online' }, { bearer: ENV_TOKEN });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
    expect(server.snapshot()).toEqual(before);
  });
});

describe('GET /api/bots/:botId/availability', () => {
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

  test('no service hours: always open; agentsOnline counts the people online', async () => {
    const id = await server.createBot('Always open');
    expect((await server.json('GET', `/api/bots/${id}/availability`)).body).toEqual({ open: true, nextOpenAt: null, agentsOnline: 0 });
    await server.json('PUT', '/api/agents/me/status', { status: 'online' }, 'agent');
    await server.json('PUT', '/api/agents/me/status', { status: 'online' }, 'owner');
    await server.json('PUT', '/api/agents/me/status', { status: 'away' }, 'builder');
    expect((await server.json('GET', `/api/bots/${id}/availability`)).body).toEqual({ open: true, nextOpenAt: null, agentsOnline: 2 });
  });

  test("closed now: open false and when it opens next, from the bot's service hours", async () => {
    const id = await server.createBot('Opens later');
    const date = inDays(10);
    await server.json('PUT', `/api/bots/${id}/settings`, { serviceHours: { timezone: 'UTC', rules: [{ kind: 'date', date, start: '09:00', end: '17:00' }] } }, 'owner');
    const res = await server.json('GET', `/api/bots/${id}/availability`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ open: false, nextOpenAt: `${date}T09:00:00.000Z`, agentsOnline: 0 });
  });

  test('open now by the service hours: open, no next opening', async () => {
    const id = await server.createBot('Open all week');
    const week = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
    await server.json('PUT', `/api/bots/${id}/settings`, { serviceHours: { timezone: 'Asia/Shanghai', rules: [{ kind: 'weekly', days: week, start: '00:00', end: '24:00' }] } }, 'owner');
    expect((await server.json('GET', `/api/bots/${id}/availability`)).body).toMatchObject({ open: true, nextOpenAt: null });
  });

  test('an unknown bot is 404', async () => {
    expect((await server.json('GET', '/api/bots/bot_unknown/availability')).status).toBe(404);
  });
});

describe('GET /api/bots/:botId/appearance', () => {
  const SHOP = 'https://shop.example';
  const EVIL = 'https://evil.example';

  test('nothing set: an empty object, to anyone without logging in', async () => {
    const id = await server.createBot('Plain');
    const res = await server.json('GET', `/api/bots/${id}/appearance`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  test("the colour and greeting from the bot's widget settings, and nothing else of the settings", async () => {
    const id = await server.createBot('Dressed up');
    const settings = {
      enabled: true,
      aiMode: 'assist',
      defaultDesk: 'webhook',
      serviceHours: { timezone: 'Europe/Berlin', rules: [{ kind: 'weekly', days: ['mon'], start: '09:00', end: '17:00' }] },
      desks: {
        webhook: { baseUrl: 'https://desk.example/hooks', secret: 'webhook-secret-appearance', username: 'desk-user', password: 'desk-password-appearance' },
        intercom: { accessToken: 'intercom-token-appearance', clientSecret: 'intercom-secret-appearance' },
        livechat: { organizationId: 'org-appearance', accessToken: 'dal:livechat-token-appearance', secretKey: 'livechat-key-appearance' },
      },
      widget: { allowedOrigins: [SHOP, 'https://private-staging.example'], greeting: 'Hi! How can we help?', color: '#12ab34' },
    };
    expect((await server.json('PUT', `/api/bots/${id}/settings`, settings, 'owner')).status).toBe(200);
    const res = await server.json('GET', `/api/bots/${id}/appearance`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ color: '#12ab34', greeting: 'Hi! How can we help?' });
    // Not a key, not a value: no origin, desk, credential, hours or mode.
    const raw = JSON.stringify(res.body);
    for (const hidden of ['allowedOrigins', 'shop.example', 'private-staging', 'desk', 'secret', 'token', 'password', 'org-appearance', 'Europe/Berlin', 'assist', 'enabled']) {
      expect(raw, hidden).not.toContain(hidden);
    }
  });

  test('each field only when set; a blank greeting is none, a greeting is trimmed', async () => {
    const id = await server.createBot('Half dressed');
    await server.json('PUT', `/api/bots/${id}/settings`, { widget: { allowedOrigins: [], color: '#000000', greeting: '   ' } }, 'owner');
    expect((await server.json('GET', `/api/bots/${id}/appearance`)).body).toEqual({ color: '#000000' });
    await server.json('PUT', `/api/bots/${id}/settings`, { widget: { allowedOrigins: [], greeting: '  Hello there \n' } }, 'owner');
    expect((await server.json('GET', `/api/bots/${id}/appearance`)).body).toEqual({ greeting: 'Hello there' });
  });

  test("the widget's origins get it with CORS headers, other sites a 403 (the widget shows no bubble there)", async () => {
    const id = await server.createBot('On a shop');
    await server.json('PUT', `/api/bots/${id}/settings`, { widget: { allowedOrigins: [SHOP], color: '#12ab34' } }, 'owner');
    const allowed = await server.json('GET', `/api/bots/${id}/appearance`, undefined, { origin: SHOP });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(allowed.body).toEqual({ color: '#12ab34' });
    const refused = await server.json('GET', `/api/bots/${id}/appearance`, undefined, { origin: EVIL });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('origin_not_allowed');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('an unknown bot is 404', async () => {
    const res = await server.json('GET', '/api/bots/bot_unknown/appearance');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });
});

describe('teams', () => {
  test('create, list, rename, set members', async () => {
    const created = await server.json('POST', '/api/teams', { name: 'Billing', memberIds: [server.users.agent.id, server.users.agent.id] }, 'owner');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.any(String), name: 'Billing', memberIds: [server.users.agent.id] });
    const teamId = created.body.id as string;

    const renamed = await server.json('PUT', `/api/teams/${teamId}`, { name: 'Billing & refunds', memberIds: [server.users.builder.id, server.users.owner.id] }, 'owner');
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ id: teamId, name: 'Billing & refunds', memberIds: [server.users.builder.id, server.users.owner.id] });

    const listed = await server.json('GET', '/api/teams', undefined, 'agent');
    expect(listed.status).toBe(200);
    const team = listed.body.teams.find((t: { id: string }) => t.id === teamId);
    expect(team.name).toBe('Billing & refunds');
    expect([...team.memberIds].sort()).toEqual([server.users.builder.id, server.users.owner.id].sort());
    expect(server.db.select().from(teamMembers).where(eq(teamMembers.teamId, teamId)).all()).toHaveLength(2);

    const emptied = await server.json('PUT', `/api/teams/${teamId}`, { name: 'Billing & refunds' }, 'owner');
    expect(emptied.body.memberIds).toEqual([]);
    expect(server.db.select().from(teamMembers).where(eq(teamMembers.teamId, teamId)).all()).toEqual([]);
  });

  // 404 as for any id that names nothing: the request itself is well formed.
  test('an unknown member is 404 naming it; nothing is saved', async () => {
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    const res = await server.json('POST', '/api/teams', { name: 'Ghosts', memberIds: [server.users.agent.id, 'usr_nobody'] }, 'owner');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
    expect(res.body.error.message).toContain('usr_nobody');
    expect(res.body.error.issues[0].path).toEqual(['body', 'memberIds']);
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
  });

  test('an empty member id is refused, not stored (it once reached the database)', async () => {
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    const res = await server.json('POST', '/api/teams', { name: 'Blank', memberIds: [''] }, 'owner');
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toEqual(['body', 'memberIds', 0]);
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
  });

  test('a name taken by another team is 409, on create and on rename; keeping its own name is fine', async () => {
    const first = await server.json('POST', '/api/teams', { name: 'Sales' }, 'owner');
    const second = await server.json('POST', '/api/teams', { name: 'Support desk' }, 'owner');
    const duplicate = await server.json('POST', '/api/teams', { name: 'Sales' }, 'owner');
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('name_taken');
    const clash = await server.json('PUT', `/api/teams/${second.body.id}`, { name: 'Sales' }, 'owner');
    expect(clash.status).toBe(409);
    const same = await server.json('PUT', `/api/teams/${first.body.id}`, { name: 'Sales', memberIds: [server.users.agent.id] }, 'owner');
    expect(same.status).toBe(200);
  });

  test('renaming a team that does not exist is 404 and creates nothing', async () => {
    const res = await server.json('PUT', '/api/teams/team_missing', { name: 'Phantom' }, 'owner');
    expect(res.status).toBe(404);
    expect((await server.json('GET', '/api/teams', undefined, 'owner')).body.teams.map((t: { name: string }) => t.name)).not.toContain('Phantom');
  });
});

describe("the end user's side", () => {
  test('request-human with the conversation token: the workflow is asked', async () => {
    const { id, token } = await conversation({ status: 'bot' });
    const res = await server.json('POST', `/api/conversations/${id}/request-human`, undefined, { bearer: token });
    expect(res.status).toBe(202);
    expect(server.engine.calls).toEqual([{ method: 'requestHuman', conversationId: id }]);
  });

  test('leave-humans with the conversation token: the workflow is told', async () => {
    const { id, token } = await conversation({ status: 'agent', assigneeId: server.users.agent.id });
    const res = await server.json('POST', `/api/conversations/${id}/leave-humans`, undefined, { bearer: token });
    expect(res.status).toBe(202);
    expect(server.engine.calls).toEqual([{ method: 'leaveHumans', conversationId: id }]);
  });

  test('both are 409 on a closed conversation, with nothing signalled', async () => {
    const { id, token } = await conversation({ status: 'closed' });
    for (const action of ['request-human', 'leave-humans']) {
      const res = await server.json('POST', `/api/conversations/${id}/${action}`, undefined, { bearer: token });
      expect(res.status, action).toBe(409);
      expect(res.body.error.code, action).toBe('conversation_closed');
    }
    expect(server.engine.calls).toEqual([]);
  });

  test('PUT user: the row and the workflow learn who the user is', async () => {
    const { id, token } = await conversation({ status: 'bot' }, { name: 'Anonymous' });
    const res = await server.json('PUT', `/api/conversations/${id}/user`, { email: 'Ann@Example.com', name: 'Ann', externalId: 'crm-7' }, { bearer: token });
    expect(res.status).toBe(200);
    expect(row(id)).toMatchObject({ userEmail: 'ann@example.com', userName: 'Ann', userExternalId: 'crm-7' });
    expect(server.engine.calls).toEqual([{ method: 'setUser', conversationId: id, user: { email: 'ann@example.com', name: 'Ann', externalId: 'crm-7' } }]);
  });

  test('PUT user with one field changes that one only', async () => {
    const { id, token } = await conversation({ status: 'bot' }, { email: 'ann@example.com', name: 'Ann' });
    await server.json('PUT', `/api/conversations/${id}/user`, { name: 'Ann B.' }, { bearer: token });
    expect(row(id)).toMatchObject({ userEmail: 'ann@example.com', userName: 'Ann B.' });
  });

  test('PUT user needs at least one field, and a real email; 409 when closed', async () => {
    const { id, token } = await conversation({ status: 'bot' });
    const before = row(id);
    expect((await server.json('PUT', `/api/conversations/${id}/user`, {}, { bearer: token })).status).toBe(400);
    const badEmail = await server.json('PUT', `/api/conversations/${id}/user`, { email: 'ann at example' }, { bearer: token });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error.issues[0].path).toEqual(['body', 'email']);
    expect(row(id)).toEqual(before);
    const closed = await conversation({ status: 'closed' });
    expect((await server.json('PUT', `/api/conversations/${closed.id}/user`, { name: 'Ann' }, { bearer: closed.token })).status).toBe(409);
    expect(server.engine.calls).toEqual([]);
  });
});

describe('GET /api/inbox/events', () => {
  test('sends the inbox at once, and again when a conversation in it changes', async () => {
    const { id } = await conversation({ status: 'bot' });
    const res = await server.app.request('/api/inbox/events', { headers: server.as('agent') });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    let changed: Promise<unknown> | undefined;
    const events = await readSse(res, (seen) => {
      // Once the first snapshot is in, a person takes the conversation: it joins the inbox.
      if (seen.length === 1 && !changed) changed = server.json('POST', `/api/conversations/${id}/takeover`, undefined, 'agent');
      return seen.length >= 2;
    });
    await changed;
    expect(events.map((e) => e.event)).toEqual(['inbox', 'inbox']);
    const [first, second] = events.map((e) => JSON.parse(e.data).conversations.map((c: { id: string }) => c.id) as string[]);
    expect(first).not.toContain(id);
    expect(second).toContain(id);
  });

  test('a change written elsewhere (the worker) reaches the stream by its notification', async () => {
    const { id } = await conversation({ status: 'bot' });
    const res = await server.app.request('/api/inbox/events', { headers: server.as('owner') });
    const started = Date.now();
    let notified = false;
    const events = await readSse(res, (seen) => {
      if (seen.length === 1 && !notified) {
        notified = true;
        server.db.update(conversations).set({ status: 'queued' }).where(eq(conversations.id, id)).run();
        server.events.notify(INBOX_CHANNEL);
      }
      return seen.length >= 2;
    });
    expect(events).toHaveLength(2);
    expect(JSON.parse(events[1]!.data).conversations.map((c: { id: string }) => c.id)).toContain(id);
    // Woken by the notification, not by the 2-second poll.
    expect(Date.now() - started).toBeLessThan(1500);
  });
});
