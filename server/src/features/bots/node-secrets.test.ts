// The secrets nodes refer to by name (`secretRef()`): write-only over HTTP, encrypted at rest,
// readable in clear by the worker's activities only, and kept apart from the desks' credentials.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { secrets } from '../../db/schema.js';
import { createTestServer, type TestServer } from '../../../testing/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

const put = (botId: string, name: string, value: string, as: 'owner' | 'builder' = 'builder') =>
  server.json('PUT', `/api/bots/${botId}/secrets/${name}`, { value }, as);
const list = async (botId: string) => {
  const res = await server.json('GET', `/api/bots/${botId}/secrets`, undefined, 'builder');
  expect(res.status, res.text).toBe(200);
  return res;
};
const rawRows = (botId: string) => server.db.select().from(secrets).where(eq(secrets.botId, botId)).all();
const webhookDesk = { baseUrl: 'https://desk.example/api', secret: 'desk-signing-secret-1' };

describe('node secrets', () => {
  test('PUT stores a secret (204); GET lists names, sorted, never values', async () => {
    const botId = await server.createBot();
    expect((await list(botId)).body).toEqual({ secrets: [] });

    const stored = await put(botId, 'shop_token', 'tk_live_very_secret_1');
    expect(stored.status, stored.text).toBe(204);
    expect(stored.text).toBe('');
    expect((await put(botId, 'crm_key', 'crm-value-2')).status).toBe(204);

    const res = await list(botId);
    expect(res.body).toEqual({
      secrets: [
        { name: 'crm_key', updatedAt: expect.any(String) },
        { name: 'shop_token', updatedAt: expect.any(String) },
      ],
    });
    expect(new Date(res.body.secrets[0].updatedAt).toString()).not.toBe('Invalid Date');
    expect(res.text).not.toContain('tk_live_very_secret_1');
    expect(res.text).not.toContain('crm-value-2');
    // The worker's side reads them in clear.
    expect(server.services.bots.secret(botId, 'shop_token')).toBe('tk_live_very_secret_1');
  });

  test('PUT again replaces the value, keeping one entry', async () => {
    const botId = await server.createBot();
    await put(botId, 'shop_token', 'first-value');
    const ciphertext = rawRows(botId)[0]!.ciphertext;
    expect((await put(botId, 'shop_token', 'rotated-value', 'owner')).status).toBe(204);
    expect((await list(botId)).body.secrets.map((s: { name: string }) => s.name)).toEqual(['shop_token']);
    expect(rawRows(botId)).toHaveLength(1);
    expect(rawRows(botId)[0]!.ciphertext).not.toBe(ciphertext);
    expect(server.services.bots.secret(botId, 'shop_token')).toBe('rotated-value');
  });

  test('DELETE removes it (204); a secret that is not there is 404', async () => {
    const botId = await server.createBot();
    await put(botId, 'shop_token', 'value-to-delete');
    await put(botId, 'other', 'value-to-keep');
    const deleted = await server.json('DELETE', `/api/bots/${botId}/secrets/shop_token`, undefined, 'builder');
    expect(deleted.status, deleted.text).toBe(204);
    expect((await list(botId)).body.secrets.map((s: { name: string }) => s.name)).toEqual(['other']);
    expect(server.services.bots.secret(botId, 'shop_token')).toBeUndefined();
    expect(server.services.bots.secret(botId, 'other')).toBe('value-to-keep');

    const again = await server.json('DELETE', `/api/bots/${botId}/secrets/shop_token`, undefined, 'builder');
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'not_found', message: 'The bot has no secret "shop_token"' });
  });

  test('values are encrypted at rest: the raw table holds no plaintext', async () => {
    const botId = await server.createBot();
    const values = ['tk_plaintext_marker_9f2', 'another plaintext marker ✓'];
    await put(botId, 'shop_token', values[0]!);
    await put(botId, 'crm_key', values[1]!);
    const table = JSON.stringify(server.db.$client.prepare('SELECT * FROM secrets').all());
    for (const value of values) {
      expect(table).not.toContain(value);
      expect(table).not.toContain(Buffer.from(value).toString('base64'));
    }
    const rows = rawRows(botId);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.ciphertext).toMatch(/^v1\./);
  });

  test('each bot has its own secrets', async () => {
    const a = await server.createBot('A');
    const b = await server.createBot('B');
    await put(a, 'shop_token', 'value-of-a');
    expect((await list(b)).body.secrets).toEqual([]);
    expect(server.services.bots.secret(b, 'shop_token')).toBeUndefined();
    expect((await server.json('DELETE', `/api/bots/${b}/secrets/shop_token`, undefined, 'builder')).status).toBe(404);
    expect(server.services.bots.secret(a, 'shop_token')).toBe('value-of-a');
  });

  test('saving the settings keeps the node secrets, whatever happens to the desks', async () => {
    const botId = await server.createBot();
    await put(botId, 'shop_token', 'survives-settings');
    expect((await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: webhookDesk } }, 'builder')).status).toBe(200);
    expect((await server.json('PUT', `/api/bots/${botId}/settings`, { enabled: false }, 'builder')).status).toBe(200);
    expect(server.services.bots.secret(botId, 'shop_token')).toBe('survives-settings');
    expect((await list(botId)).body.secrets.map((s: { name: string }) => s.name)).toEqual(['shop_token']);
    // The desk's secret went with the desk.
    expect(server.services.bots.settingsWithSecrets(botId).desks.webhook).toBeUndefined();
  });

  test('desk credentials are not node secrets: not listed, not readable, not deletable as one', async () => {
    const botId = await server.createBot();
    expect((await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: webhookDesk } }, 'builder')).status).toBe(200);
    await put(botId, 'shop_token', 'node-value');
    expect((await list(botId)).body.secrets.map((s: { name: string }) => s.name)).toEqual(['shop_token']);
    expect(server.services.bots.secret(botId, 'desks.webhook.secret')).toBeUndefined();
    // The masked settings know nothing of node secrets either.
    const settings = await server.json('GET', `/api/bots/${botId}/settings`, undefined, 'builder');
    expect(settings.text).not.toContain('shop_token');
    expect(settings.text).not.toContain('node-value');
    expect(server.services.bots.settingsWithSecrets(botId).desks.webhook?.secret).toBe(webhookDesk.secret);
  });

  test('a value must not be empty, and stays under 8000 characters', async () => {
    const botId = await server.createBot();
    const empty = await put(botId, 'shop_token', '');
    expect(empty.status).toBe(400);
    expect(empty.body.error.issues[0].path).toEqual(['body', 'value']);
    expect((await put(botId, 'shop_token', 'x'.repeat(8001))).status).toBe(400);
    expect((await put(botId, 'shop_token', 'x'.repeat(8000))).status).toBe(204);
  });
});
