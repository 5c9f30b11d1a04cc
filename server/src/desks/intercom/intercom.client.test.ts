// The Intercom client against the fake Intercom over real HTTP on 127.0.0.1.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { intercomError, startFakeIntercom, type FakeIntercom } from '../../../../test/fakes/intercom/fake-intercom.js';
import { DeskError, type DeskCloseReason, type DeskSession, type EstablishRequest } from '../sdk/index.js';
import type { IntercomConfig } from './intercom.config.js';
import { BATON_MARK, CLOSE_NOTES, INTERCOM_VERSION, createIntercomClient, intercomConversationBody } from './intercom.client.js';

const T0 = 1_700_000_003_000;
let t = T0;
let fake: FakeIntercom;
const client = createIntercomClient({ now: () => t, timeoutMs: 500 });

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

const config = (): IntercomConfig => ({ accessToken: fake.accessToken, clientSecret: fake.clientSecret, apiBaseUrl: fake.baseUrl });

let handoffs = 0;
function handoff(overrides: Partial<EstablishRequest> = {}): EstablishRequest {
  handoffs += 1;
  return {
    conversationId: `cnv_${handoffs}`,
    botId: 'bot_1',
    email: 'jo@example.com',
    user: { name: 'Jo Doe' },
    history: [
      { role: 'user', text: 'Hi' },
      { role: 'bot', text: 'Hello! How can I help?' },
      { role: 'user', text: 'My parcel never arrived' },
    ],
    idempotencyKey: `hk_${handoffs}`,
    ...overrides,
  };
}

const routes = () => fake.requests.map((r) => `${r.method} ${r.path}`);
const json = (raw: string) => JSON.parse(raw) as any;

async function failureOf(promise: Promise<unknown>): Promise<DeskError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeskError);
  // No credentials in anything that may end up in a log.
  expect((error as DeskError).message).not.toContain(fake.accessToken);
  expect((error as DeskError).message).not.toContain(fake.clientSecret);
  return error as DeskError;
}

