// The inbound webhook desk routes through app.request(), fed by the fake desk's emitter (which
// signs on its own, independently of the server's signing code).
import { createHash } from 'node:crypto';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { startFakeWebhookDesk, type FakeWebhookDesk } from '../../../../test/fakes/webhook/fake-webhook.js';
import { handleError } from '../../http/errors.js';
import { DEFAULT_BODY_LIMIT, type AppEnv } from '../../http/route.js';
import { recordingLogger } from '../../../testing/test-server.js';
import { createMemorySeenSignatures, type DeskEvent, type DeskRouteDeps, type SeenSignatures } from '../sdk/index.js';
import type { WebhookDeskConfig } from './webhook.config.js';
import { webhookRoutes } from './webhook.routes.js';
import { signWebhook } from './webhook.signature.js';

const SECRET = 'bot-1-desk-secret';
const OTHER_SECRET = 'bot-2-desk-secret';
const BASE = 'http://baton.test';

interface Delivery {
  botId: string;
  deskConversationId: string;
  event: DeskEvent;
}

type Inbound = DeskRouteDeps<WebhookDeskConfig>['inbound'];

/** A DeskInbound that knows some conversations and is idempotent by event id, as the real one is. */
class RecordingInbound implements Inbound {
  readonly deliveries: Delivery[] = [];
  readonly known = new Set<string>(['conv_1']);
  private readonly events = new Set<string>();
  failNext = 0;

  async deliver(botId: string, deskConversationId: string, event: DeskEvent) {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('database is locked');
    }
    this.deliveries.push({ botId, deskConversationId, event });
    if (!this.known.has(deskConversationId)) return 'unknown_conversation' as const;
    const key = `${deskConversationId}/${event.eventId}`;
    if (this.events.has(key)) return 'duplicate' as const;
    this.events.add(key);
    return 'delivered' as const;
  }
}

