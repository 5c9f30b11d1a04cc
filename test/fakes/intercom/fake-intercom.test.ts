// The fake Intercom checks what Intercom checks and its emitter signs like Intercom does.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { signIntercomBody, startFakeIntercom, type FakeIntercom } from './fake-intercom.js';

const T0 = 1_700_000_003_000;
let t = T0;
let fake: FakeIntercom;

beforeAll(async () => {
  fake = await startFakeIntercom({ now: () => t });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => {
  t = T0;
  fake.reset();
});

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function call(method: string, path: string, body?: unknown, headers: Record<string, string | null> = {}): Promise<Answer> {
  const all: Record<string, string> = {};
  const defaults: Record<string, string | null> = {
    authorization: `Bearer ${fake.accessToken}`,
    'intercom-version': '2.14',
    accept: 'application/json',
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...headers,
  };
  for (const [name, value] of Object.entries(defaults)) if (value !== null) all[name] = value;
  const res = await fetch(`${fake.baseUrl}${path}`, {
    method,
    headers: all,
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const createContact = (body: Record<string, unknown>) => call('POST', '/contacts', body);
const search = (query: unknown) => call('POST', '/contacts/search', { query });
const startConversation = (contactId: string, body = 'Hello', type = 'user') => call('POST', '/conversations', { from: { type, id: contactId }, body });

function expectError(answer: Answer, status: number, code: string, message?: string | RegExp): void {
  expect(answer.status).toBe(status);
  expect(answer.body).toMatchObject({ type: 'error.list', request_id: expect.any(String), errors: [{ code }] });
  if (message !== undefined) expect(answer.body.errors[0].message).toMatch(message);
}

describe('authentication and version', () => {
  test('no bearer token → 401 unauthorized', async () => {
    expectError(await call('GET', '/me', undefined, { authorization: null }), 401, 'unauthorized', 'Access Token Invalid');
  });

  test('a wrong token, or the right one without "Bearer" → 401', async () => {
    expectError(await call('GET', '/me', undefined, { authorization: 'Bearer nope' }), 401, 'unauthorized');
    expectError(await call('GET', '/me', undefined, { authorization: fake.accessToken }), 401, 'unauthorized');
  });

  test('GET /me names the admin and the workspace', async () => {
    const me = await call('GET', '/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ type: 'admin', id: fake.admin.id, email: fake.admin.email, app: { type: 'app', id_code: fake.appId } });
  });

  test('an Intercom-Version outside the list → 400; none → the app default', async () => {
    expectError(await call('GET', '/me', undefined, { 'intercom-version': '9.9' }), 400, 'intercom_version_invalid');
    expect((await call('GET', '/me', undefined, { 'intercom-version': null })).status).toBe(200);
    expect((await call('GET', '/me', undefined, { 'intercom-version': '2.11' })).status).toBe(200);
  });

  test('unknown paths → 404 not_found', async () => {
    expectError(await call('GET', '/nothing/here'), 404, 'not_found');
  });

  test('a body that is not JSON → 400', async () => {
    expectError(await call('POST', '/contacts', '{"email":'), 400, 'bad_request');
  });
});

describe('rate limits', () => {
  test('every answer carries X-RateLimit-Limit/Remaining/Reset, errors included', async () => {
    for (const answer of [await call('GET', '/me'), await call('GET', '/me', undefined, { authorization: null }), await call('GET', '/nope')]) {
      expect(answer.headers.get('x-ratelimit-limit')).toBe('1666');
      expect(answer.headers.get('x-ratelimit-remaining')).toMatch(/^\d+$/);
      expect(answer.headers.get('x-ratelimit-reset')).toBe('1700000010');
    }
  });

  test('past the limit: 429 rate_limit_exceeded with Remaining 0 and no Retry-After, until the window resets', async () => {
    const limited = await startFakeIntercom({ now: () => t, rateLimit: { limit: 2, windowMs: 10_000 } });
    try {
      const get = () => fetch(`${limited.baseUrl}/me`, { headers: { authorization: `Bearer ${limited.accessToken}` } });
      const answers = [await get(), await get(), await get()];
      expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
      expect(answers.map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual(['1', '0', '0']);
      const third = answers[2]!;
      expect(third.headers.get('retry-after')).toBeNull();
      expect(third.headers.get('x-ratelimit-reset')).toBe('1700000010');
      expect(await third.json()).toMatchObject({ errors: [{ code: 'rate_limit_exceeded' }] });
      t = 1_700_000_010_000;
      expect((await get()).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('contacts', () => {
  test('created contacts have Intercom\'s shape', async () => {
    const created = await createContact({ email: 'jo@example.com', external_id: 'u-1', name: 'Jo' });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({
      type: 'contact',
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      workspace_id: fake.appId,
      role: 'user',
      email: 'jo@example.com',
      external_id: 'u-1',
      name: 'Jo',
      created_at: T0 / 1000,
      tags: { type: 'list', data: [] },
    });
  });

  test('a duplicate email or external id → 409 conflict naming the existing id', async () => {
    const first = (await createContact({ email: 'jo@example.com', external_id: 'u-1' })).body.id;
    expectError(await createContact({ email: 'JO@example.com' }), 409, 'conflict', `A contact matching those details already exists with id=${first}`);
    expectError(await createContact({ external_id: 'u-1', email: 'other@example.com' }), 409, 'conflict', new RegExp(`id=${first}$`));
  });

  test('leads may share an email', async () => {
    expect((await createContact({ email: 'jo@example.com', role: 'lead' })).status).toBe(200);
    expect((await createContact({ email: 'jo@example.com', role: 'lead' })).status).toBe(200);
  });

  test('no email, external id or role → 400; a bad email or role → 400', async () => {
    expectError(await createContact({ name: 'nobody' }), 400, 'parameter_not_found');
    expectError(await createContact({ email: 'not-an-email' }), 400, 'parameter_invalid');
    expectError(await createContact({ role: 'admin' }), 400, 'parameter_invalid');
  });

  test('GET /contacts/:id and find_by_external_id (users only)', async () => {
    const user = fake.addContact({ external_id: 'u-9' });
    fake.addContact({ external_id: 'l-9', role: 'lead' });
    expect((await call('GET', `/contacts/${user.id}`)).body.id).toBe(user.id);
    expect((await call('GET', '/contacts/find_by_external_id/u-9')).body.id).toBe(user.id);
    expectError(await call('GET', '/contacts/find_by_external_id/l-9'), 404, 'not_found', 'User Not Found');
    expectError(await call('GET', '/contacts/000000000000000000000000'), 404, 'not_found');
  });
});

describe('contact search', () => {
  test('= on email is case-insensitive; OR and AND combine', async () => {
    const a = fake.addContact({ email: 'a@example.com', external_id: 'u-a' });
    const b = fake.addContact({ email: 'b@example.com', role: 'lead' });
    const ids = async (query: unknown) => ((await search(query)).body.data as { id: string }[]).map((c) => c.id);

    expect(await ids({ field: 'email', operator: '=', value: 'A@EXAMPLE.COM' })).toEqual([a.id]);
    expect(await ids({ operator: 'OR', value: [{ field: 'external_id', operator: '=', value: 'u-a' }, { field: 'email', operator: '=', value: 'b@example.com' }] })).toEqual([a.id, b.id]);
    expect(await ids({ operator: 'AND', value: [{ field: 'email', operator: '~', value: 'example' }, { field: 'role', operator: '=', value: 'lead' }] })).toEqual([b.id]);
    const list = await search({ field: 'email', operator: '=', value: 'nobody@example.com' });
    expect(list.body).toEqual({ type: 'list', data: [], total_count: 0, pages: { type: 'pages', page: 1, per_page: 50, total_pages: 1 } });
  });

  test('more than two levels of nesting, or IN without a list → 400', async () => {
    const leaf = { field: 'email', operator: '=', value: 'x@example.com' };
    expectError(await search({ operator: 'OR', value: [{ operator: 'AND', value: [{ operator: 'OR', value: [leaf] }] }] }), 400, 'parameter_invalid');
    expectError(await search({ field: 'email', operator: 'IN', value: 'x@example.com' }), 400, 'parameter_invalid');
    expectError(await call('POST', '/contacts/search', {}), 400, 'parameter_not_found');
  });

  test('search lag: a new contact is missing from search until the lag passes, yet blocks duplicates at once', async () => {
    fake.setSearchLag(60_000);
    const created = await createContact({ email: 'new@example.com' });
    const query = { field: 'email', operator: '=', value: 'new@example.com' };
    expect((await search(query)).body.data).toEqual([]);
    expectError(await createContact({ email: 'new@example.com' }), 409, 'conflict', new RegExp(created.body.id));
    t += 60_000;
    expect((await search(query)).body.data.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
  });
});

describe('conversations', () => {
  test('a contact starts one: the answer is a user_message with the conversation id', async () => {
    const contact = fake.addContact({ email: 'jo@example.com', name: 'Jo' });
    const answer = await startConversation(contact.id, 'Line one\nLine two');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ type: 'user_message', id: expect.any(String), created_at: T0 / 1000, body: 'Line one\nLine two', message_type: 'inapp', conversation_id: expect.stringMatching(/^\d+$/) });
    const conversation = (await call('GET', `/conversations/${answer.body.conversation_id}`)).body;
    expect(conversation).toMatchObject({
      type: 'conversation',
      state: 'open',
      open: true,
      source: { body: '<p>Line one</p><p>Line two</p>', author: { type: 'user', id: contact.id } },
      contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: contact.id }] },
    });
    expect((await call('GET', `/conversations/${answer.body.conversation_id}?display_as=plaintext`)).body.source.body).toBe('Line one\nLine two');
  });

  test('an unknown contact, or the wrong from.type → 404 User Not Found', async () => {
    const lead = fake.addContact({ email: 'l@example.com', role: 'lead' });
    expectError(await startConversation('000000000000000000000000'), 404, 'not_found', 'User Not Found');
    expectError(await startConversation(lead.id, 'hi', 'user'), 404, 'not_found', 'User Not Found');
    expect((await startConversation(lead.id, 'hi', 'lead')).status).toBe(200);
    expect((await startConversation(lead.id, 'hi', 'contact')).status).toBe(200);
  });

  test('an empty body or a bad from → 400', async () => {
    const contact = fake.addContact({ email: 'jo@example.com' });
    expectError(await startConversation(contact.id, '   '), 400, 'parameter_not_found');
    expectError(await call('POST', '/conversations', { from: { type: 'admin', id: contact.id }, body: 'x' }), 400, 'parameter_invalid');
    expectError(await call('POST', '/conversations', { body: 'x' }), 400, 'parameter_not_found');
  });

  test('a brand-new contact cannot write until the availability lag passes', async () => {
    fake.setContactAvailabilityLag(3_000);
    const created = await createContact({ email: 'new@example.com' });
    expectError(await startConversation(created.body.id), 404, 'not_found', 'User Not Found');
    t += 3_000;
    expect((await startConversation(created.body.id)).status).toBe(200);
  });
});

describe('replies', () => {
  let contactId: string;
  let conversationId: string;
  beforeEach(async () => {
    contactId = fake.addContact({ email: 'jo@example.com', external_id: 'u-1' }).id;
    conversationId = (await startConversation(contactId)).body.conversation_id;
  });
  const reply = (body: Record<string, unknown>, id = conversationId) => call('POST', `/conversations/${id}/reply`, body);

  test('a contact reply by intercom_user_id, email or user_id answers the conversation with the new part', async () => {
    for (const who of [{ intercom_user_id: contactId }, { email: 'jo@example.com' }, { user_id: 'u-1' }]) {
      const answer = await reply({ type: 'user', message_type: 'comment', body: 'more', ...who });
      expect(answer.status).toBe(200);
      expect(answer.body.conversation_parts.conversation_parts).toEqual([
        expect.objectContaining({ type: 'conversation_part', part_type: 'comment', body: '<p>more</p>', author: expect.objectContaining({ type: 'user', id: contactId }) }),
      ]);
    }
  });

  test('none or several identifiers, a note from a user, an empty body → 400', async () => {
    expectError(await reply({ type: 'user', message_type: 'comment', body: 'x' }), 400, 'parameter_invalid');
    expectError(await reply({ type: 'user', message_type: 'comment', body: 'x', intercom_user_id: contactId, email: 'jo@example.com' }), 400, 'parameter_invalid');
    expectError(await reply({ type: 'user', message_type: 'note', body: 'x', intercom_user_id: contactId }), 400, 'parameter_invalid');
    expectError(await reply({ type: 'user', message_type: 'comment', body: '', intercom_user_id: contactId }), 400, 'parameter_not_found');
  });

  test('someone who is not in the conversation → 400; an unknown conversation → 404', async () => {
    const stranger = fake.addContact({ email: 'x@example.com' });
    expectError(await reply({ type: 'user', message_type: 'comment', body: 'x', intercom_user_id: stranger.id }), 400, 'parameter_invalid');
    expectError(await reply({ type: 'user', message_type: 'comment', body: 'x', intercom_user_id: contactId }, '999999'), 404, 'not_found');
  });

  test('a contact reply re-opens a closed or snoozed conversation', async () => {
    fake.adminClose(conversationId);
    const answer = await reply({ type: 'user', message_type: 'comment', body: 'back again', intercom_user_id: contactId });
    expect(answer.body).toMatchObject({ state: 'open', open: true, conversation_parts: { conversation_parts: [{ part_type: 'open' }] } });
    fake.adminSnooze(conversationId);
    expect((await reply({ type: 'user', message_type: 'comment', body: 'hello?', intercom_user_id: contactId })).body).toMatchObject({ state: 'open', snoozed_until: null });
  });

  test('admin replies and notes through the API; plaintext display strips the HTML', async () => {
    expect((await reply({ type: 'admin', message_type: 'comment', admin_id: fake.admin.id, body: '<p>Hi &amp; welcome</p>' })).status).toBe(200);
    expect((await reply({ type: 'admin', message_type: 'note', admin_id: fake.admin.id, body: '<p>internal</p>' })).status).toBe(200);
    expectError(await reply({ type: 'admin', message_type: 'comment', admin_id: '1', body: 'x' }), 404, 'not_found');
    const plain = await call('GET', `/conversations/${conversationId}?display_as=plaintext`);
    expect(plain.body.conversation_parts.conversation_parts.map((p: { part_type: string; body: string }) => [p.part_type, p.body])).toEqual([
      ['comment', 'Hi & welcome'],
      ['note', 'internal'],
    ]);
  });
});

describe('fault injection and records', () => {
  test('every request is recorded with method, path, query, headers and raw body', async () => {
    await call('POST', '/contacts/search?x=1', '{ "query" : {"field":"email","operator":"=","value":"a@b.co"} }');
    expect(fake.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/contacts/search',
        query: { x: '1' },
        rawBody: '{ "query" : {"field":"email","operator":"=","value":"a@b.co"} }',
        route: 'POST /contacts/search',
        status: 200,
        headers: expect.objectContaining({ authorization: `Bearer ${fake.accessToken}`, 'intercom-version': '2.14' }),
      }),
    ]);
  });

  test('failNext fails the next N requests of a route with Intercom\'s error body and rate-limit headers', async () => {
    fake.failNext('GET /me', 503, { times: 2 });
    expectError(await call('GET', '/me'), 503, 'service_unavailable');
    expectError(await call('GET', '/me'), 503, 'service_unavailable');
    expect((await call('GET', '/me')).status).toBe(200);

    fake.failNext('*', 500);
    const failed = await call('POST', '/contacts', { email: 'x@example.com' });
    expectError(failed, 500, 'server_error');
    expect(failed.headers.get('x-ratelimit-reset')).toBe('1700000010');
    expect(fake.contacts()).toHaveLength(0);
  });

  test('failNext with afterHandling: the write happens, the caller sees the failure', async () => {
    fake.failNext('POST /contacts', 502, { afterHandling: true });
    expectError(await createContact({ email: 'x@example.com' }), 502, 'server_error');
    expect(fake.contacts()).toHaveLength(1);
  });

  test('failNext headers and body replace the defaults', async () => {
    fake.failNext('GET /me', 429, { headers: { 'retry-after': '7', 'x-ratelimit-reset': null }, body: { custom: true } });
    const answer = await call('GET', '/me');
    expect(answer.status).toBe(429);
    expect(answer.body).toEqual({ custom: true });
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.headers.get('x-ratelimit-reset')).toBeNull();
  });

  test('dropNext cuts the connection; delayNext holds the answer', async () => {
    fake.dropNext('GET /me');
    await expect(call('GET', '/me')).rejects.toThrow();
    fake.delayNext('GET /me', 150);
    const started = Date.now();
    expect((await call('GET', '/me')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('the emitter', () => {
  interface Received {
    method: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
  }
  let receiver: Server;
  let url: string;
  const received: Received[] = [];
  let answer = 200;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(answer).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/intercom/bot_1`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });
  afterEach(() => {
    received.length = 0;
    answer = 200;
  });

  const hmac = (key: string, body: Buffer) => `sha1=${createHmac('sha1', key).update(body).digest('hex')}`;

  test('signs the exact bytes it sends with the client secret (sha1=<hex>), with Intercom\'s headers', async () => {
    const conversation = fake.addConversation();
    const notification = fake.adminReply(conversation.id, { body: '<p>Grüße</p>' });
    const delivery = await fake.emit(url, notification);
    const [got] = received;
    expect(got!.method).toBe('POST');
    expect(got!.headers['x-hub-signature']).toBe(hmac(fake.clientSecret, got!.body));
    expect(got!.headers['x-hub-signature']).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(got!.headers['content-type']).toBe('application/json');
    expect(got!.headers['user-agent']).toBe('intercom-parrot-service-client/1.0');
    expect(got!.body.toString('utf8')).toBe(delivery.rawBody);
    expect(delivery).toMatchObject({ status: 200, notificationId: notification.id, topic: 'conversation.admin.replied' });
    expect(signIntercomBody(fake.clientSecret, got!.body)).toBe(got!.headers['x-hub-signature']);
  });

  test('a custom body is sent and signed byte for byte', async () => {
    const body = '{ "id" : "notif_1",  "topic":"ping", "note":"caf\\u00e9 ☕" }';
    await fake.emit(url, fake.ping(), { body });
    expect(received[0]!.body.toString('utf8')).toBe(body);
    expect(received[0]!.headers['x-hub-signature']).toBe(hmac(fake.clientSecret, Buffer.from(body, 'utf8')));
  });

  test('signature knobs: bad (well-formed, wrong key), none, malformed, another secret, a body altered after signing', async () => {
    const notification = fake.ping();
    await fake.emit(url, notification, { signature: 'bad' });
    await fake.emit(url, notification, { signature: 'none' });
    await fake.emit(url, notification, { signature: 'malformed' });
    await fake.emit(url, notification, { secret: 'hub-secret' });
    await fake.emit(url, notification, { signBody: '{}' });
    const [bad, none, malformed, legacy, altered] = received;
    expect(bad!.headers['x-hub-signature']).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(bad!.headers['x-hub-signature']).not.toBe(hmac(fake.clientSecret, bad!.body));
    expect(none!.headers['x-hub-signature']).toBeUndefined();
    expect(malformed!.headers['x-hub-signature']).toMatch(/^sha256=/);
    expect(legacy!.headers['x-hub-signature']).toBe(hmac('hub-secret', legacy!.body));
    expect(altered!.headers['x-hub-signature']).toBe(hmac(fake.clientSecret, Buffer.from('{}')));
  });

  test('re-delivery keeps the id and counts the attempt; sameBytes replays the bytes', async () => {
    const notification = fake.adminClose(fake.addConversation().id);
    await fake.emit(url, notification);
    await fake.redeliver(url, notification.id);
    await fake.redeliver(url, notification.id, { sameBytes: true });
    const bodies = received.map((r) => JSON.parse(r.body.toString('utf8')));
    expect(bodies.map((b) => [b.id, b.delivery_attempts])).toEqual([
      [notification.id, 1],
      [notification.id, 2],
      [notification.id, 2],
    ]);
    expect(received[2]!.body.equals(received[1]!.body)).toBe(true);
    for (const r of received) expect(r.headers['x-hub-signature']).toBe(hmac(fake.clientSecret, r.body));
    expect(fake.deliveries).toHaveLength(3);
  });

  test('subscribing sends HEAD and a ping; a non-2xx check fails the setup without a ping', async () => {
    expect(await fake.subscribe(url)).toMatchObject({ ok: true, probeStatus: 200 });
    expect(received.map((r) => r.method)).toEqual(['HEAD', 'POST']);
    expect(JSON.parse(received[1]!.body.toString('utf8'))).toMatchObject({ type: 'notification_event', topic: 'ping', app_id: fake.appId });
    received.length = 0;
    answer = 404;
    expect(await fake.subscribe(url)).toEqual({ ok: false, probeStatus: 404 });
    expect(received.map((r) => r.method)).toEqual(['HEAD']);
  });
});

describe('what teammates do', () => {
  let conversationId: string;
  beforeEach(() => {
    conversationId = fake.addConversation().id;
  });
  const onlyPart = (n: { data: { item: unknown } }) => (n.data.item as any).conversation_parts.conversation_parts;

  test('a teammate reply: topic conversation.admin.replied, one admin comment part, HTML body; the conversation waits no more', () => {
    const n = fake.adminReply(conversationId, { body: '<p>Hi</p>' });
    expect(n).toMatchObject({ type: 'notification_event', id: expect.stringMatching(/^notif_/), topic: 'conversation.admin.replied', app_id: fake.appId, delivery_attempts: 1, data: { type: 'notification_event_data', item: { type: 'conversation', id: conversationId } } });
    expect(onlyPart(n)).toEqual([expect.objectContaining({ part_type: 'comment', body: '<p>Hi</p>', author: expect.objectContaining({ type: 'admin', id: fake.admin.id }) })]);
    expect(fake.conversation(conversationId)).toMatchObject({ waiting_since: null, admin_assignee_id: Number(fake.admin.id) });
  });

  test('Fin replies as a bot; notes are notes, under conversation.admin.noted', () => {
    expect(onlyPart(fake.adminReply(conversationId, { body: '<p>I am Fin</p>', authorType: 'bot' }))[0].author.type).toBe('bot');
    const note = fake.adminReply(conversationId, { body: '<p>psst</p>', note: true });
    expect(note.topic).toBe('conversation.admin.noted');
    expect(onlyPart(note)[0].part_type).toBe('note');
  });

  test('another teammate can reply', () => {
    const bob = fake.addAdmin({ name: 'Bob' });
    expect(onlyPart(fake.adminReply(conversationId, { body: 'x', adminId: bob.id }))[0].author).toMatchObject({ id: bob.id, name: 'Bob' });
  });

  test('close, snooze and read change the state', () => {
    const snoozed = fake.adminSnooze(conversationId, { untilUnix: 1_700_009_999 });
    expect(snoozed).toMatchObject({ topic: 'conversation.admin.snoozed', data: { item: { state: 'snoozed', snoozed_until: 1_700_009_999 } } });
    expect(onlyPart(snoozed)[0].part_type).toBe('snoozed');
    expect(fake.markRead(conversationId)).toMatchObject({ topic: 'conversation.read', data: { item: { read: true } } });
    const closed = fake.adminClose(conversationId, { body: '<p>bye</p>' });
    expect(closed).toMatchObject({ topic: 'conversation.admin.closed', data: { item: { state: 'closed', open: false } } });
    expect(onlyPart(closed)).toEqual([expect.objectContaining({ part_type: 'close', body: '<p>bye</p>' })]);
    expect(fake.conversation(conversationId)?.state).toBe('closed');
  });
});
