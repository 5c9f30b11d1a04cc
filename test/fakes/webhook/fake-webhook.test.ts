import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWebhookDesk, type FakeWebhookDesk } from './fake-webhook.js';

const USER = 'baton';
const PASSWORD = 'pä55word';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;
const sign = (secret: string, timestamp: string, raw: string) => `sha256=${createHmac('sha256', secret).update(`${timestamp}.${raw}`, 'utf8').digest('hex')}`;

let clock = Date.parse('2026-03-01T10:00:00Z');
let eventSeq = 0;

const establishBody = (id: string, extra: Record<string, unknown> = {}) => ({
  conversation_id: id,
  timestamp: clock,
  email: 'ana@example.com',
  bot_id: 'bot_1',
  body: [
    { message_type: 'QUESTION', text: 'Where is my order?' },
    { message_type: 'ANSWER', text: 'Let me get a human.' },
    { message_type: 'QUESTION', text: 'Please hurry' },
  ],
  user_info: { user_id: 'u-1', anonymous_id: id, email: 'ana@example.com', phone: null, channel: 'web' },
  ...extra,
});

describe('fake webhook desk', () => {
  let desk: FakeWebhookDesk;

  interface CallOptions {
    auth?: string | null;
    secret?: string;
    timestamp?: string;
    eventId?: string | null;
    contentType?: string;
    raw?: string;
    headers?: Record<string, string>;
    method?: string;
    base?: string;
  }

  /** A call to the desk signed by hand, the way Baton signs; the clock moves on a second. */
  const call = async (path: string, body: unknown, options: CallOptions = {}) => {
    const raw = options.raw ?? JSON.stringify(body);
    const timestamp = options.timestamp ?? String(Math.floor(clock / 1000));
    const headers: Record<string, string> = {
      'content-type': options.contentType ?? 'application/json',
      'x-baton-timestamp': timestamp,
      'x-baton-signature': sign(options.secret ?? desk.secret, timestamp, raw),
      ...(options.eventId === null ? {} : { 'x-baton-event-id': options.eventId ?? `evt-${++eventSeq}` }),
      ...(options.auth === null ? {} : { authorization: options.auth ?? basic(USER, PASSWORD) }),
      ...options.headers,
    };
    const res = await fetch(`${options.base ?? desk.baseUrl}${path}`, { method: options.method ?? 'POST', headers, ...(options.method === 'GET' ? {} : { body: raw }) });
    // Each call a second later: the next one differs in its bytes and is no replay.
    clock += 1000;
    return { status: res.status, headers: res.headers, body: (await res.json()) as { code: number; message: string } };
  };

  beforeAll(async () => {
    desk = await startFakeWebhookDesk({ username: USER, password: PASSWORD, now: () => clock });
  });
  afterEach(() => {
    desk.reset();
    clock += 60 * 60 * 1000;
  });
  afterAll(() => desk.close());

  describe('as a receiver', () => {
    it('accepts a signed establish and keeps the conversation with its history, email and user', async () => {
      const sent = establishBody('c-1');
      const res = await call('/conversation/establish', sent, { eventId: 'establish:h1' });
      expect(res).toMatchObject({ status: 200, body: { code: 0, message: 'ok' } });
      expect(desk.conversations.get('c-1')).toMatchObject({
        botId: 'bot_1',
        email: 'ana@example.com',
        latestQuestion: 'Please hurry',
        state: 'open',
        handoffs: 1,
        establishEventId: 'establish:h1',
        userInfo: { user_id: 'u-1', channel: 'web', phone: null },
      });
      expect(desk.conversations.get('c-1')?.history).toHaveLength(3);
      const [recorded] = desk.requests;
      expect(recorded).toMatchObject({ method: 'POST', path: '/desk/conversation/establish', route: 'establish', status: 200 });
      expect(recorded?.headers['x-baton-event-id']).toBe('establish:h1');
      expect(recorded?.rawBody.toString()).toBe(JSON.stringify(sent));
      expect(desk.accepted('establish')).toHaveLength(1);
    });

    it('requires the basic credentials when configured', async () => {
      const missing = await call('/conversation/establish', establishBody('c-1'), { auth: null });
      const wrong = await call('/conversation/establish', establishBody('c-1'), { auth: basic(USER, 'nope') });
      for (const res of [missing, wrong]) {
        expect(res.status).toBe(401);
        expect(res.body.code).toBe(40127);
        expect(res.headers.get('www-authenticate')).toBe('Basic realm="desk"');
      }
      expect(desk.requests.map((r) => r.rejected)).toEqual(['unauthorized', 'unauthorized']);
      expect(desk.conversations.size).toBe(0);
    });

    it('refuses unsigned, forged and stale calls, and accepts the edge of the 5 minute window', async () => {
      const body = establishBody('c-1');
      const raw = JSON.stringify(body);
      const seconds = Math.floor(clock / 1000);
      const unsigned = await call('/conversation/establish', body, { headers: { 'x-baton-signature': '' } });
      const otherSecret = await call('/conversation/establish', body, { secret: 'not-the-secret' });
      // Signed over the same JSON with other whitespace: the signature covers bytes, not meaning.
      const otherBytes = await call('/conversation/establish', body, {
        raw: JSON.stringify(body, null, 1),
        timestamp: String(seconds),
        headers: { 'x-baton-signature': sign(desk.secret, String(seconds), raw) },
      });
      const uppercasePrefix = await call('/conversation/establish', body, {
        timestamp: String(seconds),
        headers: { 'x-baton-signature': sign(desk.secret, String(seconds), raw).replace('sha256', 'SHA256') },
      });
      const stale = await call('/conversation/establish', body, { timestamp: String(Math.floor(clock / 1000) - 301) });
      const future = await call('/conversation/establish', body, { timestamp: String(Math.floor(clock / 1000) + 301) });
      const millis = await call('/conversation/establish', body, { timestamp: String(clock) });
      expect([unsigned, otherSecret, otherBytes, uppercasePrefix, stale, future, millis].map((r) => r.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
      expect(desk.requests.map((r) => r.rejected)).toEqual(['unsigned', 'bad_signature', 'bad_signature', 'bad_signature', 'stale_timestamp', 'stale_timestamp', 'stale_timestamp']);
      expect(desk.conversations.size).toBe(0);

      const edge = await call('/conversation/establish', body, { timestamp: String(Math.floor(clock / 1000) - 300) });
      expect(edge.status).toBe(200);
    });

    it('refuses a signature it has already seen (replay), even when the first call failed', async () => {
      desk.failNext('establish', 503);
      const raw = JSON.stringify(establishBody('c-1'));
      const timestamp = String(Math.floor(clock / 1000));
      const first = await call('/conversation/establish', undefined, { raw, timestamp, eventId: 'same' });
      const replayed = await call('/conversation/establish', undefined, { raw, timestamp, eventId: 'same' });
      expect([first.status, replayed.status]).toEqual([503, 401]);
      expect(replayed.body.message).toMatch(/already used/);
      // The same call signed afresh (a proper retry) goes through.
      const retried = await call('/conversation/establish', establishBody('c-1'), { eventId: 'same' });
      expect(retried.status).toBe(200);
    });

    it('checks the event id, the content type, JSON and each field, and wants timestamps in milliseconds', async () => {
      const cases: [CallOptions & { body?: unknown }, number, RegExp][] = [
        [{ eventId: null }, 400, /X-Baton-Event-Id/],
        [{ contentType: 'text/plain' }, 415, /application\/json/],
        [{ raw: 'not json' }, 400, /JSON object/],
        [{ body: establishBody('c-1', { bot_id: '' }) }, 400, /^bot_id: must not be empty/],
        [{ body: establishBody('c-1', { body: [] }) }, 400, /^body: must hold the latest question/],
        [{ body: establishBody('c-1', { body: [{ message_type: 'SYSTEM', text: 'x' }] }) }, 400, /^body\.0\.message_type/],
        [{ body: establishBody('c-1', { email: null }) }, 400, /^email/],
        [{ body: establishBody('c-1', { user_info: { user_id: 'u', anonymous_id: 'a', email: '', phone: null } }) }, 400, /^user_info\.channel/],
        [{ body: establishBody('c-1', { timestamp: Math.floor(clock / 1000) }) }, 400, /^timestamp: must be epoch milliseconds/],
      ];
      for (const [options, status, message] of cases) {
        const res = await call('/conversation/establish', options.body ?? establishBody('c-1'), options);
        expect(res.status, JSON.stringify(options)).toBe(status);
        expect(res.body.message).toMatch(message);
      }
      expect(desk.conversations.size).toBe(0);
    });

    it('keeps the state machine: establish (idempotent by event id), chat once per message id, close once', async () => {
      const chat = (id: string, messageId: string, text = 'hello') => call('/chat', { conversation_id: id, timestamp: clock, message_id: messageId, body: text });
      const close = (id: string, type = 'USER_CLOSED') => call('/conversation/close', { conversation_id: id, timestamp: clock, type });

      expect((await chat('c-1', 'm1')).status).toBe(404);
      expect((await close('c-1')).status).toBe(404);
      expect((await call('/conversation/establish', establishBody('c-1'), { eventId: 'establish:h1' })).status).toBe(200);
      const retry = await call('/conversation/establish', establishBody('c-1'), { eventId: 'establish:h1' });
      expect(retry).toMatchObject({ status: 200, body: { message: 'already established' } });
      const other = await call('/conversation/establish', establishBody('c-1'), { eventId: 'establish:h2' });
      expect(other).toMatchObject({ status: 409, body: { code: 40900 } });

      expect((await chat('c-1', 'm1', 'first')).status).toBe(200);
      expect(await chat('c-1', 'm1', 'first again')).toMatchObject({ status: 200, body: { message: 'duplicate' } });
      expect((await chat('c-1', 'm2', 'second')).status).toBe(200);
      expect(desk.conversations.get('c-1')?.messages.map((m) => m.text)).toEqual(['first', 'second']);
      expect((await call('/chat', { conversation_id: 'c-1', timestamp: clock, message_id: 'm3', body: '' })).status).toBe(400);
      expect((await close('c-1', 'CLOSED_BY_ALIENS')).status).toBe(400);

      expect((await close('c-1', 'TIMEOUT')).status).toBe(200);
      expect(await close('c-1', 'USER_CLOSED')).toMatchObject({ status: 200, body: { message: 'already closed' } });
      expect(desk.conversations.get('c-1')).toMatchObject({ state: 'closed', closeType: 'TIMEOUT' });
      expect(await chat('c-1', 'm4')).toMatchObject({ status: 409, body: { code: 40900, message: 'conversation closed' } });

      // A second handoff of the same conversation reopens it.
      expect((await call('/conversation/establish', establishBody('c-1'), { eventId: 'establish:h3' })).status).toBe(200);
      expect(desk.conversations.get('c-1')).toMatchObject({ state: 'open', handoffs: 2, messages: [] });
    });

    it('fails on demand per route and count, with retry-after on 429, changing nothing', async () => {
      desk.failNext('chat', 429);
      desk.failNext('establish', 503, { times: 2, headers: { 'retry-after': '9' } });
      desk.failNext('*', 401, { body: { code: 40127, message: 'custom' } });
      const first = await call('/conversation/establish', establishBody('c-1'));
      const second = await call('/conversation/establish', establishBody('c-1'));
      expect([first.status, first.headers.get('retry-after'), second.status]).toEqual([503, '9', 503]);
      const third = await call('/conversation/establish', establishBody('c-1'));
      expect(third).toMatchObject({ status: 401, body: { message: 'custom' } });
      expect(desk.conversations.size).toBe(0);
      expect((await call('/conversation/establish', establishBody('c-1'))).status).toBe(200);
      const limited = await call('/chat', { conversation_id: 'c-1', timestamp: clock, message_id: 'm1', body: 'hi' });
      expect([limited.status, limited.headers.get('retry-after'), limited.body.code]).toEqual([429, '1', 42900]);
      expect(desk.conversations.get('c-1')?.messages).toEqual([]);
      expect(desk.requests.map((r) => r.rejected)).toEqual(['injected', 'injected', 'injected', undefined, 'injected']);
    });

    it('answers slowly on demand', async () => {
      desk.delayNext('ping', 150);
      const started = performance.now();
      expect((await call('/ping', {})).status).toBe(200);
      expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    });

    it('serves ping, and 404/405 for unknown paths and other methods', async () => {
      expect(await call('/ping', {})).toMatchObject({ status: 200, body: { code: 0, message: 'pong' } });
      expect((await call('/nope', {})).status).toBe(404);
      expect((await call('/chat', {}, { base: desk.baseUrl.replace(/\/desk$/, '') })).status).toBe(404);
      expect((await call('/chat', undefined, { method: 'GET' })).status).toBe(405);
      const bare = await startFakeWebhookDesk({ ping: false });
      try {
        const res = await fetch(`${bare.baseUrl}/ping`, { method: 'POST', body: '{}' });
        expect(res.status).toBe(404);
      } finally {
        await bare.close();
      }
    });

    it('needs no Authorization header when no credentials are configured', async () => {
      const open = await startFakeWebhookDesk({ now: () => clock });
      try {
        const raw = JSON.stringify({ timestamp: clock });
        const timestamp = String(Math.floor(clock / 1000));
        const res = await fetch(`${open.baseUrl}/ping`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-baton-timestamp': timestamp, 'x-baton-signature': sign(open.secret, timestamp, raw), 'x-baton-event-id': 'p1' },
          body: raw,
        });
        expect(res.status).toBe(200);
      } finally {
        await open.close();
      }
    });
  });

  describe('as an emitter', () => {
    let receiver: ReturnType<typeof createServer>;
    let url: string;
    const received: { path: string; headers: IncomingMessage['headers']; raw: Buffer }[] = [];
    beforeAll(async () => {
      receiver = createServer(async (req, res) => {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        received.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"code":0,"message":"ok","result":"delivered"}');
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    });
    afterEach(() => {
      received.length = 0;
    });
    afterAll(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    const verifies = (secret: string, r: (typeof received)[number]) =>
      r.headers['x-baton-signature'] === `sha256=${createHmac('sha256', secret).update(Buffer.concat([Buffer.from(`${r.headers['x-baton-timestamp']}.`), r.raw])).digest('hex')}`;

    it('sends a signed message and close over the exact bytes it sends', async () => {
      const message = await desk.emitMessage(`${url}/hooks/webhook/b1/message`, { conversationId: 'c-1', text: 'Hola, soy María 👋', messageId: 'am-1', agent: { id: 'a-7', name: 'María' } });
      const close = await desk.emitClose(`${url}/hooks/webhook/b1/close`, { conversationId: 'c-1' });
      expect(message).toMatchObject({ status: 200, body: { result: 'delivered' } });
      expect(close.status).toBe(200);
      const [m, c] = received;
      expect(m?.path).toBe('/hooks/webhook/b1/message');
      expect(JSON.parse(m!.raw.toString('utf8'))).toEqual({ conversation_id: 'c-1', timestamp: clock, body: 'Hola, soy María 👋', message_id: 'am-1', agent: { id: 'a-7', name: 'María' } });
      expect(JSON.parse(c!.raw.toString('utf8'))).toEqual({ conversation_id: 'c-1', timestamp: clock });
      expect(m?.headers['x-baton-timestamp']).toBe(String(Math.floor(clock / 1000)));
      expect(m?.headers['content-type']).toBe('application/json');
      expect(verifies(desk.secret, m!) && verifies(desk.secret, c!)).toBe(true);
      expect(desk.emissions).toHaveLength(2);
    });

    it('signs raw bytes as they are, and sends bad, missing, unstamped and stale signatures on request', async () => {
      const raw = Buffer.from('{ "conversation_id" : "c-1",\n  "timestamp": 1, "body": "é" }', 'utf8');
      await desk.emitRaw(`${url}/raw`, raw);
      await desk.emitRaw(`${url}/bad`, raw, { signature: 'bad' });
      await desk.emitRaw(`${url}/missing`, raw, { signature: 'missing' });
      await desk.emitRaw(`${url}/unstamped`, raw, { omitTimestamp: true });
      await desk.emitRaw(`${url}/stale`, raw, { skewSeconds: -301 });
      const [ok, bad, missing, unstamped, stale] = received;
      expect(ok!.raw.equals(raw)).toBe(true);
      expect(verifies(desk.secret, ok!)).toBe(true);
      expect(bad!.headers['x-baton-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
      expect(verifies(desk.secret, bad!)).toBe(false);
      expect(missing!.headers['x-baton-signature']).toBeUndefined();
      expect(unstamped!.headers['x-baton-timestamp']).toBeUndefined();
      expect(stale!.headers['x-baton-timestamp']).toBe(String(Math.floor(clock / 1000) - 301));
      expect(verifies(desk.secret, stale!)).toBe(true);
    });

    it('replays an emission byte for byte, headers included', async () => {
      const first = await desk.emitMessage(`${url}/m`, { conversationId: 'c-1', text: 'once' });
      clock += 5000;
      await desk.replay(first);
      const [a, b] = received;
      expect(b!.raw.equals(a!.raw)).toBe(true);
      expect(b!.headers['x-baton-signature']).toBe(a!.headers['x-baton-signature']);
      expect(b!.headers['x-baton-timestamp']).toBe(a!.headers['x-baton-timestamp']);
    });

    it('a re-delivery of the same event is signed afresh: same message_id, new signature', async () => {
      await desk.emitMessage(`${url}/m`, { conversationId: 'c-1', text: 'again', messageId: 'am-9' });
      clock += 1000;
      await desk.emitMessage(`${url}/m`, { conversationId: 'c-1', text: 'again', messageId: 'am-9' });
      const [a, b] = received;
      expect(JSON.parse(a!.raw.toString()).message_id).toBe(JSON.parse(b!.raw.toString()).message_id);
      expect(a!.headers['x-baton-signature']).not.toBe(b!.headers['x-baton-signature']);
    });

    it('sends through the transport it is given', async () => {
      const seen: string[] = [];
      const routed = await startFakeWebhookDesk({ transport: (target, init) => (seen.push(`${init.method} ${target} ${init.body.length}`), new Response('{"code":0}', { status: 202 })) });
      try {
        const emission = await routed.emitClose('http://baton.test/hooks/webhook/b1/close', { conversationId: 'c-9' });
        expect(emission).toMatchObject({ status: 202, body: { code: 0 } });
        expect(seen).toEqual([`POST http://baton.test/hooks/webhook/b1/close ${emission.rawBody.length}`]);
      } finally {
        await routed.close();
      }
    });
  });
});
