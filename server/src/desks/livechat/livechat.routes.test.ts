// The LiveChat webhook route through app.request(), fed by the LiveChat fake's emitter: chats are
// opened with the real client against the fake, agents act in the fake, and the fake posts the
// webhooks LiveChat would send straight into the Hono app.
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeLivechat, type EmitKnobs, type FakeLivechat } from '../../../../test/fakes/livechat/fake-livechat.js';
import { handleError } from '../../http/errors.js';
import type { AppEnv } from '../../http/route.js';
import { recordingLogger } from '../../../testing/test-server.js';
import type { DeskEvent, DeskRouteDeps, DeskSession } from '../sdk/index.js';
import type { LivechatConfig } from './livechat.config.js';
import { createLivechatClient } from './livechat.client.js';
import { isOwnCustomerEcho } from './livechat.protocol.js';
import { LIVECHAT_WEBHOOK_PATH, livechatRoutes } from './livechat.routes.js';

const SECRET = 'registered-webhook-secret';
const BASE = 'http://baton.test';

interface Delivery {
  botId: string;
  deskConversationId: string;
  event: DeskEvent;
}

type Inbound = DeskRouteDeps<LivechatConfig>['inbound'];

/** A DeskInbound that knows some chats and is idempotent by event id, as the real one is. */
class RecordingInbound implements Inbound {
  readonly deliveries: Delivery[] = [];
  readonly known = new Set<string>();
  private readonly seen = new Set<string>();
  failNext = 0;

  async deliver(botId: string, deskConversationId: string, event: DeskEvent) {
    if (this.failNext > 0) {
      this.failNext -= 1;
      throw new Error('database is locked');
    }
    this.deliveries.push({ botId, deskConversationId, event });
    if (!this.known.has(deskConversationId)) return 'unknown_conversation' as const;
    const key = `${deskConversationId}/${event.eventId}`;
    if (this.seen.has(key)) return 'duplicate' as const;
    this.seen.add(key);
    return 'delivered' as const;
  }
}