describe('establish', () => {
  test('a new email: searches, creates the user, and starts the conversation as them with the history as plain text', async () => {
    const request = handoff();
    const session = await client.establish(config(), request);

    expect(routes()).toEqual(['POST /contacts/search', 'POST /contacts', 'POST /conversations']);
    for (const r of fake.requests) {
      expect(r.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
      expect(r.headers['intercom-version']).toBe(INTERCOM_VERSION);
      expect(r.headers.accept).toBe('application/json');
      expect(r.headers['content-type']).toBe('application/json');
      expect(r.status).toBe(200);
    }
    expect(json(fake.requests[0]!.rawBody)).toEqual({ query: { field: 'email', operator: '=', value: 'jo@example.com' }, pagination: { per_page: 20 } });
    expect(json(fake.requests[1]!.rawBody)).toEqual({ role: 'user', email: 'jo@example.com', name: 'Jo Doe' });

    const [contact] = fake.contacts();
    expect(contact).toMatchObject({ role: 'user', email: 'jo@example.com', name: 'Jo Doe' });
    const body = [
      `Chat handed over by the Baton bot (conversation ${request.conversationId}).`,
      'Email: jo@example.com',
      'Name: Jo Doe',
      '',
      'User: Hi',
      'Bot: Hello! How can I help?',
      'User: My parcel never arrived',
    ].join('\n');
    expect(json(fake.requests[2]!.rawBody)).toEqual({ from: { type: 'user', id: contact!.id }, body });

    const conversation = fake.conversation(session.deskConversationId);
    expect(conversation?.source.author).toMatchObject({ type: 'user', id: contact!.id });
    expect(conversation?.state).toBe('open');
    expect(session.data).toEqual({ contactId: contact!.id, contactType: 'user' });
  });

  test('a contact found by external id is used and nothing is created; the search asks for either identifier', async () => {
    const existing = fake.addContact({ external_id: 'u-42', email: 'old@example.com' });
    const session = await client.establish(config(), handoff({ user: { externalId: 'u-42' }, email: 'jo@example.com' }));

    expect(routes()).toEqual(['POST /contacts/search', 'POST /conversations']);
    expect(json(fake.requests[0]!.rawBody).query).toEqual({
      operator: 'OR',
      value: [
        { field: 'external_id', operator: '=', value: 'u-42' },
        { field: 'email', operator: '=', value: 'jo@example.com' },
      ],
    });
    expect(session.data).toEqual({ contactId: existing.id, contactType: 'user' });
    expect(fake.contacts()).toHaveLength(1);
  });

  test('the external-id match wins over another contact with the same email', async () => {
    fake.addContact({ email: 'jo@example.com' });
    const mine = fake.addContact({ external_id: 'u-7', email: 'jo+work@example.com' });
    const session = await client.establish(config(), handoff({ user: { externalId: 'u-7' } }));
    expect(session.data['contactId']).toBe(mine.id);
  });

  test('a lead found by email writes as a lead', async () => {
    const lead = fake.addContact({ email: 'jo@example.com', role: 'lead' });
    const session = await client.establish(config(), handoff());
    expect(json(fake.requestsTo('POST /conversations')[0]!.rawBody).from).toEqual({ type: 'lead', id: lead.id });
    expect(session.data).toEqual({ contactId: lead.id, contactType: 'lead' });
  });

  test('an anonymous visitor becomes a lead of their own', async () => {
    const session = await client.establish(config(), handoff({ email: undefined, user: { name: 'Visitor 12' } }));
    expect(routes()).toEqual(['POST /contacts', 'POST /conversations']);
    expect(json(fake.requests[0]!.rawBody)).toEqual({ role: 'lead', name: 'Visitor 12' });
    const body = json(fake.requests[1]!.rawBody).body as string;
    expect(body).not.toContain('Email:');
    expect(session.data['contactType']).toBe('lead');
  });

  test('search lag: the contact exists but search does not show it yet, so the 409 names it and no second contact is made', async () => {
    fake.setSearchLag(60_000);
    const existing = fake.addContact({ email: 'jo@example.com', createdAtMs: t - 1_000 });
    const session = await client.establish(config(), handoff());

    expect(routes()).toEqual(['POST /contacts/search', 'POST /contacts', 'POST /conversations']);
    expect(fake.requestsTo('POST /contacts')[0]!.status).toBe(409);
    expect(fake.contacts()).toHaveLength(1);
    expect(session.data).toEqual({ contactId: existing.id, contactType: 'user' });
    expect(fake.conversation(session.deskConversationId)?.contacts.contacts[0]?.id).toBe(existing.id);
  });

  test('a retry after a lost answer to the contact creation finds the contact through the 409', async () => {
    fake.setSearchLag(60_000);
    fake.dropNext('POST /contacts', { afterHandling: true });
    const request = handoff();
    const lost = await failureOf(client.establish(config(), request));
    expect(lost).toMatchObject({ code: 'network_error', retryable: true });
    expect(fake.contacts()).toHaveLength(1);

    const session = await client.establish(config(), request);
    expect(fake.contacts()).toHaveLength(1);
    expect(fake.conversations()).toHaveLength(1);
    expect(session.data['contactId']).toBe(fake.contacts()[0]!.id);
  });

  test('a 409 that names no contact: searches again and uses what it finds', async () => {
    fake.setSearchLag(60_000);
    const existing = fake.addContact({ email: 'jo@example.com', createdAtMs: t });
    fake.failNext('POST /contacts', 409, {
      body: intercomError('conflict', 'A contact matching those details already exists'),
      onFail: () => {
        t += 61_000;
      },
    });
    const session = await client.establish(config(), handoff());
    expect(routes()).toEqual(['POST /contacts/search', 'POST /contacts', 'POST /contacts/search', 'POST /conversations']);
    expect(session.data['contactId']).toBe(existing.id);
  });

  test('a 409 that names no contact while search stays blind is worth another try', async () => {
    fake.setSearchLag(60_000);
    fake.addContact({ email: 'jo@example.com', createdAtMs: t });
    fake.failNext('POST /contacts', 409, { body: intercomError('conflict', 'An archived contact matching those details already exists') });
    const error = await failureOf(client.establish(config(), handoff()));
    expect(error).toMatchObject({ code: 'contact_conflict', retryable: true, retryAfterMs: 2_000, status: 409 });
    expect(fake.conversations()).toHaveLength(0);
  });

  test('a contact too new to write is retried later, and the retry does not make another contact', async () => {
    fake.setContactAvailabilityLag(5_000);
    const request = handoff();
    const early = await failureOf(client.establish(config(), request));
    expect(early).toMatchObject({ code: 'contact_not_ready', retryable: true, retryAfterMs: 2_000, status: 404 });

    t += 5_000;
    const session = await client.establish(config(), request);
    expect(fake.contacts()).toHaveLength(1);
    expect(fake.conversation(session.deskConversationId)).toBeDefined();
  });

  test('an established contact Intercom says it does not know is final', async () => {
    fake.addContact({ email: 'jo@example.com' });
    fake.failNext('POST /conversations', 404, { body: intercomError('not_found', 'User Not Found') });
    const error = await failureOf(client.establish(config(), handoff()));
    expect(error).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
    expect(error.message).toContain('User Not Found');
  });
});

describe('the first message', () => {
  test('several-line messages stay readable, and the latest question comes last', () => {
    const body = intercomConversationBody(
      handoff({ email: undefined, user: {}, history: [{ role: 'bot', text: 'Pick one:\n1. Orders\n2. Returns' }, { role: 'agent', text: 'Earlier teammate' }, { role: 'user', text: '  Returns please  ' }] }),
    );
    expect(body.split('\n').slice(1)).toEqual(['', 'Bot: Pick one:', '  1. Orders', '  2. Returns', 'Agent: Earlier teammate', 'User: Returns please']);
  });

  test('a long history gives up its oldest lines and says so', () => {
    const history = Array.from({ length: 40 }, (_, i) => ({ role: i % 2 ? ('bot' as const) : ('user' as const), text: `message ${i} ${'x'.repeat(1_000)}` }));
    const body = intercomConversationBody(handoff({ history }));
    expect(body.length).toBeLessThanOrEqual(15_000);
    expect(body).toContain('(earlier messages left out)');
    expect(body).not.toContain('message 0 ');
    expect(body.endsWith(`message 39 ${'x'.repeat(1_000)}`)).toBe(true);
  });

  test('one huge message is clipped rather than dropped', () => {
    const body = intercomConversationBody(handoff({ history: [{ role: 'user', text: 'y'.repeat(50_000) }] }));
    expect(body.length).toBeLessThan(3_000);
    expect(body.endsWith('…')).toBe(true);
  });
});

describe('relay', () => {
  test("posts the user's message as the contact's reply", async () => {
    const session = await client.establish(config(), handoff());
    await client.relay(config(), session, { messageId: 'm-1', text: 'Any news?\nOrder 1234' });

    const [reply] = fake.requestsTo('POST /conversations/:id/reply');
    expect(reply!.path).toBe(`/conversations/${session.deskConversationId}/reply`);
    expect(json(reply!.rawBody)).toEqual({ message_type: 'comment', type: 'user', intercom_user_id: session.data['contactId'], body: 'Any news?\nOrder 1234' });
    const parts = fake.conversation(session.deskConversationId)!.conversation_parts.conversation_parts;
    expect(parts.at(-1)).toMatchObject({ part_type: 'comment', author: { type: 'user', id: session.data['contactId'] } });
  });

  test('an empty message is not sent (Intercom refuses empty bodies)', async () => {
    const session = await client.establish(config(), handoff());
    await client.relay(config(), session, { messageId: 'm-2', text: '  \n ' });
    expect(fake.requestsTo('POST /conversations/:id/reply')).toHaveLength(0);
  });

  test('a conversation Intercom does not have is a final failure', async () => {
    const session = await client.establish(config(), handoff());
    const error = await failureOf(client.relay(config(), { ...session, deskConversationId: '999999' }, { messageId: 'm-3', text: 'hello?' }));
    expect(error).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
  });

  test('a session without a contact id is a final failure, before any request', async () => {
    const error = await failureOf(client.relay(config(), { deskConversationId: '1', data: {} }, { messageId: 'm-4', text: 'hi' }));
    expect(error).toMatchObject({ code: 'invalid_session', retryable: false });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('close', () => {
  test.each(['USER_CLOSED', 'TIMEOUT', 'BOT_RESUMED'] as DeskCloseReason[])('%s posts one last message as the contact saying why', async (reason) => {
    const session = await client.establish(config(), handoff());
    await client.close(config(), session, reason);

    const [read] = fake.requestsTo('GET /conversations/:id');
    expect(read!.query).toEqual({ display_as: 'plaintext' });
    const [reply] = fake.requestsTo('POST /conversations/:id/reply');
    expect(json(reply!.rawBody)).toEqual({ message_type: 'comment', type: 'user', intercom_user_id: session.data['contactId'], body: CLOSE_NOTES[reason] });
    expect(CLOSE_NOTES[reason].startsWith(BATON_MARK)).toBe(true);
  });

  test('closing twice posts once', async () => {
    const session = await client.establish(config(), handoff());
    await client.close(config(), session, 'USER_CLOSED');
    await client.close(config(), session, 'USER_CLOSED');
    await client.close(config(), session, 'TIMEOUT');
    expect(fake.requestsTo('POST /conversations/:id/reply')).toHaveLength(1);
  });

  test('the note is posted again if the user wrote after it', async () => {
    const session = await client.establish(config(), handoff());
    await client.close(config(), session, 'TIMEOUT');
    await client.relay(config(), session, { messageId: 'm-5', text: 'still there?' });
    await client.close(config(), session, 'USER_CLOSED');
    expect(fake.requestsTo('POST /conversations/:id/reply')).toHaveLength(3);
  });

  test('a conversation the teammate closed stays closed (a message from the contact would re-open it)', async () => {
    const session = await client.establish(config(), handoff());
    fake.adminClose(session.deskConversationId);
    await client.close(config(), session, 'BOT_RESUMED');
    expect(fake.requestsTo('POST /conversations/:id/reply')).toHaveLength(0);
    expect(fake.conversation(session.deskConversationId)?.state).toBe('closed');
  });

  test('a conversation Intercom no longer has is closed already', async () => {
    const session: DeskSession = { deskConversationId: '424242', data: { contactId: 'c1', contactType: 'user' } };
    await expect(client.close(config(), session, 'USER_CLOSED')).resolves.toBeUndefined();
    expect(fake.requestsTo('POST /conversations/:id/reply')).toHaveLength(0);
  });

  test('a passing failure while closing is retryable', async () => {
    const session = await client.establish(config(), handoff());
    fake.failNext('POST /conversations/:id/reply', 503);
    const error = await failureOf(client.close(config(), session, 'USER_CLOSED'));
    expect(error).toMatchObject({ code: 'unavailable', retryable: true, status: 503 });
    await client.close(config(), session, 'USER_CLOSED');
    expect(fake.conversation(session.deskConversationId)!.conversation_parts.conversation_parts).toHaveLength(1);
  });
});

describe('testConnection', () => {
  test('asks GET /me with the token and the pinned version', async () => {
    await expect(client.testConnection(config())).resolves.toEqual({ ok: true });
    expect(routes()).toEqual(['GET /me']);
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${fake.accessToken}`);
    expect(fake.requests[0]!.headers['intercom-version']).toBe('2.14');
  });

  test('a base URL with a trailing slash (a region host, a test double) works', async () => {
    await expect(client.testConnection({ ...config(), apiBaseUrl: `${fake.baseUrl}/` })).resolves.toEqual({ ok: true });
    expect(fake.requests[0]!.path).toBe('/me');
  });

  test('a wrong token says so, without repeating it', async () => {
    const result = await client.testConnection({ ...config(), accessToken: 'wrong-token-123' });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('401') });
    expect(JSON.stringify(result)).not.toContain('wrong-token-123');
  });

  test('an unreachable host: not ok, naming the host and the reason', async () => {
    const result = await client.testConnection({ ...config(), apiBaseUrl: await closedPortUrl() });
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/Could not reach Intercom at http:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED/) });
  });

  test('a base URL that is not a URL: not ok', async () => {
    const result = await client.testConnection({ ...config(), apiBaseUrl: 'not a url' });
    expect(result).toEqual({ ok: false, message: expect.stringContaining('not a valid URL') });
  });
});

async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('error mapping', () => {
  const windowEnd = Math.ceil((Math.floor(T0 / 10_000) + 1) * 10);

  test.each([
    [400, 'bad_request', false],
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not_found', false],
    [500, 'unavailable', true],
    [502, 'unavailable', true],
    [503, 'unavailable', true],
    [504, 'unavailable', true],
  ] as const)('%i → %s (retryable: %s)', async (status, code, retryable) => {
    fake.failNext('*', status);
    const error = await failureOf(client.establish(config(), handoff()));
    expect(error).toMatchObject({ code, retryable, status, retryAfterMs: undefined });
    expect(error.message).toMatch(new RegExp(`^Intercom answered ${status} to search contacts: \\w+`));
  });

  test('429: retryable, waiting until X-RateLimit-Reset (Intercom sends no Retry-After)', async () => {
    fake.failNext('POST /contacts/search', 429);
    const error = await failureOf(client.establish(config(), handoff()));
    expect(fake.requests[0]!.status).toBe(429);
    expect(fake.requests[0]!.responseHeaders['retry-after']).toBeUndefined();
    expect(fake.requests[0]!.responseHeaders['x-ratelimit-remaining']).toBe('0');
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, status: 429, retryAfterMs: windowEnd * 1000 - T0 });
    expect(error.retryAfterMs).toBe(7_000);
  });

  test('429 with a Retry-After: that wins', async () => {
    fake.failNext('POST /contacts/search', 429, { headers: { 'retry-after': '3' } });
    const error = await failureOf(client.establish(config(), handoff()));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 3_000 });
  });

  test('429 without rate-limit headers: retryable, the wait left to the engine', async () => {
    fake.failNext('POST /contacts/search', 429, { headers: { 'x-ratelimit-reset': null } });
    const error = await failureOf(client.establish(config(), handoff()));
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: undefined });
  });

  test('a reset already past (clock skew) still waits a second', async () => {
    fake.failNext('POST /contacts/search', 429, { headers: { 'x-ratelimit-reset': String(T0 / 1000 - 30) } });
    const error = await failureOf(client.establish(config(), handoff()));
    expect(error.retryAfterMs).toBe(1_000);
  });

  test('the real limit: past it, Intercom answers 429 with Remaining 0 until the window resets', async () => {
    const limited = await startFakeIntercom({ now: () => t, rateLimit: { limit: 3, windowMs: 10_000 } });
    try {
      const cfg = { accessToken: limited.accessToken, apiBaseUrl: limited.baseUrl };
      for (let i = 0; i < 3; i++) await expect(client.testConnection(cfg)).resolves.toEqual({ ok: true });
      const error = await failureOf(client.establish(cfg, handoff()));
      expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 7_000 });
      expect(limited.requests.map((r) => r.status)).toEqual([200, 200, 200, 429]);
      expect(limited.requests.map((r) => r.responseHeaders['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0']);
      expect(limited.requests[3]!.responseHeaders).toMatchObject({ 'x-ratelimit-limit': '3', 'x-ratelimit-reset': '1700000010' });
      expect(limited.requests[3]!.responseHeaders['retry-after']).toBeUndefined();
      t += 7_000;
      await expect(client.establish(cfg, handoff())).resolves.toMatchObject({ deskConversationId: expect.any(String) });
    } finally {
      await limited.close();
    }
  });

  test('connection refused: retryable network failure', async () => {
    const error = await failureOf(client.establish({ ...config(), apiBaseUrl: await closedPortUrl() }, handoff()));
    expect(error).toMatchObject({ code: 'network_error', retryable: true, status: undefined });
    expect(error.message).toContain('ECONNREFUSED');
  });

  test('a dropped connection: retryable network failure', async () => {
    fake.dropNext('POST /contacts/search');
    const error = await failureOf(client.establish(config(), handoff()));
    expect(error).toMatchObject({ code: 'network_error', retryable: true });
  });

  test('no answer within the timeout: retryable', async () => {
    // The fake holds its answer far longer than the client waits: the client's timeout ends the call.
    fake.delayNext('GET /me', 10_000);
    const started = Date.now();
    const result = await client.testConnection(config());
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(result).toEqual({ ok: false, message: expect.stringContaining('did not answer identify the admin within 500 ms') });

    fake.delayNext('POST /contacts/search', 2_000);
    const error = await failureOf(client.establish(config(), handoff()));
    expect(error).toMatchObject({ code: 'timeout', retryable: true });
  });

  test('a 200 that is not what the API describes is a final failure', async () => {
    const broken = createIntercomClient({
      now: () => t,
      fetch: async () => new Response('<html>proxy login</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    });
    const error = await failureOf(broken.establish(config(), handoff()));
    expect(error).toMatchObject({ code: 'invalid_response', retryable: false });
  });
});
