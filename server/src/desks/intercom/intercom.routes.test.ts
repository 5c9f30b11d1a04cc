// The Intercom webhook route through a small Hono app mounting its Router (app.request, no
// network), with notifications made by the fake Intercom; and once over real HTTP with the fake's
// own emitter.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { signIntercomBody, startFakeIntercom, type FakeIntercom, type Notification } from '../../../../test/fakes/intercom/fake-intercom.js';
import { errorBody, handleError } from '../../http/errors.js';
import { openApiDocument } from '../../http/openapi.js';
import type { AppEnv } from '../../http/route.js';
import { readJson, recordingLogger } from '../../../testing/test-server.js';
import type { DeskDelivery, DeskEvent, DeskRouteDeps } from '../sdk/index.js';
import type { IntercomConfig } from './intercom.config.js';
import { INTERCOM_WEBHOOK_BODY_LIMIT, intercomRoutes } from './intercom.routes.js';

type Outcome = DeskDelivery;

type Inbound = DeskRouteDeps<IntercomConfig>['inbound'];

/** Stands in for the handoff service: knows some desk conversations, dedupes by event id as DeskInbound must. */
class RecordingInbound implements Inbound {
  readonly calls: { botId: string; deskConversationId: string; event: DeskEvent; outcome: Outcome }[] = [];
  readonly known = new Set<string>();
  private readonly seen = new Set<string>();
  failWith: Error | undefined;

  async deliver(botId: string, deskConversationId: string, event: DeskEvent): Promise<Outcome> {
    if (this.failWith) throw this.failWith;
    const outcome: Outcome = !this.known.has(deskConversationId) ? 'unknown_conversation' : this.seen.has(event.eventId) ? 'duplicate' : 'delivered';
    this.seen.add(event.eventId);
    this.calls.push({ botId, deskConversationId, event, outcome });
    return outcome;
  }

  get events(): DeskEvent[] {
    return this.calls.map((c) => c.event);
  }
}

const BOT = 'bot_intercom';
let fake: FakeIntercom;
let inbound: RecordingInbound;
let log: ReturnType<typeof recordingLogger>;
let app: Hono<AppEnv>;
let conversationId: string;
let configs: Record<string, IntercomConfig | undefined>;

function makeApp(): Hono<AppEnv> {
  const hono = new Hono<AppEnv>();
  hono.onError((error, c) => handleError(error, c, (message, cause) => log.error(message, cause)));
  hono.notFound((c) => c.json(errorBody('not_found', 'No route'), 404));
  hono.use('*', async (c, next) => {
    c.set('principal', { kind: 'anonymous' });
    await next();
  });
  hono.route('/', intercomRoutes({ config: (botId) => configs[botId], inbound, log }).app);
  return hono;
}

beforeAll(async () => {
  fake = await startFakeIntercom();
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  fake.reset();
  inbound = new RecordingInbound();
  log = recordingLogger();
  configs = {
    [BOT]: { accessToken: fake.accessToken, clientSecret: fake.clientSecret, apiBaseUrl: fake.baseUrl },
  };
  app = makeApp();
  conversationId = fake.addConversation().id;
  inbound.known.add(conversationId);
});

