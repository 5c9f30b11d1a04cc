// The LiveChat client against the LiveChat fake over real HTTP on 127.0.0.1.
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeLivechat, type FakeLivechat } from '../../../../test/fakes/livechat/fake-livechat.js';
import { DeskError, type EstablishRequest } from '../sdk/index.js';
import type { LivechatConfig } from './livechat.config.js';
import { createLivechatClient, type LivechatClientOptions } from './livechat.client.js';
import { LIVECHAT_ACCOUNTS_BASE, LIVECHAT_API_BASE, livechatEndpoints } from './livechat.protocol.js';

let fake: FakeLivechat;
let config: LivechatConfig;
let sequence = 0;

beforeAll(async () => {
  fake = await startFakeLivechat({ webhookRetryDelayMs: 1 });
  config = { organizationId: fake.organizationId, accessToken: fake.agentToken, secretKey: 'webhook-secret', apiBaseUrl: fake.baseUrl };
});
afterEach(() => fake.reset());
afterAll(() => fake.close());

const client = (options: LivechatClientOptions = {}) => createLivechatClient({ timeoutMs: 2000, ...options });

function handoff(overrides: Partial<EstablishRequest> = {}): EstablishRequest {
  sequence += 1;
  return {
    conversationId: `conv-${sequence}`,
    botId: 'bot-1',
    email: 'anna@example.com',
    user: { name: 'Anna', externalId: 'crm-42' },
    history: [
      { role: 'user', text: 'Hi' },
      { role: 'bot', text: 'Hello! How can I help?' },
      { role: 'user', text: 'Where is my order A-100?' },
    ],
    idempotencyKey: `handoff-${sequence}`,
    ...overrides,
  };
}

const failureOf = async (promise: Promise<unknown>): Promise<DeskError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeskError);
  return error as DeskError;
};

const json = (raw: string): any => JSON.parse(raw);

/** A port on 127.0.0.1 that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** fetch that lets LiveChat do the work but loses its answer, as a connection reset would. */
function losingAnswers(path: string, times = 1): typeof fetch {
  let left = times;
  return async (input, init) => {
    const res = await fetch(input, init);
    if (left > 0 && String(input).includes(path)) {
      left -= 1;
      await res.arrayBuffer();
      throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    }
    return res;
  };
}

describe('endpoints', () => {
  test('uses accounts.livechat.com and api.livechatinc.com by default; apiBaseUrl replaces both', () => {
    expect(livechatEndpoints({})).toEqual({ api: LIVECHAT_API_BASE, accounts: LIVECHAT_ACCOUNTS_BASE });
    expect(livechatEndpoints({ apiBaseUrl: 'http://127.0.0.1:9999/' })).toEqual({ api: 'http://127.0.0.1:9999', accounts: 'http://127.0.0.1:9999' });
  });
});

