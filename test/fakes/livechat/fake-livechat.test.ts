import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeToken, startFakeLivechat, type FakeLivechat } from './fake-livechat.js';

interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/** A webhook receiver on 127.0.0.1 that answers with the statuses queued in `answers` (200 after). */
async function startReceiver() {
  const received: { body: string; headers: Record<string, string | string[] | undefined> }[] = [];
  const answers: number[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(answers.shift() ?? 200).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/livechat/bot-1`;
  return { url, received, answers, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('fake LiveChat', () => {
  let fake: FakeLivechat;

  const call = async (method: string, path: string, init: { body?: string | object; headers?: Record<string, string> } = {}): Promise<Answer> => {
    const body = init.body === undefined ? undefined : typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    const res = await fetch(fake.baseUrl + path, { method, headers: init.headers ?? {}, ...(body !== undefined ? { body } : {}) });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  };

  const grant = (extra: object = {}, headers: Record<string, string> = { authorization: `Bearer ${fake.agentToken}` }) =>
    call('POST', '/v2/customer/token', {
      headers: { 'content-type': 'application/json', ...headers },
      body: { grant_type: 'agent_token', client_id: fake.clientId, response_type: 'token', organization_id: fake.organizationId, ...extra },
    });

  const customerToken = async (): Promise<{ token: string; entityId: string }> => {
    const res = await grant();
    expect(res.status).toBe(200);
    return { token: res.body.access_token, entityId: res.body.entity_id };
  };

  const action = (name: string, token: string | undefined, body: unknown = {}, opts: { query?: string; headers?: Record<string, string>; version?: string } = {}) =>
    call('POST', `/${opts.version ?? 'v3.6'}/customer/action/${name}${opts.query ?? `?organization_id=${fake.organizationId}`}`, {
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...opts.headers },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    fake = await startFakeLivechat({ webhookRetryDelayMs: 1 });
  });
  afterEach(() => fake.reset());
  afterAll(() => fake.close());

  describe('customer token grant (POST /v2/customer/token)', () => {
    it('issues a region-prefixed customer token and a new customer identity for the agent token', async () => {
      const res = await grant();
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        access_token: expect.stringMatching(/^dal:/),
        client_id: fake.clientId,
        entity_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        expires_in: 28800,
        token_type: 'Bearer',
        organization_id: fake.organizationId,
      });
      const again = await grant();
      expect(again.body.entity_id).not.toBe(res.body.entity_id);
      expect(fake.customers.size).toBe(2);
    });

    it('keeps the identity when entity_id is passed, and refuses an unknown one', async () => {
      const first = await customerToken();
      const renewed = await grant({ entity_id: first.entityId });
      expect(renewed.status).toBe(200);
      expect(renewed.body.entity_id).toBe(first.entityId);
      expect(renewed.body.access_token).not.toBe(first.token);
      const unknown = await grant({ entity_id: '00000000-0000-4000-8000-000000000000' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toBe('invalid_request');
    });

    it('accepts a form-encoded body too', async () => {
      const res = await call('POST', '/v2/customer/token', {
        headers: { authorization: `Bearer ${fake.agentToken}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'agent_token', client_id: fake.clientId, response_type: 'token' }).toString(),
      });
      expect(res.status).toBe(200);
    });

    it('needs a Bearer agent token: not Basic (personal access tokens), not missing, not a wrong one', async () => {
      const basic = await grant({}, { authorization: `Basic ${Buffer.from(`account:${fake.agentToken}`).toString('base64')}` });
      expect(basic.status).toBe(401);
      expect(basic.body).toEqual({ error: 'unauthorized', error_description: expect.stringContaining('Basic') });
      expect((await grant({}, {})).status).toBe(401);
      expect((await grant({}, { authorization: `Bearer ${fakeToken('dal')}` })).status).toBe(401);
      fake.revokeAgentToken();
      expect((await grant()).status).toBe(401);
    });

    it('checks client_id, response_type, grant_type and organization_id', async () => {
      const noClient = await grant({ client_id: undefined });
      expect(noClient.status).toBe(400);
      expect(noClient.body.error).toBe('unauthorized_client');
      expect((await grant({ client_id: 'someone-else' })).body.error).toBe('unauthorized_client');
      expect((await grant({ response_type: 'code' })).body.error).toBe('unsupported_response_type');
      expect((await grant({ grant_type: 'cookie' })).body.error).toBe('unsupported_grant_type');
      const otherOrg = await grant({ organization_id: 'another-org' });
      expect(otherOrg.status).toBe(400);
      expect(otherOrg.body.error).toBe('invalid_request');
      expect(fake.customers.size).toBe(0);
    });

    it('refuses an agent token without the customers:own scope', async () => {
      const narrow = await startFakeLivechat({ agentScopes: ['chats--all:rw'] });
      try {
        const res = await fetch(`${narrow.baseUrl}/v2/customer/token`, {
          method: 'POST',
          headers: { authorization: `Bearer ${narrow.agentToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'agent_token', client_id: narrow.clientId, response_type: 'token' }),
        });
        expect(res.status).toBe(403);
        expect(await res.json()).toMatchObject({ error: 'invalid_scope' });
      } finally {
        await narrow.close();
      }
    });
  });

  describe('token introspection (GET /v2/info)', () => {
    it('names the client, organization and scopes of the agent token', async () => {
      const res = await call('GET', '/v2/info', { headers: { authorization: `Bearer ${fake.agentToken}` } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ client_id: fake.clientId, organization_id: fake.organizationId, account_id: fake.accountId, token_type: 'Bearer' });
      expect(res.body.scope.split(',')).toContain('customers:own');
    });

    it('answers 401 for an unknown token', async () => {
      const res = await call('GET', '/v2/info', { headers: { authorization: 'Bearer dal:nope-nope-nope' } });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('unauthorized');
    });
  });

  describe('Customer Chat API authentication', () => {
    it('needs ?organization_id= on every call (validation), and the right one (authorization)', async () => {
      const { token } = await customerToken();
      const missing = await action('get_customer', token, {}, { query: '' });
      expect(missing.status).toBe(400);
      expect(missing.body).toEqual({ error: { type: 'validation', message: expect.stringContaining('organization_id') } });
      const other = await action('get_customer', token, {}, { query: '?organization_id=someone-else' });
      expect(other.status).toBe(403);
      expect(other.body.error.type).toBe('authorization');
    });

    it('needs a customer token: none, an agent token or an unknown one are authentication errors', async () => {
      for (const token of [undefined, fake.agentToken, fakeToken('dal')]) {
        const res = await action('get_customer', token);
        expect(res.status).toBe(401);
        expect(res.body.error.type).toBe('authentication');
      }
    });

    it('expires customer tokens after expires_in', async () => {
      const { token } = await customerToken();
      expect((await action('get_customer', token)).status).toBe(200);
      fake.advanceTime(28800 * 1000);
      const expired = await action('get_customer', token);
      expect(expired.status).toBe(401);
      expect(expired.body.error).toEqual({ type: 'authentication', message: 'Access token expired' });
    });

    it('expireCustomerTokens() ends every token issued so far', async () => {
      const { token, entityId } = await customerToken();
      fake.expireCustomerTokens();
      expect((await action('get_customer', token)).status).toBe(401);
      const renewed = await grant({ entity_id: entityId });
      expect((await action('get_customer', renewed.body.access_token)).status).toBe(200);
    });

    it('answers misdirected_request with the region when the token belongs to another data centre than X-Region', async () => {
      const fra = await startFakeLivechat({ region: 'fra' });
      try {
        const res = await fetch(`${fra.baseUrl}/v2/customer/token`, {
          method: 'POST',
          headers: { authorization: `Bearer ${fra.agentToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ grant_type: 'agent_token', client_id: fra.clientId, response_type: 'token' }),
        });
        const { access_token: token } = (await res.json()) as { access_token: string };
        expect(token).toMatch(/^fra:/);
        const url = `${fra.baseUrl}/v3.6/customer/action/get_customer?organization_id=${fra.organizationId}`;
        const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
        const wrong = await fetch(url, { method: 'POST', headers, body: '{}' });
        expect(wrong.status).toBe(421);
        expect(await wrong.json()).toEqual({ error: { type: 'misdirected_request', message: 'Wrong region', data: { region: 'fra' } } });
        const right = await fetch(url, { method: 'POST', headers: { ...headers, 'x-region': 'fra' }, body: '{}' });
        expect(right.status).toBe(200);
      } finally {
        await fra.close();
      }
    });

    it('checks Content-Type, JSON, the action and the API version', async () => {
      const { token } = await customerToken();
      const text = await action('get_customer', token, {}, { headers: { 'content-type': 'text/plain' } });
      expect(text.status).toBe(400);
      expect(text.body.error.type).toBe('validation');
      const badJson = await call('POST', `/v3.6/customer/action/get_customer?organization_id=${fake.organizationId}`, {
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{nope',
      });
      expect(badJson.body.error).toEqual({ type: 'validation', message: 'Invalid JSON payload' });
      expect((await action('no_such_action', token)).body.error.type).toBe('validation');
      const old = await action('get_customer', token, {}, { version: 'v3.2' });
      expect(old.body.error.type).toBe('unsupported_version');
      expect((await action('get_customer', token, {}, { version: 'v3.5' })).status).toBe(200);
    });
  });

  describe('chats', () => {
    it('starts a chat with initial events authored by the customer and answers chat_id, thread_id, event_ids', async () => {
      const { token, entityId } = await customerToken();
      const res = await action('start_chat', token, {
        chat: { thread: { events: [{ type: 'message', text: 'History', visibility: 'all', custom_id: 'baton:history:1' }, { type: 'message', text: 'Question?' }] } },
        continuous: true,
      });
      expect(res.status).toBe(200);
      const { chat_id, thread_id, event_ids } = res.body;
      expect(chat_id).toMatch(/^[A-Z0-9]{10}$/);
      expect(event_ids).toEqual([`${thread_id}_1`, `${thread_id}_2`]);
      const chat = fake.chat(chat_id);
      expect(chat.continuous).toBe(true);
      expect(chat.threads[0]!.events.map((e) => [e.text, e.author_id, e.custom_id])).toEqual([
        ['History', entityId, 'baton:history:1'],
        ['Question?', entityId, undefined],
      ]);
      const started = await action('start_chat', token, {});
      expect(started.body.event_ids).toBeUndefined();
    });

    it('validates events and names the field', async () => {
      const { token } = await customerToken();
      const res = await action('start_chat', token, { chat: { thread: { events: [{ type: 'message' }] } } });
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ type: 'validation', message: 'chat.thread.events[0].text is required' });
    });

    it('refuses a non-continuous chat while groups are offline (groups_offline); continuous and inactive chats still start', async () => {
      const { token } = await customerToken();
      fake.setGroupsOnline(false);
      const refused = await action('start_chat', token, {});
      expect(refused.status).toBe(400);
      expect(refused.body.error.type).toBe('groups_offline');
      expect((await action('start_chat', token, { continuous: true })).status).toBe(200);
      expect((await action('start_chat', token, { active: false })).status).toBe(200);
      expect((await action('list_group_statuses', token, { all: true })).body).toEqual({ groups_status: { '0': 'offline' } });
    });

    it('runs the active/inactive state machine: send_event, deactivate_chat, chat_inactive, attach_to_last_thread', async () => {
      const { token } = await customerToken();
      const { chat_id } = (await action('start_chat', token, { continuous: true })).body;
      const sent = await action('send_event', token, { chat_id, event: { type: 'message', text: 'hello', custom_id: 'baton:msg:m1' } });
      expect(sent.status).toBe(200);
      expect(sent.body.event_id).toMatch(new RegExp(`^${fake.chat(chat_id).threads[0]!.id}_\\d+$`));

      expect(await action('deactivate_chat', token, { id: chat_id })).toMatchObject({ status: 200, body: {} });
      const twice = await action('deactivate_chat', token, { id: chat_id });
      expect(twice.status).toBe(409);
      expect(twice.body.error.type).toBe('chat_inactive');

      const inactive = await action('send_event', token, { chat_id, event: { type: 'message', text: 'still there?' } });
      expect(inactive.status).toBe(409);
      expect(inactive.body.error).toEqual({ type: 'chat_inactive', message: 'Chat is inactive' });
      const attached = await action('send_event', token, { chat_id, event: { type: 'message', text: 'still there?' }, attach_to_last_thread: true });
      expect(attached.status).toBe(200);
      expect(fake.chat(chat_id).threads[0]!.events.map((e) => e.type)).toEqual(['message', 'system_message', 'message']);
    });

    it('hides other customers’ chats (not_found) and answers get_chat and list_chats', async () => {
      const alice = await customerToken();
      const bob = await customerToken();
      const { chat_id, thread_id } = (await action('start_chat', alice.token, { chat: { thread: { events: [{ type: 'message', text: 'hi' }] } }, continuous: true })).body;
      const foreign = await action('send_event', bob.token, { chat_id, event: { type: 'message', text: 'x' } });
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.type).toBe('not_found');

      const chat = await action('get_chat', alice.token, { chat_id });
      expect(chat.body).toMatchObject({ id: chat_id, thread: { id: thread_id, active: true, events: [{ text: 'hi', author_id: alice.entityId }] } });
      const list = await action('list_chats', alice.token, {});
      expect(list.body).toMatchObject({ total_chats: 1, chats_summary: [{ id: chat_id, last_thread_id: thread_id, active: true }] });
      expect((await action('list_chats', bob.token, {})).body).toEqual({ chats_summary: [], total_chats: 0 });
    });

    it('uses the configured status per error type', async () => {
      const custom = await startFakeLivechat({ statusByType: { chat_inactive: 400 } });
      try {
        expect(custom.statusByType.chat_inactive).toBe(400);
        const token = await (
          await fetch(`${custom.baseUrl}/v2/customer/token`, {
            method: 'POST',
            headers: { authorization: `Bearer ${custom.agentToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ grant_type: 'agent_token', client_id: custom.clientId, response_type: 'token' }),
          })
        ).json();
        const post = (name: string, body: unknown) =>
          fetch(`${custom.baseUrl}/v3.6/customer/action/${name}?organization_id=${custom.organizationId}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${(token as { access_token: string }).access_token}`, 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
        const { chat_id } = (await (await post('start_chat', { continuous: true })).json()) as { chat_id: string };
        await post('deactivate_chat', { id: chat_id });
        const res = await post('deactivate_chat', { id: chat_id });
        expect(res.status).toBe(400);
        expect(((await res.json()) as any).error.type).toBe('chat_inactive');
      } finally {
        await custom.close();
      }
    });
  });

  describe('customers', () => {
    it('needs at least one field and a valid email', async () => {
      const { token } = await customerToken();
      expect((await action('update_customer', token, {})).body.error.type).toBe('validation');
      const bad = await action('update_customer', token, { email: 'not-an-email' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^email/);
    });

    it('applies updates at once without an active chat, and only when the chat ends otherwise', async () => {
      const { token, entityId } = await customerToken();
      await action('update_customer', token, { name: 'Anna', email: 'anna@example.com', session_fields: [{ baton_conversation_id: 'c1' }] });
      expect((await action('get_customer', token)).body).toEqual({
        id: entityId,
        type: 'customer',
        name: 'Anna',
        email: 'anna@example.com',
        session_fields: [{ baton_conversation_id: 'c1' }],
      });
      const { chat_id } = (await action('start_chat', token, { continuous: true })).body;
      await action('update_customer', token, { name: 'Anna B.' });
      expect((await action('get_customer', token)).body.name).toBe('Anna');
      await action('deactivate_chat', token, { id: chat_id });
      expect((await action('get_customer', token)).body.name).toBe('Anna B.');
    });
  });

  describe('fault injection and recording', () => {
    it('records method, path, route, query, headers, raw body and status of every request', async () => {
      const { token } = await customerToken();
      await action('get_customer', token, { a: 'é' });
      const recorded = fake.requestsTo('get_customer')[0]!;
      expect(recorded).toMatchObject({ method: 'POST', path: '/v3.6/customer/action/get_customer', route: 'get_customer', query: { organization_id: fake.organizationId }, rawBody: '{"a":"é"}', status: 200 });
      expect(recorded.headers['authorization']).toBe(`Bearer ${token}`);
      expect(fake.requestsTo('/v2/customer/token')).toHaveLength(1);
    });

    it('fails the next requests of a route with the error envelope and the given headers', async () => {
      const { token } = await customerToken();
      fake.failNext('get_customer', 429, { times: 2, headers: { 'retry-after': '3' } });
      const first = await action('get_customer', token);
      expect(first.status).toBe(429);
      expect(first.body.error.type).toBe('too_many_requests');
      expect(first.headers.get('retry-after')).toBe('3');
      expect((await action('get_customer', token)).status).toBe(429);
      expect((await action('get_customer', token)).status).toBe(200);

      fake.failNext('get_customer', 503);
      expect((await action('get_customer', token)).body.error.type).toBe('service_unavailable');
      fake.failNext('get_customer', 500, { type: 'internal', message: 'boom' });
      expect((await action('get_customer', token)).body).toEqual({ error: { type: 'internal', message: 'boom' } });
      fake.failNext('/v2/customer/token', 503);
      const tokenFailure = await grant();
      expect(tokenFailure.status).toBe(503);
      expect(tokenFailure.body.error).toBe('server_error');
    });

    it('drops connections and delays answers on demand', async () => {
      const { token } = await customerToken();
      fake.dropNext('get_customer');
      await expect(action('get_customer', token)).rejects.toThrow();
      expect(fake.requestsTo('get_customer')[0]!.status).toBe(0);
      fake.delayNext('get_customer', 150);
      const started = Date.now();
      expect((await action('get_customer', token)).status).toBe(200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    });
  });

  describe('webhooks', () => {
    let receiver: Awaited<ReturnType<typeof startReceiver>>;
    beforeAll(async () => {
      receiver = await startReceiver();
    });
    afterEach(() => {
      receiver.received.length = 0;
      receiver.answers.length = 0;
    });
    afterAll(() => receiver.close());

    const startChat = async () => {
      const customer = await customerToken();
      const { chat_id, thread_id } = (await action('start_chat', customer.token, { continuous: true })).body;
      return { ...customer, chatId: chat_id as string, threadId: thread_id as string };
    };

    it('posts incoming_event for an agent message with the registered secret_key and organization_id', async () => {
      const webhookId = fake.registerWebhook({ action: 'incoming_event', url: receiver.url, secretKey: 'registered-secret', filters: { author_type: 'agent' } });
      const { chatId, threadId } = await startChat();
      const event = await fake.agentSends(chatId, 'Hello, this is Anna');
      expect(receiver.received).toHaveLength(1);
      const body = JSON.parse(receiver.received[0]!.body);
      expect(body).toEqual({
        webhook_id: webhookId,
        secret_key: 'registered-secret',
        action: 'incoming_event',
        organization_id: fake.organizationId,
        payload: { chat_id: chatId, thread_id: threadId, event: { id: event.id, type: 'message', text: 'Hello, this is Anna', author_id: fake.agentId, created_at: expect.stringMatching(/^\d{4}-.*\d{6}Z$/), visibility: 'all' } },
      });
      expect(receiver.received[0]!.headers['content-type']).toBe('application/json');
      expect(fake.deliveries).toEqual([expect.objectContaining({ webhookId, action: 'incoming_event', attempt: 1, status: 200, body: receiver.received[0]!.body })]);
    });

    it('honours filters.author_type: the customer’s own messages reach only unfiltered webhooks', async () => {
      fake.registerWebhook({ action: 'incoming_event', url: `${receiver.url}?agent`, secretKey: 's', filters: { author_type: 'agent' } });
      fake.registerWebhook({ action: 'incoming_event', url: `${receiver.url}?all`, secretKey: 's' });
      const { token, chatId } = await startChat();
      await action('send_event', token, { chat_id: chatId, event: { type: 'message', text: 'from the customer', custom_id: 'baton:msg:1' } });
      await fake.agentSends(chatId, 'from the agent');
      await fake.idle();
      const byUrl = fake.deliveries.map((d) => [d.url.split('?')[1], JSON.parse(d.body).payload.event.text]);
      expect(byUrl).toEqual(
        expect.arrayContaining([
          ['all', 'from the customer'],
          ['agent', 'from the agent'],
          ['all', 'from the agent'],
        ]),
      );
      expect(byUrl).toHaveLength(3);
      const echo = fake.deliveries.find((d) => JSON.parse(d.body).payload.event.text === 'from the customer')!;
      expect(JSON.parse(echo.body).payload.event.custom_id).toBe('baton:msg:1');
    });

    it('on deactivation sends a system incoming_event and chat_deactivated with the closing user', async () => {
      fake.registerWebhook({ action: 'incoming_event', url: receiver.url, secretKey: 's' });
      fake.registerWebhook({ action: 'chat_deactivated', url: receiver.url, secretKey: 's' });
      const { chatId, threadId } = await startChat();
      await fake.deactivateAsAgent(chatId);
      const actions = receiver.received.map((r) => JSON.parse(r.body));
      expect(actions.map((b) => b.action)).toEqual(['incoming_event', 'chat_deactivated']);
      expect(actions[0].payload.event).toMatchObject({ type: 'system_message', system_message_type: 'manual_archived_agent' });
      expect(actions[0].payload.event.author_id).toBeUndefined();
      expect(actions[1].payload).toEqual({ chat_id: chatId, thread_id: threadId, user_id: fake.agentId });

      receiver.received.length = 0;
      const second = await startChat();
      await action('deactivate_chat', second.token, { id: second.chatId });
      await fake.idle();
      expect(JSON.parse(receiver.received.at(-1)!.body).payload).toEqual({ chat_id: second.chatId, thread_id: second.threadId, user_id: second.entityId });

      const third = await startChat();
      await fake.deactivateAsAgent(third.chatId, { agentId: null });
      expect(JSON.parse(receiver.received.at(-1)!.body).payload.user_id).toBeUndefined();
    });

    it('retries a delivery that did not get 200, up to 3 more times, with the same bytes', async () => {
      fake.registerWebhook({ action: 'incoming_event', url: receiver.url, secretKey: 's' });
      const { chatId } = await startChat();
      receiver.answers.push(500, 503);
      await fake.agentSends(chatId, 'retry me');
      expect(fake.deliveries.map((d) => [d.attempt, d.status])).toEqual([
        [1, 500],
        [2, 503],
        [3, 200],
      ]);
      expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);

      fake.deliveries.length = 0;
      receiver.answers.push(500, 500, 500, 500, 500);
      await fake.agentSends(chatId, 'give up');
      expect(fake.deliveries.map((d) => d.status)).toEqual([500, 500, 500, 500]);
    });

    it('counts an unreachable receiver as a failed delivery', async () => {
      const tcp = createTcpServer();
      await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
      const { port } = tcp.address() as AddressInfo;
      await new Promise<void>((resolve) => tcp.close(() => resolve()));
      fake.registerWebhook({ action: 'incoming_event', url: `http://127.0.0.1:${port}/hooks`, secretKey: 's' });
      const { chatId } = await startChat();
      await fake.agentSends(chatId, 'nobody home');
      expect(fake.deliveries).toHaveLength(4);
      expect(fake.deliveries.every((d) => d.status === undefined && d.error === 'fetch failed')).toBe(true);
    });

    it('forges on demand: a wrong secret, no secret, another organization, rewritten bytes, re-deliveries', async () => {
      fake.registerWebhook({ action: 'incoming_event', url: receiver.url, secretKey: 'right' });
      const { chatId } = await startChat();
      await fake.agentSends(chatId, 'a', { webhook: { secretKey: 'wrong' } });
      await fake.agentSends(chatId, 'b', { webhook: { omitSecretKey: true } });
      await fake.agentSends(chatId, 'c', { webhook: { organizationId: 'another-org' } });
      await fake.agentSends(chatId, 'd', { webhook: { rewriteBody: (json) => json.replace('{', '{  ').replace('"d"', '"d \\u00e9"') } });
      await fake.agentSends(chatId, 'e', { webhook: { redeliveries: 2 } });
      const bodies = receiver.received.map((r) => r.body);
      expect(JSON.parse(bodies[0]!).secret_key).toBe('wrong');
      expect('secret_key' in JSON.parse(bodies[1]!)).toBe(false);
      expect(JSON.parse(bodies[2]!).organization_id).toBe('another-org');
      expect(bodies[3]!.startsWith('{  "webhook_id"')).toBe(true);
      expect(JSON.parse(bodies[3]!).payload.event.text).toBe('d é');
      expect(bodies.slice(4)).toHaveLength(3);
      expect(new Set(bodies.slice(4)).size).toBe(1);
    });

    it('delivers through a transport instead of the network, and builds exact bodies for tests that post them', async () => {
      const seen: { url: string; body: string }[] = [];
      fake.registerWebhook({
        action: 'chat_deactivated',
        url: 'http://baton.test/hooks/livechat/bot-1',
        secretKey: 'k',
        transport: async (url, init) => {
          seen.push({ url, body: init.body });
          return { status: 200 };
        },
      });
      const delivered = await fake.emit('chat_deactivated', { chat_id: 'C1', thread_id: 'T1' });
      expect(delivered).toHaveLength(1);
      expect(seen).toEqual([{ url: 'http://baton.test/hooks/livechat/bot-1', body: delivered[0]!.body }]);
      const body = fake.webhookBody('incoming_event', { chat_id: 'C1' }, { secretKey: 'k', webhookId: 'w1' });
      expect(body).toBe(`{"webhook_id":"w1","secret_key":"k","action":"incoming_event","organization_id":"${fake.organizationId}","payload":{"chat_id":"C1"}}`);
      expect(() => fake.emit('incoming_chat', {})).toThrow(/no webhook registered/);
    });

    it('adds additional_data when the webhook asks for it', async () => {
      fake.registerWebhook({ action: 'incoming_event', url: receiver.url, secretKey: 's', additionalData: ['chat_properties', 'chat_presence_user_ids'] });
      const { chatId, entityId } = await startChat();
      await fake.agentSends(chatId, 'hi');
      expect(JSON.parse(receiver.received[0]!.body).additional_data).toEqual({ chat_properties: {}, chat_presence_user_ids: [entityId, fake.agentId] });
    });
  });
});