describe('POST /hooks/livechat/:botId', () => {
  let fake: FakeLivechat;
  let configs: Record<string, LivechatConfig>;
  let inbound: RecordingInbound;
  let log: ReturnType<typeof recordingLogger>;
  let app: Hono<AppEnv>;
  /** What the route answered to each webhook the fake sent. */
  let answers: { status: number; body: any }[];
  let sequence = 0;

  const url = (botId = 'bot_1') => `${BASE}/hooks/livechat/${botId}`;
  const transport = async (target: string, init: { method: 'POST'; headers: Record<string, string>; body: string }) => {
    const res = await app.request(target, init);
    const text = await res.text();
    answers.push({ status: res.status, body: text ? JSON.parse(text) : undefined });
    return { status: res.status };
  };
  const post = async (body: string, botId = 'bot_1') => {
    const res = await app.request(url(botId), { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };

  /** A chat opened by the real client, as a handoff would; the inbound knows it. */
  const openChat = async (): Promise<DeskSession> => {
    sequence += 1;
    const session = await createLivechatClient().establish(configs['bot_1']!, {
      conversationId: `conv_${sequence}`,
      botId: 'bot_1',
      email: 'anna@example.com',
      user: { name: 'Anna' },
      history: [{ role: 'user', text: 'I need a human' }],
      idempotencyKey: `handoff_${sequence}`,
    });
    inbound.known.add(session.deskConversationId);
    return session;
  };

  const register = (filters?: { author_type?: 'agent' | 'customer' }, botId = 'bot_1') => {
    fake.registerWebhook({ action: 'incoming_event', url: url(botId), secretKey: SECRET, transport, ...(filters ? { filters } : {}) });
    fake.registerWebhook({ action: 'chat_deactivated', url: url(botId), secretKey: SECRET, transport });
  };

  beforeAll(async () => {
    fake = await startFakeLivechat({ webhookRetryDelayMs: 1 });
    configs = {
      bot_1: { organizationId: fake.organizationId, accessToken: fake.agentToken, secretKey: SECRET, apiBaseUrl: fake.baseUrl },
      bot_other_org: { organizationId: 'another-organization', accessToken: fake.agentToken, secretKey: SECRET, apiBaseUrl: fake.baseUrl },
    };
  });
  afterAll(() => fake.close());
  beforeEach(() => {
    fake.reset();
    inbound = new RecordingInbound();
    log = recordingLogger();
    answers = [];
    app = new Hono<AppEnv>();
    app.onError((error, c) => handleError(error, c, (message, cause) => log.error(message, cause)));
    app.use('*', async (c, next) => {
      c.set('principal', { kind: 'anonymous' });
      await next();
    });
    app.route('/', livechatRoutes({ config: (botId) => configs[botId], inbound, log }).app);
  });

  describe('valid webhooks', () => {
    test("delivers an agent's message with the chat id, event id, text and author", async () => {
      register({ author_type: 'agent' });
      const session = await openChat();
      const event = await fake.agentSends(session.deskConversationId, 'Hi Anna, I am looking at your order.');
      expect(answers).toEqual([{ status: 200, body: { result: 'delivered' } }]);
      expect(inbound.deliveries).toEqual([
        {
          botId: 'bot_1',
          deskConversationId: session.deskConversationId,
          event: { type: 'agent_message', eventId: event.id, text: 'Hi Anna, I am looking at your order.', agentId: fake.agentId },
        },
      ]);
    });

    test('delivers the chat closing as closed, once per thread', async () => {
      register({ author_type: 'agent' });
      const session = await openChat();
      await fake.deactivateAsAgent(session.deskConversationId, { webhook: { redeliveries: 1 } });
      const threadId = session.data['threadId'];
      expect(inbound.deliveries.map((d) => d.event)).toEqual([
        { type: 'closed', eventId: `chat_deactivated:${session.deskConversationId}:${threadId}` },
        { type: 'closed', eventId: `chat_deactivated:${session.deskConversationId}:${threadId}` },
      ]);
      expect(answers.map((a) => a.body.result)).toEqual(['delivered', 'duplicate']);
    });

    test('also when Baton closed the chat itself', async () => {
      register({ author_type: 'agent' });
      const session = await openChat();
      await createLivechatClient().close(configs['bot_1']!, session, 'USER_CLOSED');
      await fake.idle();
      expect(inbound.deliveries.map((d) => d.event.type)).toEqual(['closed']);
    });

    test('ignores our own messages echoed back, system messages and internal notes, even without the author_type filter', async () => {
      register();
      const desk = createLivechatClient();
      const session = await openChat();
      await desk.relay(configs['bot_1']!, session, { messageId: 'm1', text: 'Are you there?' });
      await fake.idle();
      await fake.agentSends(session.deskConversationId, 'Note to colleagues: VIP', { visibility: 'agents' });
      await fake.agentSends(session.deskConversationId, 'Yes, here!');
      await fake.deactivateAsAgent(session.deskConversationId);
      await fake.idle();
      expect(inbound.deliveries.map((d) => d.event.type === 'agent_message' ? d.event.text : d.event.type)).toEqual(['Yes, here!', 'closed']);
      expect(answers.map((a) => a.body.result)).toEqual(['ignored', 'ignored', 'delivered', 'ignored', 'delivered']);
    });

    test('acknowledges re-deliveries as duplicates and delivers each event once', async () => {
      register({ author_type: 'agent' });
      const session = await openChat();
      await fake.agentSends(session.deskConversationId, 'Once only', { webhook: { redeliveries: 2 } });
      expect(answers).toEqual([
        { status: 200, body: { result: 'delivered' } },
        { status: 200, body: { result: 'duplicate' } },
        { status: 200, body: { result: 'duplicate' } },
      ]);
    });

    test('acknowledges chats it does not know', async () => {
      register({ author_type: 'agent' });
      const session = await openChat();
      inbound.known.clear();
      await fake.agentSends(session.deskConversationId, 'Hello?');
      expect(answers).toEqual([{ status: 200, body: { result: 'unknown_conversation' } }]);
    });

    test('acknowledges actions it does not handle without delivering anything', async () => {
      register({ author_type: 'agent' });
      const res = await post(fake.webhookBody('chat_transferred', { chat_id: 'C1', reason: 'manual', transferred_to: { group_ids: [1] } }, { secretKey: SECRET }));
      expect(res).toEqual({ status: 200, body: { result: 'ignored' } });
      expect(inbound.deliveries).toEqual([]);
    });

    test('reads the body as LiveChat sent it: whitespace and escaped non-ASCII text', async () => {
      register({ author_type: 'agent' });
      const session = await openChat();
      await fake.agentSends(session.deskConversationId, 'Prix', {
        webhook: { rewriteBody: (json) => `\n ${json.replace('"Prix"', '"Prix : 10 \\u20ac"')} \n` },
      });
      expect(inbound.deliveries[0]!.event).toMatchObject({ text: 'Prix : 10 €' });
    });

    test('answers 500 when the delivery fails, so LiveChat tries again, and the retry delivers', async () => {
      register({ author_type: 'agent' });
      const session = await openChat();
      inbound.failNext = 1;
      await fake.agentSends(session.deskConversationId, 'Try again');
      expect(answers.map((a) => a.status)).toEqual([500, 200]);
      expect(inbound.deliveries).toHaveLength(1);
      expect(answers[0]!.body.error.code).toBe('internal_error');
    });
  });

  describe('refused webhooks', () => {
    const forged = async (knobs: EmitKnobs, botId = 'bot_1') => {
      register({ author_type: 'agent' }, botId);
      const session = await openChat();
      await fake.agentSends(session.deskConversationId, 'forged?', { webhook: knobs });
      return answers;
    };

    test.each([
      ['a wrong secret_key', { secretKey: 'guessed-secret' }],
      ['a secret_key of another length', { secretKey: `${SECRET}-and-more` }],
      ['no secret_key', { omitSecretKey: true }],
      ['another organization', { organizationId: 'another-organization' }],
    ] as [string, EmitKnobs][])('%s: 401 invalid_signature and nothing delivered', async (_name, knobs) => {
      const sent = await forged(knobs);
      // LiveChat retries what is not answered 200: every attempt is refused.
      expect(sent).toHaveLength(4);
      for (const answer of sent) {
        expect(answer.status).toBe(401);
        expect(answer.body.error.code).toBe('invalid_signature');
      }
      expect(inbound.deliveries).toEqual([]);
      expect(JSON.stringify(log.entries)).not.toContain(SECRET);
    });

    test('a body that is not JSON cannot prove its secret: 401', async () => {
      const res = await post(`secret_key=${SECRET}`);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_signature');
      expect(inbound.deliveries).toEqual([]);
    });

    test('the bot must have LiveChat with a secret key: 404 otherwise', async () => {
      const body = fake.webhookBody('incoming_event', {}, { secretKey: SECRET });
      for (const botId of ['bot_unknown', 'bot_no_secret']) {
        const res = await post(body, botId);
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe('not_found');
      }
      expect(inbound.deliveries).toEqual([]);
    });

    test('a bot configured for another organization refuses webhooks of this one', async () => {
      const res = await post(fake.webhookBody('chat_deactivated', { chat_id: 'C1', thread_id: 'T1' }, { secretKey: SECRET }), 'bot_other_org');
      expect(res.status).toBe(401);
      expect(inbound.deliveries).toEqual([]);
    });
  });

  describe('malformed webhooks with the right secret', () => {
    test.each([
      ['an envelope without payload', (body: Record<string, unknown>) => void delete body['payload'], 'body.payload'],
      ['an event without id', (body: any) => void delete body.payload.event.id, 'body.payload.event.id'],
      ['a message without text', (body: any) => void delete body.payload.event.text, 'body.payload.event.text'],
      ['a chat id that is not a string', (body: any) => void (body.payload.chat_id = 42), 'body.payload.chat_id'],
    ] as [string, (body: any) => void, string][])('%s: 400 naming %s', async (_name, breakIt, field) => {
      const body = JSON.parse(
        fake.webhookBody(
          'incoming_event',
          { chat_id: 'C1', thread_id: 'T1', event: { id: 'T1_1', type: 'message', text: 'hi', author_id: 'anna@example.com', visibility: 'all' } },
          { secretKey: SECRET },
        ),
      );
      breakIt(body);
      const res = await post(JSON.stringify(body));
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(res.body.error.message.startsWith(`${field}:`)).toBe(true);
      expect(inbound.deliveries).toEqual([]);
    });

    test('a chat_deactivated without thread_id: 400', async () => {
      const res = await post(fake.webhookBody('chat_deactivated', { chat_id: 'C1' }, { secretKey: SECRET }));
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/^body\.payload\.thread_id:/);
    });
  });

  test('is declared public with its path, for the OpenAPI document', () => {
    const router = livechatRoutes({ config: () => undefined, inbound, log });
    expect(router.specs.map((s) => [s.method, s.path, s.access])).toEqual([['post', LIVECHAT_WEBHOOK_PATH, { public: true }]]);
    expect(LIVECHAT_WEBHOOK_PATH).toBe('/hooks/livechat/:botId');
  });
});

describe('isOwnCustomerEcho', () => {
  const session: DeskSession = { deskConversationId: 'C1', data: { customerId: 'cust-1', clientId: 'client' } };
  test('is true for an agent_message authored by the customer identity Baton speaks through', () => {
    expect(isOwnCustomerEcho(session, { type: 'agent_message', eventId: 'e1', text: 'x', agentId: 'cust-1' })).toBe(true);
  });
  test('is false for agents, unknown authors and other events', () => {
    expect(isOwnCustomerEcho(session, { type: 'agent_message', eventId: 'e1', text: 'x', agentId: 'anna@example.com' })).toBe(false);
    expect(isOwnCustomerEcho(session, { type: 'agent_message', eventId: 'e1', text: 'x' })).toBe(false);
    expect(isOwnCustomerEcho(session, { type: 'closed', eventId: 'e2' })).toBe(false);
  });
});
