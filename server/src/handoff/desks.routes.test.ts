import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFakeIntercom, type FakeIntercom } from '../../../test/fakes/intercom/fake-intercom.js';
import { startFakeWebhookDesk, type FakeWebhookDesk } from '../../../test/fakes/webhook/fake-webhook.js';
import { createTestServer, type TestServer } from '../../testing/test-server.js';
import { recordDeskStatus } from './desk-status.js';

let server: TestServer;
let webhook: FakeWebhookDesk;
let intercom: FakeIntercom;

beforeAll(async () => {
  [webhook, intercom] = await Promise.all([startFakeWebhookDesk(), startFakeIntercom()]);
  server = await createTestServer();
});
afterAll(async () => {
  await server?.close();
  await Promise.all([webhook?.close(), intercom?.close()]);
});

async function botWithDesks(desks: Record<string, unknown>): Promise<string> {
  const botId = await server.createBot();
  const res = await server.json('PUT', `/api/bots/${botId}/settings`, { desks }, 'owner');
  if (res.status !== 200) throw new Error(res.text);
  return botId;
}

const statuses = async (botId: string) => {
  const res = await server.json('GET', `/api/bots/${botId}/desks`, undefined, 'builder');
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body.desks as { desk: string; checkedAt?: string }[]).map((d) => [d.desk, d]));
};

describe('GET /api/bots/:botId/desks', () => {
  test('a bot without desks: every desk not configured', async () => {
    const botId = await server.createBot();
    expect(await statuses(botId)).toEqual({
      intercom: { desk: 'intercom', status: 'not_configured' },
      livechat: { desk: 'livechat', status: 'not_configured' },
      webhook: { desk: 'webhook', status: 'not_configured' },
    });
  });

  test('configured and never failed: available; after a failed call: unavailable with why; after a good one: available again', async () => {
    const botId = await botWithDesks({ webhook: { baseUrl: webhook.baseUrl, secret: webhook.secret } });
    expect((await statuses(botId))['webhook']).toEqual({ desk: 'webhook', status: 'available', checkedAt: new Date(0).toISOString() });

    recordDeskStatus(server.db, botId, 'webhook', false, 'The webhook desk answered 503 to POST /chat');
    expect((await statuses(botId))['webhook']).toEqual({
      desk: 'webhook',
      status: 'unavailable',
      message: 'The webhook desk answered 503 to POST /chat',
      checkedAt: expect.any(String),
    });

    recordDeskStatus(server.db, botId, 'webhook', true);
    const again = (await statuses(botId))['webhook'];
    expect(again).toEqual({ desk: 'webhook', status: 'available', checkedAt: expect.any(String) });
    expect(Date.parse(again!.checkedAt!)).toBeGreaterThan(0);
  });

  test('a desk removed from the settings is not configured, whatever its last status', async () => {
    const botId = await botWithDesks({ webhook: { baseUrl: webhook.baseUrl, secret: webhook.secret } });
    recordDeskStatus(server.db, botId, 'webhook', false, 'down');
    await server.json('PUT', `/api/bots/${botId}/settings`, {}, 'owner');
    expect((await statuses(botId))['webhook']).toEqual({ desk: 'webhook', status: 'not_configured' });
  });
});

describe('POST /api/bots/:botId/desks/:desk/test', () => {
  test('a desk that answers: available, and the badge says so', async () => {
    const botId = await botWithDesks({ webhook: { baseUrl: webhook.baseUrl, secret: webhook.secret } });
    const res = await server.json('POST', `/api/bots/${botId}/desks/webhook/test`, undefined, 'builder');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ desk: 'webhook', status: 'available', checkedAt: expect.any(String) });
    expect(webhook.accepted('ping').length).toBeGreaterThan(0);
    expect((await statuses(botId))['webhook']).toMatchObject({ status: 'available' });
  });

  test('a desk that refuses our signature: unavailable with a message that names the problem, and no secret', async () => {
    const botId = await botWithDesks({ webhook: { baseUrl: webhook.baseUrl, secret: 'not-the-desks-secret' } });
    const res = await server.json('POST', `/api/bots/${botId}/desks/webhook/test`, undefined, 'builder');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ desk: 'webhook', status: 'unavailable', message: expect.stringContaining('secret'), checkedAt: expect.any(String) });
    expect(res.text).not.toContain('not-the-desks-secret');
    expect((await statuses(botId))['webhook']).toMatchObject({ status: 'unavailable', message: res.body.message });
  });

  test('Intercom with a wrong access token: unavailable; with the right one: available', async () => {
    const wrong = await botWithDesks({ intercom: { accessToken: 'revoked-token', clientSecret: 'cs', apiBaseUrl: intercom.baseUrl } });
    const refused = await server.json('POST', `/api/bots/${wrong}/desks/intercom/test`, undefined, 'owner');
    expect(refused.body).toMatchObject({ desk: 'intercom', status: 'unavailable', message: expect.stringContaining('401') });

    const right = await botWithDesks({ intercom: { accessToken: intercom.accessToken, clientSecret: 'cs', apiBaseUrl: intercom.baseUrl } });
    expect((await server.json('POST', `/api/bots/${right}/desks/intercom/test`, undefined, 'owner')).body).toMatchObject({ status: 'available' });
  });

  test('an unreachable desk: unavailable', async () => {
    const botId = await botWithDesks({ webhook: { baseUrl: 'http://127.0.0.1:9/nothing', secret: 'x' } });
    const res = await server.json('POST', `/api/bots/${botId}/desks/webhook/test`, undefined, 'owner');
    expect(res.body).toMatchObject({ status: 'unavailable', message: expect.stringContaining('reach') });
  });

  test('a desk not set up is 409; an unknown bot 404; nothing recorded', async () => {
    const botId = await server.createBot();
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    const notSetUp = await server.json('POST', `/api/bots/${botId}/desks/livechat/test`, undefined, 'owner');
    expect(notSetUp.status).toBe(409);
    expect(notSetUp.body.error.code).toBe('not_configured');
    expect((await server.json('POST', '/api/bots/bot_unknown/desks/webhook/test', undefined, 'owner')).status).toBe(404);
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
  });
});