async function post(raw: string | Uint8Array, options: { signature?: string | null; botId?: string; signWith?: string } = {}) {
  const signature = options.signature === undefined ? signIntercomBody(options.signWith ?? fake.clientSecret, raw) : options.signature;
  const res = await app.request(`/hooks/intercom/${options.botId ?? BOT}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-hub-signature': signature }) },
    body: raw,
  });
  return readJson(res);
}

const send = (notification: Notification, options: Parameters<typeof post>[1] = {}) => post(JSON.stringify(notification), options);

function expectRefused(res: Awaited<ReturnType<typeof post>>, status: number, code: string): void {
  expect(res.status, res.text).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(inbound.calls).toHaveLength(0);
}

describe("Intercom's URL check", () => {
  test('HEAD answers 200 with no body for a bot with an Intercom desk', async () => {
    const res = await app.request(`/hooks/intercom/${BOT}`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
  });

  test.each([['bot_unknown'], ['bot_without_secret']])('HEAD answers 404 for %s, so Intercom refuses the URL', async (botId) => {
    const res = await app.request(`/hooks/intercom/${botId}`, { method: 'HEAD' });
    expect(res.status).toBe(404);
  });
});

describe('relaying what teammates do', () => {
  test("a teammate's reply becomes an agent message: HTML as text, the teammate's name and id, the notification id", async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>Hi, I&#39;m Anna &amp; I can help.</p><p>Which order?</p>' });
    const res = await send(notification);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
    expect(inbound.calls).toEqual([
      {
        botId: BOT,
        deskConversationId: conversationId,
        event: { type: 'agent_message', eventId: notification.id, text: "Hi, I'm Anna & I can help.\nWhich order?", agentName: fake.admin.name, agentId: fake.admin.id },
        outcome: 'delivered',
      },
    ]);
  });

  test('attachments follow the text, one line each', async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>Here is the label</p>', attachments: [{ name: 'label.pdf', url: 'https://files.example/label.pdf' }] });
    await send(notification);
    expect(inbound.events).toMatchObject([{ type: 'agent_message', text: 'Here is the label\nlabel.pdf: https://files.example/label.pdf' }]);
  });

  test('a notification with several replies gives each its own event id', async () => {
    const first = fake.adminReply(conversationId, { body: '<p>one</p>' });
    const second = fake.adminReply(conversationId, { body: '<p>two</p>' });
    const parts = [...(first.data.item as any).conversation_parts.conversation_parts, ...(second.data.item as any).conversation_parts.conversation_parts];
    const item = { ...(second.data.item as object), conversation_parts: { type: 'conversation_part.list', conversation_parts: parts, total_count: 2 } };
    const both = fake.notification('conversation.admin.replied', item);
    await send(both);
    expect(inbound.events).toEqual([
      expect.objectContaining({ text: 'one', eventId: `${both.id}:${parts[0].id}` }),
      expect.objectContaining({ text: 'two', eventId: `${both.id}:${parts[1].id}` }),
    ]);
  });

  test('closing becomes closed; a closing message comes first, as an agent message', async () => {
    const quiet = fake.adminClose(conversationId);
    await send(quiet);
    expect(inbound.events).toEqual([{ type: 'closed', eventId: quiet.id }]);

    const other = fake.addConversation().id;
    inbound.known.add(other);
    const withMessage = fake.adminClose(other, { body: '<p>Solved, have a nice day!</p>' });
    await send(withMessage);
    const part = (withMessage.data.item as any).conversation_parts.conversation_parts[0];
    expect(inbound.events.slice(1)).toEqual([
      { type: 'agent_message', eventId: `${withMessage.id}:${part.id}`, text: 'Solved, have a nice day!', agentName: fake.admin.name, agentId: fake.admin.id },
      { type: 'closed', eventId: withMessage.id },
    ]);
  });

  test('snoozed and read are activity', async () => {
    const snoozed = fake.adminSnooze(conversationId);
    const read = fake.markRead(conversationId);
    await send(snoozed);
    await send(read);
    expect(inbound.events).toEqual([
      { type: 'activity', eventId: snoozed.id, what: 'snoozed' },
      { type: 'activity', eventId: read.id, what: 'read' },
    ]);
  });

  test.each([
    ['Fin (a bot) replying', () => fake.adminReply(conversationId, { body: '<p>I am Fin</p>', authorType: 'bot' })],
    ['an internal note', () => fake.adminReply(conversationId, { body: '<p>VIP customer</p>', note: true })],
    ['a note under the replied topic', () => fake.adminReply(conversationId, { body: '<p>VIP customer</p>', note: true, topic: 'conversation.admin.replied' })],
    ["the contact's own message", () => fake.userRepliedNotification(conversationId, 'hello from the messenger')],
    ['a reply with nothing to show', () => fake.adminReply(conversationId, { body: '<p><br></p>' })],
    ['the ping', () => fake.ping()],
    ['a topic we do not use', () => fake.notification('contact.created', { type: 'contact', id: 'abc' })],
  ])('%s is acknowledged and not relayed', async (_name, make) => {
    const res = await send(make());
    expect(res.status).toBe(200);
    expect(inbound.calls).toHaveLength(0);
  });

  test('a re-delivery has the same event id and is acknowledged as a duplicate', async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>once</p>' });
    const first = await send(notification);
    const again = await send({ ...notification, delivery_attempts: 2 });
    expect([first.status, again.status]).toEqual([200, 200]);
    expect(inbound.calls.map((c) => [c.event.eventId, c.outcome])).toEqual([
      [notification.id, 'delivered'],
      [notification.id, 'duplicate'],
    ]);
  });

  test('a conversation without a handoff is acknowledged', async () => {
    const stranger = fake.addConversation().id;
    const res = await send(fake.adminClose(stranger, { body: '<p>bye</p>' }));
    expect(res.status).toBe(200);
    expect(inbound.calls.map((c) => c.outcome)).toEqual(['unknown_conversation']);
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'info', message: expect.stringContaining('without a handoff') }));
  });

  test('an old notification is still taken (Intercom retries for hours; no timestamp is signed)', async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>late</p>' });
    const res = await send({ ...notification, created_at: notification.created_at - 86_400, first_sent_at: notification.created_at - 86_400 });
    expect(res.status).toBe(200);
    expect(inbound.events).toMatchObject([{ text: 'late' }]);
  });

  test('when the handoff service fails, the answer is 500 so that Intercom delivers again', async () => {
    inbound.failWith = new Error('database is locked');
    const res = await send(fake.adminReply(conversationId, { body: '<p>hi</p>' }));
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('internal_error');
    expect(res.text).not.toContain('database is locked');
  });
});

describe('the signature is checked over the exact bytes, before anything else', () => {
  test('bytes our serializer would never produce (indentation, key order, escaped non-ASCII) verify as sent', async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>Grüße aus Köln 👋</p>' });
    const { data, ...rest } = notification;
    const raw = `{\n   "data" :  ${JSON.stringify(data, null, 3)},\n${JSON.stringify(rest, null, 1).slice(1)}`.replace(/ü/g, '\\u00fc').replace(/ö/g, '\\u00f6');
    expect(JSON.stringify(JSON.parse(raw))).not.toBe(raw);
    const res = await post(raw);
    expect(res.status, res.text).toBe(200);
    expect(inbound.events).toMatchObject([{ text: 'Grüße aus Köln 👋', eventId: notification.id }]);
  });

  test('a signature made with another secret → 401 invalid_signature, nothing delivered, no secret logged', async () => {
    const res = await send(fake.adminReply(conversationId, { body: '<p>forged</p>' }), { signWith: 'someone-elses-secret' });
    expectRefused(res, 401, 'invalid_signature');
    expect(log.entries).toContainEqual(expect.objectContaining({ level: 'warn', message: expect.stringContaining('signature') }));
    expect(JSON.stringify(log.entries)).not.toContain(fake.clientSecret);
  });

  test('no signature → 401', async () => {
    expectRefused(await send(fake.adminReply(conversationId, { body: '<p>x</p>' }), { signature: null }), 401, 'invalid_signature');
  });

  test.each([
    ['sha256 instead of sha1', (raw: string) => `sha256=${signIntercomBody(fake.clientSecret, raw).slice(5)}`],
    ['no prefix', (raw: string) => signIntercomBody(fake.clientSecret, raw).slice(5)],
    ['a truncated digest', (raw: string) => signIntercomBody(fake.clientSecret, raw).slice(0, -2)],
    ['an empty header', () => ''],
    ['not hex', () => `sha1=${'z'.repeat(40)}`],
  ])('a malformed header (%s) → 401', async (_name, header) => {
    const raw = JSON.stringify(fake.adminReply(conversationId, { body: '<p>x</p>' }));
    expectRefused(await post(raw, { signature: header(raw) }), 401, 'invalid_signature');
  });

  test('a body changed after signing → 401, even by one space', async () => {
    const raw = JSON.stringify(fake.adminReply(conversationId, { body: '<p>x</p>' }));
    expectRefused(await post(`${raw} `, { signature: signIntercomBody(fake.clientSecret, raw) }), 401, 'invalid_signature');
    expectRefused(await post(raw.replace('<p>x</p>', '<p>y</p>'), { signature: signIntercomBody(fake.clientSecret, raw) }), 401, 'invalid_signature');
  });

  test('an unsigned body that is not even JSON is refused for its signature, not its shape', async () => {
    expectRefused(await post('{nope', { signature: null }), 401, 'invalid_signature');
  });

  test('unknown bots and bots without an Intercom desk → 404', async () => {
    const raw = JSON.stringify(fake.adminReply(conversationId, { body: '<p>x</p>' }));
    expectRefused(await post(raw, { botId: 'bot_unknown' }), 404, 'not_found');
    expectRefused(await post(raw, { botId: 'bot_without_secret' }), 404, 'not_found');
  });
});

describe('signed but malformed', () => {
  test('not JSON → 400 malformed_json', async () => {
    expectRefused(await post('{"type": "notification_event",'), 400, 'malformed_json');
  });

  test('not UTF-8 → 400 malformed_json', async () => {
    expectRefused(await post(new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d])), 400, 'malformed_json');
  });

  test('an envelope without an id → 400 naming body.id', async () => {
    const { id: _id, ...rest } = fake.adminReply(conversationId, { body: '<p>x</p>' });
    const res = await post(JSON.stringify(rest));
    expectRefused(res, 400, 'invalid_request');
    expect(res.body.error.message).toBe('body.id: is required');
  });

  test('a conversation item without an id → 400 naming body.data.item.id', async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>x</p>' });
    const { id: _id, ...item } = notification.data.item as Record<string, unknown>;
    const res = await send({ ...notification, data: { ...notification.data, item } });
    expectRefused(res, 400, 'invalid_request');
    expect(res.body.error.message).toBe('body.data.item.id: is required');
  });

  test('a part without an author → 400 naming the field', async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>x</p>' });
    const item = notification.data.item as any;
    delete item.conversation_parts.conversation_parts[0].author;
    const res = await send(notification);
    expectRefused(res, 400, 'invalid_request');
    expect(res.body.error.message).toBe('body.data.item.conversation_parts.conversation_parts.0.author: is required');
  });

  test(`a body over ${INTERCOM_WEBHOOK_BODY_LIMIT} bytes → 413`, async () => {
    const notification = fake.adminReply(conversationId, { body: `<p>${'x'.repeat(INTERCOM_WEBHOOK_BODY_LIMIT)}</p>` });
    expectRefused(await send(notification), 413, 'payload_too_large');
  });
});

describe('the OpenAPI description', () => {
  test('documents both routes as public, with the notification as the POST body', () => {
    const router = intercomRoutes({ config: () => undefined, inbound, log });
    const document = openApiDocument(router.specs, { title: 't', version: '1' }) as any;
    const path = document.paths['/hooks/intercom/{botId}'];
    expect(Object.keys(path).sort()).toEqual(['get', 'post']);
    expect(path.post['x-access']).toBe('public');
    expect(path.post.requestBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['type', 'id', 'topic', 'data']));
  });
});

describe('over real HTTP, with the fake as the emitter', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: (request) => app.fetch(request), port: 0, hostname: '127.0.0.1' }, () => resolve(started as Server));
    });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/intercom/${BOT}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('saving the subscription: the HEAD check passes and the ping is taken', async () => {
    const result = await fake.subscribe(url);
    expect(result).toMatchObject({ ok: true, probeStatus: 200, ping: { status: 200 } });
    expect(inbound.calls).toHaveLength(0);
  });

  test('a URL for a bot without Intercom fails the check', async () => {
    const result = await fake.subscribe(url.replace(BOT, 'bot_unknown'));
    expect(result).toEqual({ ok: false, probeStatus: 404 });
  });

  test('a signed reply is delivered; re-deliveries (new attempt or the same bytes) are acknowledged as duplicates', async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>Bonjour, c’est Anna</p>' });
    expect((await fake.emit(url, notification)).status).toBe(200);
    expect((await fake.redeliver(url, notification.id)).status).toBe(200);
    expect((await fake.redeliver(url, notification.id, { sameBytes: true })).status).toBe(200);
    expect(inbound.calls.map((c) => [c.event.eventId, c.outcome])).toEqual([
      [notification.id, 'delivered'],
      [notification.id, 'duplicate'],
      [notification.id, 'duplicate'],
    ]);
    expect(inbound.events[0]).toMatchObject({ type: 'agent_message', text: 'Bonjour, c’est Anna' });
  });

  test.each(['bad', 'none', 'malformed'] as const)('a %s signature → 401 and nothing delivered', async (signature) => {
    const delivery = await fake.emit(url, fake.adminReply(conversationId, { body: '<p>x</p>' }), { signature });
    expect(delivery.status).toBe(401);
    expect(inbound.calls).toHaveLength(0);
  });

  test('a body altered in transit → 401', async () => {
    const notification = fake.adminReply(conversationId, { body: '<p>x</p>' });
    const delivery = await fake.emit(url, notification, { signBody: JSON.stringify({ ...notification, topic: 'ping' }) });
    expect(delivery.status).toBe(401);
  });
});
