// The webhook desk client against the fake desk, over real HTTP on 127.0.0.1.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { startFakeWebhookDesk, type FakeWebhookDesk } from '../../../../test/fakes/webhook/fake-webhook.js';
import { DeskError, type EstablishRequest } from '../sdk/index.js';
import { createWebhookDeskClient, webhookDeskClient } from './webhook.client.js';
import type { WebhookDeskConfig } from './webhook.config.js';

const USER = 'baton';
const PASSWORD = 'desk-password-ü';

const request = (overrides: Partial<EstablishRequest> = {}): EstablishRequest => ({
  conversationId: 'conv_1',
  botId: 'bot_1',
  email: 'ana@example.com',
  user: { name: 'Ana', externalId: 'crm-42' },
  history: [
    { role: 'user', text: 'Where is my order?' },
    { role: 'bot', text: 'It left yesterday.' },
    { role: 'agent', text: 'Hi, Bo here (earlier).' },
    { role: 'user', text: 'I want a human, please' },
  ],
  idempotencyKey: 'handoff_1',
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<DeskError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeskError) return error;
    throw error;
  }
  throw new Error('expected a DeskError');
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('webhook desk client', () => {
  let desk: FakeWebhookDesk;
  let config: WebhookDeskConfig;
  const client = createWebhookDeskClient();
  const session = { deskConversationId: 'conv_1', data: { handoffKey: 'handoff_1' } };

  beforeAll(async () => {
    desk = await startFakeWebhookDesk({ username: USER, password: PASSWORD });
    config = { baseUrl: desk.baseUrl, secret: desk.secret, username: USER, password: PASSWORD };
  });
  afterEach(() => desk.reset());
  afterAll(() => desk.close());

  describe('establish', () => {
    test('posts the GPTBots-shaped handoff, signed and with basic auth, and returns our id as the session', async () => {
      const before = Date.now();
      const result = await client.establish(config, request());
      expect(result).toEqual({ deskConversationId: 'conv_1', data: { handoffKey: 'handoff_1' } });

      const [call] = desk.accepted('establish');
      expect(call?.path).toBe('/desk/conversation/establish');
      expect(call?.headers).toMatchObject({
        'content-type': 'application/json',
        'user-agent': 'Baton-Webhook-Desk/1',
        'x-baton-event-id': 'establish:handoff_1',
        authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`, 'utf8').toString('base64')}`,
      });
      const body = call?.json as Record<string, unknown>;
      expect(body).toEqual({
        conversation_id: 'conv_1',
        timestamp: expect.any(Number),
        email: 'ana@example.com',
        bot_id: 'bot_1',
        body: [
          { message_type: 'QUESTION', text: 'Where is my order?' },
          { message_type: 'ANSWER', text: 'It left yesterday.' },
          { message_type: 'ANSWER', text: 'Hi, Bo here (earlier).' },
          { message_type: 'QUESTION', text: 'I want a human, please' },
        ],
        user_info: { user_id: 'crm-42', anonymous_id: 'conv_1', email: 'ana@example.com', phone: null, channel: 'web', name: 'Ana' },
      });
      // Milliseconds in the body, seconds in the header, from the same instant.
      expect(body['timestamp']).toBeGreaterThanOrEqual(before);
      expect(Number(call?.headers['x-baton-timestamp'])).toBe(Math.floor((body['timestamp'] as number) / 1000));
      expect(desk.conversations.get('conv_1')).toMatchObject({ state: 'open', latestQuestion: 'I want a human, please', botId: 'bot_1' });
    });

    test('sends an empty email and user id when they are unknown', async () => {
      await client.establish(config, request({ email: undefined, user: {} }) as EstablishRequest);
      expect(desk.accepted('establish')[0]?.json).toMatchObject({ email: '', user_info: { user_id: '', email: '', name: '', anonymous_id: 'conv_1' } });
    });

    test('is safe to retry: the same idempotency key is the same event, and the desk keeps one handoff', async () => {
      desk.failNext('establish', 503);
      const first = await failure(client.establish(config, request()));
      expect(first).toMatchObject({ retryable: true, status: 503 });
      await client.establish(config, request());
      // A retry whose first answer was lost on the way back.
      await client.establish(config, request());
      expect(desk.requests.map((r) => [r.status, r.headers['x-baton-event-id']])).toEqual([
        [503, 'establish:handoff_1'],
        [200, 'establish:handoff_1'],
        [200, 'establish:handoff_1'],
      ]);
      expect(desk.conversations.get('conv_1')?.handoffs).toBe(1);
      // A later handoff of the same conversation is a new event.
      await client.close(config, session, 'BOT_RESUMED');
      await client.establish(config, request({ idempotencyKey: 'handoff_2' }));
      expect(desk.conversations.get('conv_1')).toMatchObject({ state: 'open', handoffs: 2, establishEventId: 'establish:handoff_2' });
    });

    test('joins the paths to a base URL with a trailing slash', async () => {
      await client.establish({ ...config, baseUrl: `${desk.baseUrl}/` }, request());
      expect(desk.accepted('establish')[0]?.path).toBe('/desk/conversation/establish');
    });

    test('sends no Authorization header when no username or password is set', async () => {
      const open = await startFakeWebhookDesk();
      try {
        await client.establish({ baseUrl: open.baseUrl, secret: open.secret }, request());
        expect(open.accepted('establish')).toHaveLength(1);
        expect(open.requests[0]?.headers['authorization']).toBeUndefined();
      } finally {
        await open.close();
      }
    });
  });

  describe('relay and close', () => {
    test('relays a user message with its id, and a retry of it is deduplicated by the desk', async () => {
      await client.establish(config, request());
      await client.relay(config, session, { messageId: 'msg_9', text: 'Still there? ¿Hola?' });
      await client.relay(config, session, { messageId: 'msg_9', text: 'Still there? ¿Hola?' });
      const chats = desk.accepted('chat');
      expect(chats).toHaveLength(2);
      expect(chats[0]?.json).toEqual({ conversation_id: 'conv_1', timestamp: expect.any(Number), message_id: 'msg_9', body: 'Still there? ¿Hola?' });
      expect(chats[0]?.headers['x-baton-event-id']).toBe('chat:conv_1:msg_9');
      expect(chats[1]?.headers['x-baton-event-id']).toBe('chat:conv_1:msg_9');
      expect(desk.conversations.get('conv_1')?.messages).toEqual([{ messageId: 'msg_9', text: 'Still there? ¿Hola?', timestamp: expect.any(Number) }]);
    });

    test('signs every attempt afresh, so that a quick retry is never taken for a replay', async () => {
      // A frozen clock: both attempts would carry the same timestamps if the client did not step them.
      const frozen = Date.now();
      const frozenDesk = await startFakeWebhookDesk({ now: () => frozen });
      const frozenClient = createWebhookDeskClient({ now: () => frozen });
      const frozenConfig = { baseUrl: frozenDesk.baseUrl, secret: frozenDesk.secret };
      try {
        await frozenClient.establish(frozenConfig, request());
        frozenDesk.failNext('chat', 502);
        await expect(frozenClient.relay(frozenConfig, session, { messageId: 'm1', text: 'hi' })).rejects.toMatchObject({ retryable: true });
        await frozenClient.relay(frozenConfig, session, { messageId: 'm1', text: 'hi' });
        expect(frozenDesk.requests.map((r) => r.status)).toEqual([200, 502, 200]);
        const signatures = frozenDesk.requests.map((r) => r.headers['x-baton-signature']);
        expect(new Set(signatures).size).toBe(3);
      } finally {
        await frozenDesk.close();
      }
    });

    test('closes with the reason; closing twice, or a conversation the desk does not know, is not an error', async () => {
      await client.establish(config, request());
      await client.close(config, session, 'USER_CLOSED');
      await client.close(config, session, 'TIMEOUT');
      await client.close(config, { deskConversationId: 'conv_unknown', data: {} }, 'TIMEOUT');
      desk.failNext('close', 409);
      await client.close(config, session, 'TIMEOUT');
      expect(desk.requests.map((r) => [r.route, r.status])).toEqual([
        ['establish', 200],
        ['close', 200],
        ['close', 200],
        ['close', 404],
        ['close', 409],
      ]);
      expect(desk.requests[1]?.json).toEqual({ conversation_id: 'conv_1', timestamp: expect.any(Number), type: 'USER_CLOSED' });
      expect(desk.requests[1]?.headers['x-baton-event-id']).toBe('close:handoff_1');
      expect(desk.requests[3]?.headers['x-baton-event-id']).toBe('close:conv_unknown');
      expect(desk.conversations.get('conv_1')).toMatchObject({ state: 'closed', closeType: 'USER_CLOSED' });
    });

    test('a close the desk refuses for other reasons is an error', async () => {
      desk.failNext('close', 401);
      await expect(client.close(config, session, 'TIMEOUT')).rejects.toMatchObject({ code: 'unauthorized', retryable: false, status: 401 });
      desk.failNext('close', 500);
      await expect(client.close(config, session, 'TIMEOUT')).rejects.toMatchObject({ code: 'unavailable', retryable: true, status: 500 });
    });

    test('relaying to a conversation the desk does not know, or has closed, is final', async () => {
      expect(await failure(client.relay(config, session, { messageId: 'm1', text: 'hi' }))).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
      await client.establish(config, request());
      await client.close(config, session, 'TIMEOUT');
      expect(await failure(client.relay(config, session, { messageId: 'm2', text: 'hi' }))).toMatchObject({ code: 'conflict', retryable: false, status: 409 });
    });
  });

  describe('errors', () => {
    test.each([
      [401, {}, { code: 'unauthorized', retryable: false, retryAfterMs: undefined }],
      [403, {}, { code: 'forbidden', retryable: false, retryAfterMs: undefined }],
      [404, {}, { code: 'not_found', retryable: false, retryAfterMs: undefined }],
      [409, {}, { code: 'conflict', retryable: false, retryAfterMs: undefined }],
      [422, {}, { code: 'bad_request', retryable: false, retryAfterMs: undefined }],
      [400, { 'retry-after': '5' }, { code: 'bad_request', retryable: false, retryAfterMs: undefined }],
      [408, {}, { code: 'timeout', retryable: true, retryAfterMs: undefined }],
      [429, { 'retry-after': '7' }, { code: 'rate_limited', retryable: true, retryAfterMs: 7000 }],
      [429, { 'retry-after': '0.5' }, { code: 'rate_limited', retryable: true, retryAfterMs: 500 }],
      [500, {}, { code: 'unavailable', retryable: true, retryAfterMs: undefined }],
      [503, { 'retry-after': '30' }, { code: 'unavailable', retryable: true, retryAfterMs: 30_000 }],
      [307, { location: 'http://127.0.0.1:1/elsewhere' }, { code: 'redirected', retryable: false, retryAfterMs: undefined }],
    ] as const)('%i %o → %o', async (status, headers, expected) => {
      desk.failNext('establish', status, { headers });
      const error = await failure(client.establish(config, request()));
      expect(error).toBeInstanceOf(DeskError);
      expect({ code: error.code, retryable: error.retryable, retryAfterMs: error.retryAfterMs, status: error.status }).toEqual({ ...expected, status });
      expect(error.message).toContain(`answered ${status} to POST /conversation/establish`);
      expect(desk.conversations.size).toBe(0);
    });

    test('a 429 with Retry-After as an HTTP date waits until then', async () => {
      const at = new Date(Date.now() + 60_000);
      desk.failNext('chat', 429, { headers: { 'retry-after': at.toUTCString() } });
      const error = await failure(client.relay(config, session, { messageId: 'm', text: 'x' }));
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBeGreaterThan(55_000);
      expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    test("the desk's own message is kept, without our secrets", async () => {
      const basic = Buffer.from(`${USER}:${PASSWORD}`, 'utf8').toString('base64');
      desk.failNext('establish', 400, { body: { code: 40000, message: `email is required (secret ${desk.secret}, password ${PASSWORD}, auth ${basic})` } });
      const error = await failure(client.establish(config, request()));
      expect(error.message).toContain('email is required');
      for (const secret of [desk.secret, PASSWORD, basic]) expect(error.message).not.toContain(secret);
    });

    test('a refused connection is retryable', async () => {
      const port = await closedPort();
      const error = await failure(client.establish({ ...config, baseUrl: `http://127.0.0.1:${port}` }, request()));
      expect(error).toMatchObject({ code: 'network_error', retryable: true });
      expect(error.message).toContain('ECONNREFUSED');
      expect(error.message).not.toContain(desk.secret);
    });

    test('a desk slower than the timeout is a retryable timeout', async () => {
      const impatient = createWebhookDeskClient({ timeoutMs: 100 });
      desk.delayNext('chat', 1000);
      const error = await failure(impatient.relay(config, session, { messageId: 'm', text: 'x' }));
      expect(error).toMatchObject({ code: 'timeout', retryable: true });
      expect(error.message).toContain('100 ms');
    });

    test('bad settings are final and send nothing', async () => {
      const withCredentials = await failure(client.establish({ ...config, baseUrl: desk.baseUrl.replace('http://', 'http://u:p@') }, request()));
      expect(withCredentials).toMatchObject({ code: 'invalid_config', retryable: false });
      const notAUrl = await failure(client.establish({ ...config, baseUrl: 'not a url' }, request()));
      expect(notAUrl).toMatchObject({ code: 'invalid_config', retryable: false });
      expect(desk.requests).toHaveLength(0);
    });
  });

  describe('testConnection', () => {
    test('a signed ping the desk accepts is ok', async () => {
      expect(await webhookDeskClient.testConnection(config)).toEqual({ ok: true });
      const [ping] = desk.accepted('ping');
      expect(ping?.path).toBe('/desk/ping');
      expect(ping?.json).toEqual({ timestamp: expect.any(Number) });
      expect(ping?.headers['x-baton-event-id']).toMatch(/^ping:/);
      expect(desk.conversations.size).toBe(0);
    });

    test('a wrong secret or password is reported without revealing them', async () => {
      const wrongSecret = await client.testConnection({ ...config, secret: 'the-wrong-secret' });
      const wrongPassword = await client.testConnection({ ...config, password: 'the-wrong-password' });
      for (const result of [wrongSecret, wrongPassword]) {
        expect(result).toEqual({ ok: false, message: expect.stringMatching(/refused our signature or username\/password \(HTTP 401\)/) });
        expect(JSON.stringify(result)).not.toMatch(/the-wrong|desk_/);
      }
    });

    test('a desk without the ping endpoint is reported as such', async () => {
      const bare = await startFakeWebhookDesk({ ping: false });
      try {
        const result = await client.testConnection({ baseUrl: bare.baseUrl, secret: bare.secret });
        expect(result).toEqual({ ok: false, message: expect.stringContaining('answered 404 to POST /ping') });
      } finally {
        await bare.close();
      }
    });

    test('an unreachable or failing desk is not ok', async () => {
      const port = await closedPort();
      expect(await client.testConnection({ ...config, baseUrl: `http://127.0.0.1:${port}` })).toEqual({ ok: false, message: expect.stringContaining('Could not reach') });
      desk.failNext('ping', 503);
      expect(await client.testConnection(config)).toEqual({ ok: false, message: expect.stringContaining('answered 503') });
    });
  });
});
