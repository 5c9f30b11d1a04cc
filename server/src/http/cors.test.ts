import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestServer, readJson, simpleFlow, type TestServer } from '../../testing/test-server.js';
import { chatFrameAncestors } from './cors.js';

const SHOP = 'https://shop.example';
const OTHER_SHOP = 'https://other-shop.example';
const EVIL = 'https://evil.example';

let server: TestServer;
let botId: string;
let otherBotId: string;

beforeAll(async () => {
  server = await createTestServer();
  botId = await server.createLiveBot('Widget bot', simpleFlow('Widget bot'));
  await server.json('PUT', `/api/bots/${botId}/settings`, { enabled: true, widget: { allowedOrigins: [SHOP] } }, 'owner');
  otherBotId = await server.createLiveBot('Other widget bot', simpleFlow('Other'));
  await server.json('PUT', `/api/bots/${otherBotId}/settings`, { enabled: true, widget: { allowedOrigins: [OTHER_SHOP] } }, 'owner');
});
afterAll(async () => {
  await server.close();
});

const request = (path: string, init: { method?: string; origin?: string; headers?: Record<string, string>; body?: unknown; url?: string } = {}) =>
  server.app.request(`${init.url ?? ''}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.origin ? { origin: init.origin } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

const preflight = (path: string, origin: string, method = 'POST') =>
  request(path, { method: 'OPTIONS', origin, headers: { 'access-control-request-method': method, 'access-control-request-headers': 'content-type, authorization' } });

describe('an allowed widget origin', () => {
  test('gets CORS headers when it opens a conversation', async () => {
    const res = await request(`/api/bots/${botId}/conversations`, { method: 'POST', origin: SHOP, body: {} });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('vary')).toMatch(/Origin/);
  });

  test('gets a 204 preflight naming the methods and headers the widget uses', async () => {
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    const res = await preflight(`/api/bots/${botId}/conversations`, SHOP);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toEqual(expect.stringContaining('authorization'));
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toEqual(expect.stringContaining('content-type'));
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toEqual(expect.stringContaining('last-event-id'));
    // A preflight creates nothing.
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
  });

  test('gets CORS headers on its conversation\'s routes: send, read, stream', async () => {
    const opened = await readJson(await request(`/api/bots/${botId}/conversations`, { method: 'POST', origin: SHOP, body: {} }));
    const { conversationId, token } = opened.body as { conversationId: string; token: string };
    const auth = { authorization: `Bearer ${token}` };

    const pre = await preflight(`/api/conversations/${conversationId}/messages`, SHOP);
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe(SHOP);

    const sent = await request(`/api/conversations/${conversationId}/messages`, { method: 'POST', origin: SHOP, headers: auth, body: { text: 'hi' } });
    expect(sent.status).toBe(202);
    expect(sent.headers.get('access-control-allow-origin')).toBe(SHOP);

    const read = await request(`/api/conversations/${conversationId}/messages`, { origin: SHOP, headers: auth });
    expect(read.status).toBe(200);
    expect(read.headers.get('access-control-allow-origin')).toBe(SHOP);

    const stream = await request(`/api/conversations/${conversationId}/events?token=${token}`, { origin: SHOP });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('access-control-allow-origin')).toBe(SHOP);
    await stream.body?.cancel();
  });

  test('an error answer carries CORS headers too, so the widget can read it', async () => {
    const opened = await readJson(await request(`/api/bots/${botId}/conversations`, { method: 'POST', origin: SHOP, body: {} }));
    const { conversationId, token } = opened.body as { conversationId: string; token: string };
    const res = await request(`/api/conversations/${conversationId}/messages`, { method: 'POST', origin: SHOP, headers: { authorization: `Bearer ${token}` }, body: { text: '' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP);
  });
});

describe('any other origin', () => {
  test('is 403 origin_not_allowed on the widget routes, and nothing is created', async () => {
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    const res = await readJson(await request(`/api/bots/${botId}/conversations`, { method: 'POST', origin: EVIL, body: {} }));
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('origin_not_allowed');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
  });

  test('gets a 403 preflight without CORS headers', async () => {
    for (const path of [`/api/bots/${botId}/conversations`, '/api/bots', '/api/auth/login']) {
      const res = await preflight(path, EVIL);
      expect(res.status, path).toBe(403);
      expect(res.headers.get('access-control-allow-origin'), path).toBeNull();
    }
  });

  test('cannot use a conversation of a bot that does not allow it, even holding its token', async () => {
    const { conversationId, token } = await server.openConversation(botId);
    for (const origin of [EVIL, OTHER_SHOP, 'null']) {
      const res = await readJson(await request(`/api/conversations/${conversationId}`, { origin, headers: { authorization: `Bearer ${token}` } }));
      expect(res.status, origin).toBe(403);
      expect(res.body.error.code, origin).toBe('origin_not_allowed');
      const send = await readJson(await request(`/api/conversations/${conversationId}/messages`, { method: 'POST', origin, headers: { authorization: `Bearer ${token}` }, body: { text: 'x' } }));
      expect(send.status, origin).toBe(403);
    }
  });

  test('one bot\'s allowed origin is not another\'s', async () => {
    const res = await readJson(await request(`/api/bots/${otherBotId}/conversations`, { method: 'POST', origin: SHOP, body: {} }));
    expect(res.status).toBe(403);
    const allowed = await request(`/api/bots/${otherBotId}/conversations`, { method: 'POST', origin: OTHER_SHOP, body: {} });
    expect(allowed.status).toBe(201);
  });

  test('the editor\'s API gives no CORS headers to any foreign origin, allowed widget origins included', async () => {
    for (const origin of [EVIL, SHOP]) {
      const res = await request('/api/bots', { origin, headers: server.as('builder') });
      expect(res.headers.get('access-control-allow-origin'), origin).toBeNull();
    }
  });
});

describe('same-origin requests', () => {
  test('are unaffected: the editor calls every route without CORS headers', async () => {
    const res = await request(`/api/bots/${botId}/conversations`, { method: 'POST', origin: 'http://localhost', body: {} });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const bots = await request('/api/bots', { origin: 'http://localhost', headers: server.as('owner') });
    expect(bots.status).toBe(200);
    expect(bots.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('behind a proxy, the Host header decides what same-origin means', async () => {
    const res = await request(`/api/bots/${botId}/conversations`, {
      url: 'http://127.0.0.1:3000',
      method: 'POST',
      origin: 'https://baton.example.com',
      headers: { host: 'baton.example.com' },
      body: {},
    });
    expect(res.status).toBe(201);
  });

  test('requests without an Origin (scripts, curl) are unaffected', async () => {
    const res = await request(`/api/bots/${botId}/conversations`, { method: 'POST', body: {} });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('the chat page (/chat/:botId)', () => {
  test("may be framed by Baton itself and the bot's widget origins only (the browser enforces it)", async () => {
    const editorDir = mkdtempSync(path.join(tmpdir(), 'baton-editor-'));
    writeFileSync(path.join(editorDir, 'index.html'), '<!doctype html><title>Editor</title>');
    writeFileSync(path.join(editorDir, 'chat.html'), '<!doctype html><title>Chat</title>');
    const withEditor = await createTestServer({ editorDir });
    try {
      const bot = await withEditor.createLiveBot('Framed bot', simpleFlow('Framed'));
      await withEditor.json('PUT', `/api/bots/${bot}/settings`, { enabled: true, widget: { allowedOrigins: [SHOP, OTHER_SHOP] } }, 'owner');
      const page = await withEditor.app.request(`/chat/${bot}?email=ann%40example.com`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>Chat</title>');
      expect(page.headers.get('content-security-policy')).toBe(`frame-ancestors 'self' ${SHOP} ${OTHER_SHOP}`);
      const unknown = await withEditor.app.request('/chat/bot_unknown');
      expect(unknown.headers.get('content-security-policy')).toBe("frame-ancestors 'self'");
    } finally {
      await withEditor.close();
    }
  });

  test('a setting that is not exactly an origin never adds a directive', () => {
    expect(chatFrameAncestors([SHOP, "https://a.example;script-src 'unsafe-inline'", 'https://b.example/'])).toBe(`frame-ancestors 'self' ${SHOP}`);
  });
});