describe('webhook desk routes', () => {
  let clock: number;
  let inbound: RecordingInbound;
  let seen: SeenSignatures;
  let log: ReturnType<typeof recordingLogger>;
  let app: Hono<AppEnv>;
  let desk: FakeWebhookDesk;
  let otherDesk: FakeWebhookDesk;
  const configs: Record<string, WebhookDeskConfig> = {
    bot_1: { baseUrl: 'https://desk.example.com/hooks', secret: SECRET, username: 'u', password: 'p' },
    bot_2: { baseUrl: 'https://desk.example.com/hooks', secret: OTHER_SECRET },
  };

  /** One API process: its own app, sharing the replay memory and the inbound. */
  const mount = () => {
    const hono = new Hono<AppEnv>();
    hono.onError((error, c) => handleError(error, c, (message, cause) => log.error(message, cause)));
    hono.use('*', async (c, next) => {
      c.set('principal', { kind: 'anonymous' });
      await next();
    });
    const router = webhookRoutes({ config: (botId) => configs[botId], inbound, log, seenSignatures: seen, now: () => clock });
    hono.route('/', router.app);
    return hono;
  };
  const transport = (url: string, init: { method: string; headers: Record<string, string>; body: Buffer }) => app.request(url, init);
  const messageUrl = (botId = 'bot_1') => `${BASE}/hooks/webhook/${botId}/message`;
  const closeUrl = (botId = 'bot_1') => `${BASE}/hooks/webhook/${botId}/close`;

  beforeAll(async () => {
    desk = await startFakeWebhookDesk({ secret: SECRET, now: () => clock, transport });
    otherDesk = await startFakeWebhookDesk({ secret: OTHER_SECRET, now: () => clock, transport });
  });
  afterAll(async () => {
    await desk.close();
    await otherDesk.close();
  });
  beforeEach(() => {
    clock = Date.parse('2026-05-04T08:00:00.250Z');
    inbound = new RecordingInbound();
    seen = createMemorySeenSignatures(() => clock);
    log = recordingLogger();
    app = mount();
    desk.reset();
  });

  describe('POST /hooks/webhook/:botId/message', () => {
    test("delivers a human's message with its id, text and agent", async () => {
      const res = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'Hi, I am Ana from support', messageId: 'dm_1', agent: { id: 'ag_7', name: 'Ana' } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ code: 0, message: 'ok', result: 'delivered' });
      expect(inbound.deliveries).toEqual([
        {
          botId: 'bot_1',
          deskConversationId: 'conv_1',
          event: { type: 'agent_message', eventId: 'dm_1', text: 'Hi, I am Ana from support', agentName: 'Ana', agentId: 'ag_7' },
        },
      ]);
    });

    test('without message_id the event id is the SHA-256 of the raw body, so a re-delivery of the same body is a duplicate', async () => {
      const first = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'no id' });
      // The same body, signed afresh a second later (a proper retry).
      clock += 1000;
      const again = await desk.emitRaw(messageUrl(), first.rawBody);
      expect([first.body, again.body]).toMatchObject([{ result: 'delivered' }, { result: 'duplicate' }]);
      const expected = createHash('sha256').update(first.rawBody).digest('hex');
      expect(inbound.deliveries.map((d) => d.event)).toEqual([
        { type: 'agent_message', eventId: expected, text: 'no id' },
        { type: 'agent_message', eventId: expected, text: 'no id' },
      ]);
    });

    test('verifies the exact bytes: unusual spacing, key order and non-ASCII text go through unchanged', async () => {
      const raw = '{"body":  "Olá — ça va? 你好 👋",\n "message_id":"dm_2",   "timestamp": 1, "conversation_id": "conv_1", "extra": {"from": "gptbots"}}';
      const res = await desk.emitRaw(messageUrl(), raw);
      expect(res.status).toBe(200);
      expect(inbound.deliveries[0]?.event).toEqual({ type: 'agent_message', eventId: 'dm_2', text: 'Olá — ça va? 你好 👋' });
    });

    test('a re-delivered message (same message_id, new signature) is acknowledged as a duplicate', async () => {
      await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'once', messageId: 'dm_3' });
      clock += 2000;
      const again = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'once', messageId: 'dm_3' });
      expect(again).toMatchObject({ status: 200, body: { code: 0, result: 'duplicate' } });
    });

    test('a conversation we do not know is acknowledged, not refused', async () => {
      const res = await desk.emitMessage(messageUrl(), { conversationId: 'conv_gone', text: 'hello?', messageId: 'dm_4' });
      expect(res).toMatchObject({ status: 200, body: { result: 'unknown_conversation' } });
    });

    test('a failure on our side is a 500, and the desk may retry with a fresh signature', async () => {
      inbound.failNext = 1;
      const failed = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'retry me', messageId: 'dm_5' });
      expect(failed.status).toBe(500);
      expect(failed.body).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side' } });
      clock += 1000;
      const retried = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'retry me', messageId: 'dm_5' });
      expect(retried).toMatchObject({ status: 200, body: { result: 'delivered' } });
    });
  });

  describe('POST /hooks/webhook/:botId/close', () => {
    test('delivers a close, identified by the SHA-256 of its body', async () => {
      const res = await desk.emitClose(closeUrl(), { conversationId: 'conv_1' });
      expect(res).toMatchObject({ status: 200, body: { code: 0, message: 'ok', result: 'delivered' } });
      expect(inbound.deliveries).toEqual([
        { botId: 'bot_1', deskConversationId: 'conv_1', event: { type: 'closed', eventId: createHash('sha256').update(res.rawBody).digest('hex') } },
      ]);
    });

    test('refuses a close without its conversation', async () => {
      const res = await desk.emitRaw(closeUrl(), JSON.stringify({ timestamp: clock }));
      expect(res).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: 'body.conversation_id: is required' } } });
      expect(inbound.deliveries).toEqual([]);
    });
  });

  describe('signatures', () => {
    const refusals: [string, (url: string) => Promise<{ status: number; body: unknown }>, RegExp][] = [
      ['no signature', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { signature: 'missing' }), /X-Baton-Timestamp and X-Baton-Signature are required/],
      ['no timestamp', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { omitTimestamp: true }), /are required/],
      ['another secret', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { signature: 'bad' }), /does not match/],
      ["another bot's secret", (url) => otherDesk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }), /does not match/],
      ['301 s old', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { skewSeconds: -301 }), /more than 300 seconds/],
      ['301 s ahead', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { skewSeconds: 301 }), /more than 300 seconds/],
      ['timestamp in ms', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { headers: { 'x-baton-timestamp': String(clock) } }), /must be Unix seconds/],
      ['timestamp not a number', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { headers: { 'x-baton-timestamp': 'soon' } }), /Unix seconds/],
      ['signature without prefix', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { headers: { 'x-baton-signature': 'f'.repeat(64) } }), /"sha256=" followed by 64 hex digits/],
      ['signature cut short', (url) => desk.emitMessage(url, { conversationId: 'conv_1', text: 'x', messageId: 'a' }, { headers: { 'x-baton-signature': `sha256=${'f'.repeat(63)}` } }), /64 hex digits/],
      [
        'body changed after signing',
        (url) => {
          const signed = JSON.stringify({ conversation_id: 'conv_1', timestamp: clock, body: 'x', message_id: 'a' });
          const sent = JSON.stringify({ conversation_id: 'conv_1', timestamp: clock, body: 'y', message_id: 'a' });
          return desk.emitRaw(url, sent, { headers: { 'x-baton-signature': signWebhook(SECRET, Math.floor(clock / 1000), signed) } });
        },
        /does not match/,
      ],
    ];

    test.each(refusals)('%s → 401 invalid_signature, nothing delivered', async (_name, send, message) => {
      for (const url of [messageUrl(), closeUrl()]) {
        const res = await send(url);
        expect(res.status).toBe(401);
        expect(res.body).toEqual({ error: { code: 'invalid_signature', message: expect.stringMatching(message) } });
      }
      expect(inbound.deliveries).toEqual([]);
      expect(log.entries.filter((e) => e.level === 'warn').map((e) => e.message)).toEqual(['webhook desk request refused', 'webhook desk request refused']);
      expect(JSON.stringify(log.entries)).not.toContain(SECRET);
    });

    test('a timestamp exactly 300 s off is still accepted', async () => {
      const old = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'edge', messageId: 'e1' }, { skewSeconds: -300 });
      const ahead = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'edge', messageId: 'e2' }, { skewSeconds: 300 });
      expect([old.status, ahead.status]).toEqual([200, 200]);
    });

    test('a replayed request (same signature) is refused, on any API process sharing the memory', async () => {
      const first = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'pay me', messageId: 'dm_r' });
      expect(first.status).toBe(200);
      clock += 60_000;
      const replayed = await desk.replay(first);
      expect(replayed).toMatchObject({ status: 401, body: { error: { code: 'invalid_signature', message: expect.stringMatching(/already received/) } } });
      // Another process: its own app, the same shared memory.
      app = mount();
      const elsewhere = await desk.replay(first);
      expect(elsewhere.status).toBe(401);
      expect(inbound.deliveries).toHaveLength(1);
    });

    test('a replayed close is refused too', async () => {
      const first = await desk.emitClose(closeUrl(), { conversationId: 'conv_1' });
      const replayed = await desk.replay(first);
      expect([first.status, replayed.status]).toEqual([200, 401]);
      expect(inbound.deliveries).toHaveLength(1);
    });

    test('the replay memory keeps a signature for the whole window (10 minutes), then lets it go', async () => {
      let remembered: { key: string; ttlMs: number } | undefined;
      const spyable: SeenSignatures = {
        remember: (key, ttlMs) => {
          remembered = { key, ttlMs };
          return seen.remember(key, ttlMs);
        },
      };
      const hono = new Hono<AppEnv>();
      hono.use('*', async (c, next) => {
        c.set('principal', { kind: 'anonymous' });
        await next();
      });
      hono.route('/', webhookRoutes({ config: (botId) => configs[botId], inbound, log, seenSignatures: spyable, now: () => clock }).app);
      app = hono;
      const res = await desk.emitMessage(messageUrl(), { conversationId: 'conv_1', text: 'x', messageId: 'm' });
      expect(res.status).toBe(200);
      const signature = res.headers['x-baton-signature']!.slice('sha256='.length);
      expect(remembered).toEqual({ key: `webhook:bot_1:${signature}`, ttlMs: 600_000 });
    });

    test('forged requests are not remembered: they cannot make a later genuine one look replayed', async () => {
      const body = JSON.stringify({ conversation_id: 'conv_1', timestamp: clock, body: 'x', message_id: 'g' });
      const genuine = signWebhook(SECRET, Math.floor(clock / 1000), body);
      // Sent first with a stale timestamp but the right signature for "now": refused, not recorded.
      const forged = await desk.emitRaw(messageUrl(), body, { headers: { 'x-baton-timestamp': String(Math.floor(clock / 1000) - 400), 'x-baton-signature': genuine } });
      const real = await desk.emitRaw(messageUrl(), body);
      expect([forged.status, real.status]).toEqual([401, 200]);
    });
  });

  describe('unknown bots and bad bodies', () => {
    test('an unknown bot, or one without a webhook desk, is 404 even unsigned', async () => {
      for (const botId of ['bot_unknown']) {
        const signed = await desk.emitMessage(messageUrl(botId), { conversationId: 'conv_1', text: 'x', messageId: 'n' });
        const unsigned = await desk.emitClose(closeUrl(botId), { conversationId: 'conv_1' }, { signature: 'missing' });
        for (const res of [signed, unsigned]) expect(res).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
      }
      const tooLong = await desk.emitMessage(messageUrl('b'.repeat(101)), { conversationId: 'conv_1', text: 'x' });
      expect(tooLong).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', message: expect.stringMatching(/^params\.botId/) } } });
      expect(inbound.deliveries).toEqual([]);
    });

    const badMessages: [string, string, string][] = [
      ['not JSON', '{"conversation_id": "conv_1",', 'malformed_json'],
      ['not UTF-8', '\u0000', 'malformed_json'],
      ['no conversation_id', JSON.stringify({ timestamp: 1, body: 'x' }), 'body.conversation_id: is required'],
      ['empty conversation_id', JSON.stringify({ conversation_id: ' ', timestamp: 1, body: 'x' }), 'body.conversation_id: must not be empty'],
      ['no timestamp', JSON.stringify({ conversation_id: 'conv_1', body: 'x' }), 'body.timestamp: is required'],
      ['timestamp as text', JSON.stringify({ conversation_id: 'conv_1', timestamp: '1714800000000', body: 'x' }), 'body.timestamp'],
      ['fractional timestamp', JSON.stringify({ conversation_id: 'conv_1', timestamp: 1.5, body: 'x' }), 'body.timestamp: must be epoch milliseconds (an integer)'],
      ['empty text', JSON.stringify({ conversation_id: 'conv_1', timestamp: 1, body: '  ' }), 'body.body: must not be empty'],
      ['text too long', JSON.stringify({ conversation_id: 'conv_1', timestamp: 1, body: 'x'.repeat(10_001) }), 'body.body: must be at most 10000 characters'],
      ['body as array', JSON.stringify({ conversation_id: 'conv_1', timestamp: 1, body: [{ text: 'x' }] }), 'body.body'],
      ['empty message_id', JSON.stringify({ conversation_id: 'conv_1', timestamp: 1, body: 'x', message_id: '' }), 'body.message_id: must not be empty'],
      ['agent id as number', JSON.stringify({ conversation_id: 'conv_1', timestamp: 1, body: 'x', agent: { id: 7 } }), 'body.agent.id'],
      ['a JSON array', JSON.stringify([{ conversation_id: 'conv_1' }]), 'body: '],
    ];

    test.each(badMessages)('%s → 400 naming the problem, nothing delivered', async (_name, raw, expected) => {
      const bytes = _name === 'not UTF-8' ? Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]) : Buffer.from(raw, 'utf8');
      const res = await desk.emitRaw(messageUrl(), bytes);
      expect(res.status).toBe(400);
      const error = (res.body as { error: { code: string; message: string } }).error;
      if (expected === 'malformed_json') expect(error.code).toBe('malformed_json');
      else {
        expect(error.code).toBe('invalid_request');
        expect(error.message.startsWith(expected)).toBe(true);
      }
      expect(inbound.deliveries).toEqual([]);
    });

    test('a body over the limit is 413, nothing delivered', async () => {
      const raw = JSON.stringify({ conversation_id: 'conv_1', timestamp: clock, body: 'x', padding: 'p'.repeat(DEFAULT_BODY_LIMIT) });
      const res = await desk.emitRaw(messageUrl(), raw);
      expect(res).toMatchObject({ status: 413, body: { error: { code: 'payload_too_large' } } });
      expect(inbound.deliveries).toEqual([]);
    });

    test('fields a GPTBots-style desk adds are ignored', async () => {
      const raw = JSON.stringify({ conversation_id: 'conv_1', timestamp: clock, body: 'x', message_id: 'gx', agent: { id: 'a', name: 'B', avatar_url: 'https://x' }, attachments: [] });
      expect((await desk.emitRaw(messageUrl(), raw)).status).toBe(200);
      expect(inbound.deliveries[0]?.event).toEqual({ type: 'agent_message', eventId: 'gx', text: 'x', agentName: 'B', agentId: 'a' });
    });
  });

  test('documents both routes as public webhooks taking the raw body', () => {
    const router = webhookRoutes({ config: () => undefined, inbound, log, seenSignatures: seen });
    expect(router.specs.map((s) => [s.method, s.path, s.access, s.rawBody, Object.keys(s.responses)])).toEqual([
      ['post', '/hooks/webhook/:botId/message', { public: true }, true, ['200', '400', '401', '404']],
      ['post', '/hooks/webhook/:botId/close', { public: true }, true, ['200', '400', '401', '404']],
    ]);
  });
});