describe('establish', () => {
  test('introspects the agent token for client_id, gets a customer token, sets email and name, starts a continuous chat with the history', async () => {
    const request = handoff();
    const before = Date.now();
    const session = await client().establish(config, request);

    expect(fake.requests.map((r) => r.route)).toEqual(['/v2/info', '/v2/customer/token', 'update_customer', 'start_chat']);
    const [info, token, update, start] = fake.requests;
    expect(info!.method).toBe('GET');
    expect(info!.headers['authorization']).toBe(`Bearer ${fake.agentToken}`);
    expect(token!.headers['authorization']).toBe(`Bearer ${fake.agentToken}`);
    expect(json(token!.rawBody)).toEqual({ grant_type: 'agent_token', client_id: fake.clientId, response_type: 'token', organization_id: fake.organizationId });

    const customerToken = fake.tokens[0]!.token;
    for (const call of [update!, start!]) {
      expect(call.query).toEqual({ organization_id: fake.organizationId });
      expect(call.headers['authorization']).toBe(`Bearer ${customerToken}`);
      expect(call.headers['x-region']).toBe('dal');
      expect(call.path).toMatch(/^\/v3\.6\/customer\/action\//);
    }
    expect(json(update!.rawBody)).toEqual({
      name: 'Anna',
      email: 'anna@example.com',
      session_fields: [{ baton_conversation_id: request.conversationId }, { baton_bot_id: 'bot-1' }, { baton_external_id: 'crm-42' }],
    });
    const startBody = json(start!.rawBody);
    expect(startBody).toMatchObject({ active: true, continuous: true });
    expect(startBody.chat.thread.events).toEqual([
      {
        type: 'message',
        visibility: 'all',
        custom_id: `baton:history:${request.idempotencyKey}`,
        text: 'This conversation was handed over by the Baton bot.\nName: Anna\nEmail: anna@example.com\n\nEarlier in the conversation:\nCustomer: Hi\nBot: Hello! How can I help?',
      },
      { type: 'message', visibility: 'all', custom_id: `baton:question:${request.idempotencyKey}`, text: 'Where is my order A-100?' },
    ]);

    const customer = fake.customers.get(fake.tokens[0]!.entityId)!;
    expect(customer).toMatchObject({ name: 'Anna', email: 'anna@example.com' });
    const chat = fake.chat(session.deskConversationId);
    expect(chat.continuous).toBe(true);
    expect(chat.threads[0]!.events.map((e) => e.text).at(-1)).toBe('Where is my order A-100?');
    expect(session.data).toEqual({
      customerId: customer.id,
      clientId: fake.clientId,
      threadId: chat.threads[0]!.id,
      customerToken,
      customerTokenExpiresAt: expect.any(Number),
    });
    expect(session.data['customerTokenExpiresAt'] as number).toBeGreaterThanOrEqual(before + 28800 * 1000);
  });

  test('sends the whole history as one event when it does not end with a user question, and leaves out what is unknown', async () => {
    const session = await client().establish(config, handoff({ email: undefined, user: {}, history: [{ role: 'bot', text: 'Connecting you to a person.' }] }));
    const start = json(fake.requestsTo('start_chat')[0]!.rawBody);
    expect(start.chat.thread.events.map((e: { text: string }) => e.text)).toEqual([
      'This conversation was handed over by the Baton bot.\n\nEarlier in the conversation:\nBot: Connecting you to a person.',
    ]);
    expect(json(fake.requestsTo('update_customer')[0]!.rawBody)).toEqual({ session_fields: [{ baton_conversation_id: expect.any(String) }, { baton_bot_id: 'bot-1' }] });
    expect(fake.chat(session.deskConversationId).threads[0]!.events).toHaveLength(1);
  });

  test('an email LiveChat refuses does not stop the handoff: the profile goes without it, the history keeps it', async () => {
    const session = await client().establish(config, handoff({ email: 'anna@@example' }));
    expect(fake.requestsTo('update_customer').map((r) => r.status)).toEqual([400, 200]);
    expect(json(fake.requestsTo('update_customer')[1]!.rawBody)).not.toHaveProperty('email');
    expect(fake.customers.get(String(session.data['customerId']))!.email).toBeUndefined();
    expect(fake.chat(session.deskConversationId).threads[0]!.events[0]!.text).toContain('Email: anna@@example');
  });

  test('works while every group is offline, because the chat is continuous', async () => {
    fake.setGroupsOnline(false);
    const session = await client().establish(config, handoff());
    expect(fake.chat(session.deskConversationId).threads[0]!.active).toBe(true);
  });

  test('asks once per token for the client id', async () => {
    const desk = client();
    await desk.establish(config, handoff());
    await desk.establish(config, handoff());
    expect(fake.requestsTo('/v2/info')).toHaveLength(1);
    expect(fake.chats.size).toBe(2);
    expect(fake.customers.size).toBe(2);
  });

  test('a retry whose start_chat answer was lost finds the chat instead of opening a second one', async () => {
    const desk = client({ fetch: losingAnswers('/start_chat') });
    const request = handoff();
    const lost = await failureOf(desk.establish(config, request));
    expect(lost).toMatchObject({ code: 'network_error', retryable: true });
    expect(lost.message).toContain('ECONNRESET');
    expect(fake.chats.size).toBe(1);

    const session = await desk.establish(config, request);
    expect(fake.chats.size).toBe(1);
    expect(session.deskConversationId).toBe([...fake.chats.keys()][0]);
    expect(fake.requestsTo('/v2/customer/token')).toHaveLength(1);
    expect(fake.requestsTo('start_chat')).toHaveLength(1);
    expect(fake.requestsTo('list_chats')).toHaveLength(1);
  });

  test('a retry after a 5xx start_chat reuses the customer and starts the chat then', async () => {
    const desk = client();
    const request = handoff();
    fake.failNext('start_chat', 503);
    expect(await failureOf(desk.establish(config, request))).toMatchObject({ code: 'service_unavailable', retryable: true, status: 503 });
    const session = await desk.establish(config, request);
    expect(fake.chats.size).toBe(1);
    expect(fake.customers.size).toBe(1);
    expect(fake.chat(session.deskConversationId).customerId).toBe(session.data['customerId']);
    expect(fake.requestsTo('update_customer')).toHaveLength(1);
  });

  test('the same idempotency key after success answers the same session without calling LiveChat again', async () => {
    const desk = client();
    const request = handoff();
    const first = await desk.establish(config, request);
    const count = fake.requests.length;
    const second = await desk.establish(config, request);
    expect(second).toEqual(first);
    expect(fake.requests).toHaveLength(count);
  });

  test('sends X-Region from the token prefix, so a token of the fra data centre is not misdirected', async () => {
    const fra = await startFakeLivechat({ region: 'fra' });
    try {
      const fraConfig = { organizationId: fra.organizationId, accessToken: fra.agentToken, secretKey: 's', apiBaseUrl: fra.baseUrl };
      const session = await client().establish(fraConfig, handoff());
      expect(fra.requestsTo('start_chat')[0]!.headers['x-region']).toBe('fra');
      expect(session.data['customerToken']).toMatch(/^fra:/);
    } finally {
      await fra.close();
    }
  });

  test('refuses an access token of another organization', async () => {
    const error = await failureOf(client().establish({ ...config, organizationId: 'another-organization' }, handoff()));
    expect(error).toMatchObject({ code: 'organization_mismatch', retryable: false });
    expect(fake.customers.size).toBe(0);
  });
});

describe('relay', () => {
  test('sends the message as the customer with a custom_id made of the message id', async () => {
    const desk = client();
    const session = await desk.establish(config, handoff());
    await desk.relay(config, session, { messageId: 'msg-1', text: 'Any news? ✨' });
    const send = fake.requestsTo('send_event')[0]!;
    expect(json(send.rawBody)).toEqual({ chat_id: session.deskConversationId, event: { type: 'message', text: 'Any news? ✨', visibility: 'all', custom_id: 'baton:msg:msg-1' } });
    expect(send.headers['authorization']).toBe(`Bearer ${session.data['customerToken']}`);
    const event = fake.chat(session.deskConversationId).threads[0]!.events.at(-1)!;
    expect(event).toMatchObject({ text: 'Any news? ✨', author_id: session.data['customerId'] });
  });

  test('renews an expired customer token before sending and writes it back into the session', async () => {
    let clock = Date.now();
    const desk = client({ now: () => clock });
    const session = await desk.establish(config, handoff());
    const oldToken = session.data['customerToken'];
    clock += 28800 * 1000;
    fake.advanceTime(28800 * 1000);
    await desk.relay(config, session, { messageId: 'm-late', text: 'Still there?' });

    expect(fake.requests.slice(-2).map((r) => r.route)).toEqual(['/v2/customer/token', 'send_event']);
    const renewal = json(fake.requestsTo('/v2/customer/token').at(-1)!.rawBody);
    expect(renewal).toEqual({ grant_type: 'agent_token', client_id: fake.clientId, response_type: 'token', organization_id: fake.organizationId, entity_id: session.data['customerId'] });
    expect(session.data['customerToken']).not.toBe(oldToken);
    expect(session.data['customerTokenExpiresAt']).toBe(clock + 28800 * 1000);
    expect(fake.customers.size).toBe(1);
  });

  test('renews and retries once when LiveChat says the token expired although it should still be valid', async () => {
    const desk = client();
    const session = await desk.establish(config, handoff());
    fake.expireCustomerTokens();
    await desk.relay(config, session, { messageId: 'm-2', text: 'hello again' });
    expect(fake.requests.slice(-3).map((r) => [r.route, r.status])).toEqual([
      ['send_event', 401],
      ['/v2/customer/token', 200],
      ['send_event', 200],
    ]);
    expect(fake.chat(session.deskConversationId).threads[0]!.events.at(-1)!.text).toBe('hello again');
  });

  test('a retry after a lost answer does not send the message twice', async () => {
    const desk = client({ fetch: losingAnswers('/send_event') });
    const session = await desk.establish(config, handoff());
    const message = { messageId: 'm-lost', text: 'only once please' };
    expect(await failureOf(desk.relay(config, session, message))).toMatchObject({ code: 'network_error', retryable: true });
    await desk.relay(config, session, message);
    const texts = fake.chat(session.deskConversationId).threads[0]!.events.map((e) => e.text);
    expect(texts.filter((t) => t === 'only once please')).toHaveLength(1);
    expect(fake.requestsTo('get_chat')).toHaveLength(1);
    expect(fake.requestsTo('send_event')).toHaveLength(1);
  });

  test('a retry after a failure LiveChat did not act on sends the message', async () => {
    const desk = client();
    const session = await desk.establish(config, handoff());
    fake.failNext('send_event', 500);
    const message = { messageId: 'm-500', text: 'second time lucky' };
    expect(await failureOf(desk.relay(config, session, message))).toMatchObject({ code: 'internal', retryable: true, status: 500 });
    await desk.relay(config, session, message);
    expect(fake.chat(session.deskConversationId).threads[0]!.events.filter((e) => e.text === 'second time lucky')).toHaveLength(1);
  });

  test('a chat an agent closed answers chat_inactive, not retryable', async () => {
    const desk = client();
    const session = await desk.establish(config, handoff());
    await fake.deactivateAsAgent(session.deskConversationId);
    const error = await failureOf(desk.relay(config, session, { messageId: 'm-x', text: 'hello?' }));
    expect(error).toMatchObject({ code: 'chat_inactive', retryable: false, status: 409 });
  });

  test('a session without the customer identity is refused without calling LiveChat', async () => {
    const error = await failureOf(client().relay(config, { deskConversationId: 'CHAT', data: {} }, { messageId: 'm', text: 't' }));
    expect(error).toMatchObject({ code: 'invalid_session', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('close', () => {
  test('deactivates the chat; closing twice is not an error', async () => {
    const desk = client();
    const session = await desk.establish(config, handoff());
    await desk.close(config, session, 'USER_CLOSED');
    expect(json(fake.requestsTo('deactivate_chat')[0]!.rawBody)).toEqual({ id: session.deskConversationId });
    expect(fake.chat(session.deskConversationId).threads[0]!.active).toBe(false);
    await desk.close(config, session, 'TIMEOUT');
    expect(fake.requestsTo('deactivate_chat').map((r) => r.status)).toEqual([200, 409]);
  });

  test('after an agent closed the chat, closing is quiet too', async () => {
    const desk = client();
    const session = await desk.establish(config, handoff());
    await fake.deactivateAsAgent(session.deskConversationId);
    await expect(desk.close(config, session, 'BOT_RESUMED')).resolves.toBeUndefined();
  });

  test('fails retryably when LiveChat is unavailable', async () => {
    const desk = client();
    const session = await desk.establish(config, handoff());
    fake.failNext('deactivate_chat', 503);
    expect(await failureOf(desk.close(config, session, 'TIMEOUT'))).toMatchObject({ retryable: true, status: 503 });
  });
});

describe('testConnection', () => {
  test('ok for a valid agent token of the organization with customers:own', async () => {
    expect(await client().testConnection(config)).toEqual({ ok: true });
    expect(fake.requests.map((r) => r.route)).toEqual(['/v2/info']);
    expect(fake.customers.size).toBe(0);
  });

  test('explains a rejected token, another organization, a missing scope, an unreachable host', async () => {
    const bad = await client().testConnection({ ...config, accessToken: 'dal:not-a-real-token-at-all' });
    expect(bad).toEqual({ ok: false, message: expect.stringContaining('rejected the access token') });
    expect(JSON.stringify(bad)).not.toContain('not-a-real-token');

    const other = await client().testConnection({ ...config, organizationId: 'someone-else' });
    expect(other).toEqual({ ok: false, message: expect.stringContaining('another LiveChat organization') });

    const narrow = await startFakeLivechat({ agentScopes: ['chats--all:rw'] });
    try {
      const res = await client().testConnection({ organizationId: narrow.organizationId, accessToken: narrow.agentToken, secretKey: 's', apiBaseUrl: narrow.baseUrl });
      expect(res).toEqual({ ok: false, message: expect.stringContaining('customers:own') });
    } finally {
      await narrow.close();
    }

    const down = await client().testConnection({ ...config, apiBaseUrl: `http://127.0.0.1:${await closedPort()}` });
    expect(down).toEqual({ ok: false, message: expect.stringContaining('Could not reach LiveChat') });
  });

  test('does not trust a cached answer: a token revoked since is reported', async () => {
    const desk = client();
    expect(await desk.testConnection(config)).toEqual({ ok: true });
    fake.revokeAgentToken();
    expect((await desk.testConnection(config)).ok).toBe(false);
  });
});

describe('error mapping', () => {
  const established = async (options: LivechatClientOptions = {}) => {
    const desk = client(options);
    const session = await desk.establish(config, handoff());
    return { desk, session };
  };

  test('401 from the accounts service: invalid credentials, not retryable, no token in the message', async () => {
    const error = await failureOf(client().establish({ ...config, accessToken: 'dal:revoked-agent-token-123' }, handoff()));
    expect(error).toMatchObject({ code: 'invalid_credentials', retryable: false, status: 401 });
    expect(error.message).not.toContain('revoked-agent-token-123');
    expect(error.message).not.toContain(fake.agentToken);
  });

  test('401 on the grant once the token is introspected: not retryable', async () => {
    const desk = client();
    await desk.establish(config, handoff());
    fake.revokeAgentToken();
    expect(await failureOf(desk.establish(config, handoff()))).toMatchObject({ code: 'invalid_credentials', retryable: false, status: 401 });
  });

  test('401 that a renewed token does not cure: authentication, not retryable', async () => {
    const { desk, session } = await established();
    fake.failNext('send_event', 401, { times: 2 });
    expect(await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }))).toMatchObject({ code: 'authentication', retryable: false, status: 401 });
    expect(fake.requestsTo('/v2/customer/token')).toHaveLength(2);
  });

  test('404 (a chat LiveChat does not know): not retryable', async () => {
    const { desk, session } = await established();
    const error = await failureOf(desk.relay(config, { ...session, deskConversationId: 'NOSUCHCHAT' }, { messageId: 'm', text: 't' }));
    expect(error).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
    expect(error.message).toContain('send_event');
  });

  test('409 without a LiveChat type still maps to a final conflict', async () => {
    const { desk, session } = await established();
    fake.failNext('send_event', 409, { type: 'chat_inactive' });
    expect(await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }))).toMatchObject({ code: 'chat_inactive', retryable: false, status: 409 });
  });

  test('429 with Retry-After in seconds: retryable after that long', async () => {
    const { desk, session } = await established();
    fake.failNext('send_event', 429, { headers: { 'retry-after': '7' } });
    expect(await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }))).toMatchObject({
      code: 'too_many_requests',
      retryable: true,
      retryAfterMs: 7000,
      status: 429,
    });
  });

  test('429 with Retry-After as a date, and without Retry-After (LiveChat documents none)', async () => {
    const clock = Date.parse('2026-11-20T10:00:00Z');
    const { desk, session } = await established({ now: () => clock });
    fake.failNext('send_event', 429, { headers: { 'retry-after': 'Fri, 20 Nov 2026 10:00:30 GMT' } });
    expect((await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }))).retryAfterMs).toBe(30_000);
    fake.failNext('send_event', 429);
    const plain = await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }));
    expect(plain).toMatchObject({ retryable: true });
    expect(plain.retryAfterMs).toBeUndefined();
  });

  test('retryable LiveChat types stay retryable whatever status carries them', async () => {
    const { desk, session } = await established();
    fake.failNext('send_event', 400, { type: 'too_many_requests' });
    expect(await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }))).toMatchObject({ code: 'too_many_requests', retryable: true, status: 400 });
    fake.failNext('send_event', 400, { type: 'validation' });
    expect(await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }))).toMatchObject({ code: 'validation', retryable: false });
  });

  test('5xx: retryable, also from the accounts service', async () => {
    const { desk, session } = await established();
    for (const status of [500, 502, 503, 504]) {
      fake.failNext('send_event', status);
      expect(await failureOf(desk.relay(config, session, { messageId: `m-${status}`, text: 't' }))).toMatchObject({ retryable: true, status });
    }
    fake.failNext('/v2/customer/token', 503);
    expect(await failureOf(desk.establish(config, handoff()))).toMatchObject({ code: 'server_error', retryable: true, status: 503 });
  });

  test('misdirected_request is final', async () => {
    const { desk, session } = await established();
    // Node's fetch (undici) repeats a request answered 421 once on a fresh connection by itself.
    fake.failNext('send_event', 421, { type: 'misdirected_request', times: 2 });
    const error = await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }));
    expect(error).toMatchObject({ code: 'misdirected_request', retryable: false, status: 421 });
  });

  test('a refused connection, a dropped connection and a timeout are retryable network failures', async () => {
    const refused = await failureOf(client().establish({ ...config, apiBaseUrl: `http://127.0.0.1:${await closedPort()}` }, handoff()));
    expect(refused).toMatchObject({ code: 'network_error', retryable: true });
    expect(refused.message).toContain('ECONNREFUSED');

    const { desk, session } = await established();
    fake.dropNext('send_event');
    expect(await failureOf(desk.relay(config, session, { messageId: 'drop', text: 't' }))).toMatchObject({ code: 'network_error', retryable: true });

    const impatient = client({ timeoutMs: 100 });
    fake.delayNext('send_event', 400);
    const slow = await failureOf(impatient.relay(config, { ...session, data: { ...session.data } }, { messageId: 'slow', text: 't' }));
    expect(slow).toMatchObject({ code: 'timeout', retryable: true });
  });

  test('tokens in LiveChat’s own messages are masked', async () => {
    const { desk, session } = await established();
    const token = String(session.data['customerToken']);
    fake.failNext('send_event', 400, { type: 'validation', message: `token ${token} is not allowed here` });
    const error = await failureOf(desk.relay(config, session, { messageId: 'm', text: 't' }));
    expect(error.message).not.toContain(token);
    expect(error.message).toContain('***');
  });
});
