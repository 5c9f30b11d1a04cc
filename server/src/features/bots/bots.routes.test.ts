import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { botSettings, flowDrafts, flowVersions, secrets } from '../../db/schema.js';
import { createTestServer, flowWithErrors, simpleFlow, type TestServer } from '../../../testing/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

const storedDraft = (botId: string) => server.db.select().from(flowDrafts).where(eq(flowDrafts.botId, botId)).get();

describe('bots', () => {
  test('create answers 201 with the id, and the bot starts with a draft holding a start node', async () => {
    const res = await server.json('POST', '/api/bots', { name: '  Support  ' }, 'builder');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: expect.stringMatching(/^bot_/), name: 'Support', enabled: false, publishedVersion: null });
    expect(new Date(res.body.createdAt).toString()).not.toBe('Invalid Date');

    const draft = await server.json('GET', `/api/bots/${res.body.id}/flow`, undefined, 'builder');
    expect(draft.status).toBe(200);
    expect(draft.body.flow.nodes).toEqual([expect.objectContaining({ id: 'start', type: 'start' })]);
    expect(draft.body.flow.edges).toEqual([]);
    expect(draft.body.issues).toEqual([]);
  });

  test('list shows every bot, oldest first', async () => {
    const a = await server.createBot('List A');
    const b = await server.createBot('List B');
    const res = await server.json('GET', '/api/bots', undefined, 'agent');
    expect(res.status).toBe(200);
    const ids = res.body.bots.map((bot: { id: string }) => bot.id);
    expect(ids).toEqual(expect.arrayContaining([a, b]));
    expect(ids.indexOf(a)).toBeLessThan(ids.indexOf(b));
  });

  test('get answers one bot, with its published version and switch', async () => {
    const botId = await server.createLiveBot('Got');
    const res = await server.json('GET', `/api/bots/${botId}`, undefined, 'agent');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: botId, name: 'Got', enabled: true, publishedVersion: 1 });
  });

  test('an unknown bot is 404 not_found', async () => {
    for (const path of ['/api/bots/bot_missing', '/api/bots/bot_missing/flow', '/api/bots/bot_missing/settings', '/api/bots/bot_missing/versions']) {
      const res = await server.json('GET', path, undefined, 'owner');
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe('not_found');
    }
  });
});

describe('the draft flow', () => {
  test('GET answers { flow, issues, upgrades, updatedAt }', async () => {
    const botId = await server.createBot();
    const res = await server.json('GET', `/api/bots/${botId}/flow`, undefined, 'builder');
    expect(Object.keys(res.body).sort()).toEqual(['flow', 'issues', 'updatedAt', 'upgrades']);
    expect(res.body.flow.schemaVersion).toBe(1);
    // Only the built-ins here, each at its one version: nothing to upgrade.
    expect(res.body.upgrades).toEqual([]);
  });

  test('PUT saves a draft even when it has issues, and answers them', async () => {
    const botId = await server.createBot();
    const res = await server.json('PUT', `/api/bots/${botId}/flow`, flowWithErrors(), 'builder');
    expect(res.status).toBe(200);
    expect(res.body.issues).toContainEqual(expect.objectContaining({ severity: 'error', code: 'unknown_node_type', nodeId: 'mystery' }));
    const again = await server.json('GET', `/api/bots/${botId}/flow`, undefined, 'builder');
    expect(again.body.flow.nodes.map((n: { id: string }) => n.id)).toContain('mystery');
    expect(again.body.issues).toEqual(res.body.issues);
    expect(storedDraft(botId)!.updatedBy).toBe(server.users.builder.id);
  });

  test('PUT of something that is not a flow is 422 invalid_flow_document and leaves the stored draft alone', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('Kept'), 'builder');
    const before = storedDraft(botId);
    const res = await server.json('PUT', `/api/bots/${botId}/flow`, { schemaVersion: 2, name: 'x', nodes: 'not an array', edges: [] }, 'builder');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('invalid_flow_document');
    expect(res.body.error.issues).toEqual(
      expect.arrayContaining([expect.objectContaining({ path: ['schemaVersion'] }), expect.objectContaining({ path: ['nodes'] })]),
    );
    expect(storedDraft(botId)).toEqual(before);
  });

  test('PUT accepts the { flow } envelope that GET answers', async () => {
    const botId = await server.createBot();
    const res = await server.json('PUT', `/api/bots/${botId}/flow`, { flow: simpleFlow('Enveloped') }, 'builder');
    expect(res.status).toBe(200);
    expect(res.body.flow.name).toBe('Enveloped');
    expect((storedDraft(botId)!.document as { name: string }).name).toBe('Enveloped');
  });

  test('a flow round-trips: what GET answers can be PUT back unchanged', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('Round'), 'builder');
    const got = await server.json('GET', `/api/bots/${botId}/flow`, undefined, 'builder');
    const put = await server.json('PUT', `/api/bots/${botId}/flow`, got.body, 'builder');
    expect(put.status).toBe(200);
    expect(put.body.flow).toEqual(got.body.flow);
  });
});

describe('publishing', () => {
  test('publish creates versions 1, then 2, listed newest first', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('First', 'one'), 'builder');
    const first = await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ version: 1, issues: [] });
    await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('Second', 'two'), 'builder');
    const second = await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'owner');
    expect(second.body.version).toBe(2);

    const versions = await server.json('GET', `/api/bots/${botId}/versions`, undefined, 'builder');
    expect(versions.status).toBe(200);
    expect(versions.body.versions).toEqual([
      { version: 2, publishedAt: expect.any(String), publishedBy: server.users.owner.id },
      { version: 1, publishedAt: expect.any(String), publishedBy: server.users.builder.id },
    ]);
    const bot = await server.json('GET', `/api/bots/${botId}`, undefined, 'builder');
    expect(bot.body.publishedVersion).toBe(2);
  });

  test('a published version keeps its document, with every node pinned to its type version', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('Pinned', 'version one text'), 'builder');
    await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('Pinned', 'changed later'), 'builder');
    const res = await server.json('GET', `/api/bots/${botId}/versions/1`, undefined, 'builder');
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(1);
    const hello = res.body.flow.nodes.find((n: { id: string }) => n.id === 'hello');
    expect(hello.config.text).toBe('version one text');
    for (const node of res.body.flow.nodes) expect(node.typeVersion).toEqual(expect.any(Number));
  });

  test('publishing a draft with errors is 422 with error.issues, and creates no version', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/flow`, flowWithErrors(), 'builder');
    const res = await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('flow_invalid');
    expect(res.body.error.issues).toContainEqual(expect.objectContaining({ code: 'unknown_node_type', severity: 'error' }));
    expect(server.db.select().from(flowVersions).where(eq(flowVersions.botId, botId)).all()).toEqual([]);
    const bot = await server.json('GET', `/api/bots/${botId}`, undefined, 'builder');
    expect(bot.body.publishedVersion).toBeNull();
  });

  test('an unknown version is 404', async () => {
    const botId = await server.createLiveBot();
    const res = await server.json('GET', `/api/bots/${botId}/versions/7`, undefined, 'builder');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  test('restore makes a published version the draft again, without publishing', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('Old', 'old text'), 'builder');
    await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    await server.json('PUT', `/api/bots/${botId}/flow`, simpleFlow('New', 'new text'), 'builder');
    const res = await server.json('POST', `/api/bots/${botId}/versions/1/restore`, undefined, 'builder');
    expect(res.status).toBe(200);
    expect(res.body.flow.name).toBe('Old');
    const draft = await server.json('GET', `/api/bots/${botId}/flow`, undefined, 'builder');
    expect(draft.body.flow.nodes.find((n: { id: string }) => n.id === 'hello').config.text).toBe('old text');
    const versions = await server.json('GET', `/api/bots/${botId}/versions`, undefined, 'builder');
    expect(versions.body.versions).toHaveLength(1);
  });

  test('test-chat snapshots (negative versions) are not listed as published versions', async () => {
    const botId = await server.createLiveBot();
    const test = await server.json('POST', `/api/bots/${botId}/conversations`, { test: true }, 'builder');
    expect(test.status).toBe(201);
    const versions = await server.json('GET', `/api/bots/${botId}/versions`, undefined, 'builder');
    expect(versions.body.versions.map((v: { version: number }) => v.version)).toEqual([1]);
    const bot = await server.json('GET', `/api/bots/${botId}`, undefined, 'builder');
    expect(bot.body.publishedVersion).toBe(1);
    const second = await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    expect(second.body.version).toBe(2);
  });
});

describe('settings', () => {
  const webhookDesk = { baseUrl: 'https://desk.example/api', secret: 'webhook-signing-secret-1', username: 'baton', password: 'desk-password-1' };

  const rawSettings = (botId: string) => server.db.select().from(botSettings).where(eq(botSettings.botId, botId)).get()!.settings;
  const rawSecrets = (botId: string) => server.db.select().from(secrets).where(eq(secrets.botId, botId)).all();

  test('GET answers the defaults for a new bot', async () => {
    const botId = await server.createBot();
    const res = await server.json('GET', `/api/bots/${botId}/settings`, undefined, 'builder');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ enabled: false, aiMode: 'hosted', defaultDesk: 'inbox', desks: {}, widget: { allowedOrigins: [] } });
  });

  test('PUT replaces the whole document: what it leaves out returns to the default', async () => {
    const botId = await server.createBot();
    const full = {
      enabled: true,
      aiMode: 'assist',
      serviceHours: { timezone: 'Asia/Shanghai', rules: [{ kind: 'weekly', days: ['mon', 'tue'], start: '09:00', end: '12:00' }] },
      widget: { allowedOrigins: ['https://shop.example'], greeting: 'Hi!', color: '#3355ff' },
    };
    const put = await server.json('PUT', `/api/bots/${botId}/settings`, full, 'builder');
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject(full);
    expect((await server.json('GET', `/api/bots/${botId}/settings`, undefined, 'builder')).body).toMatchObject(full);

    const replaced = await server.json('PUT', `/api/bots/${botId}/settings`, { aiMode: 'hosted' }, 'builder');
    expect(replaced.body).toEqual({ enabled: false, aiMode: 'hosted', defaultDesk: 'inbox', desks: {}, widget: { allowedOrigins: [] } });
    const bot = await server.json('GET', `/api/bots/${botId}`, undefined, 'builder');
    expect(bot.body.enabled).toBe(false);
  });

  test('defaultDesk names where "talk to a person" goes: the inbox unless set to a desk', async () => {
    const botId = await server.createBot();
    const set = await server.json('PUT', `/api/bots/${botId}/settings`, { defaultDesk: 'webhook', desks: { webhook: webhookDesk } }, 'builder');
    expect(set.status).toBe(200);
    expect(set.body.defaultDesk).toBe('webhook');
    expect(server.services.bots.settingsWithSecrets(botId).defaultDesk).toBe('webhook');
    const refused = await server.json('PUT', `/api/bots/${botId}/settings`, { defaultDesk: 'zendesk' }, 'builder');
    expect(refused.status).toBe(400);
    expect(refused.body.error.issues.map((i: { path: string[] }) => i.path.join('.'))).toEqual(['body.defaultDesk']);
    expect(server.services.bots.settingsWithSecrets(botId).defaultDesk).toBe('webhook');
  });

  test('secrets are write-only: GET shows them masked', async () => {
    const botId = await server.createBot();
    const put = await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: webhookDesk } }, 'builder');
    expect(put.status).toBe(200);
    const res = await server.json('GET', `/api/bots/${botId}/settings`, undefined, 'builder');
    expect(res.body.desks.webhook).toEqual({ baseUrl: 'https://desk.example/api', secret: '********', username: 'baton', password: '********' });
    expect(put.body.desks.webhook).toEqual(res.body.desks.webhook);
    expect(res.text).not.toContain('webhook-signing-secret-1');
    expect(res.text).not.toContain('desk-password-1');
  });

  test('a PUT that leaves a secret out keeps the stored one; sending the mask keeps it too', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: webhookDesk } }, 'builder');

    const leftOut = await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: { baseUrl: 'https://desk.example/v2' } } }, 'builder');
    expect(leftOut.status).toBe(200);
    // Replaced: the username (not a secret) is gone, the secrets are kept.
    const kept = { baseUrl: 'https://desk.example/v2', secret: webhookDesk.secret, password: webhookDesk.password };
    expect(server.services.bots.settingsWithSecrets(botId).desks.webhook).toEqual(kept);

    const masked = await server.json('GET', `/api/bots/${botId}/settings`, undefined, 'builder');
    const sentBack = await server.json('PUT', `/api/bots/${botId}/settings`, masked.body, 'builder');
    expect(sentBack.status).toBe(200);
    expect(server.services.bots.settingsWithSecrets(botId).desks.webhook).toEqual(kept);
  });

  test('a new value replaces the stored secret', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: webhookDesk } }, 'builder');
    await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: { ...webhookDesk, secret: 'rotated-secret-2' } } }, 'builder');
    expect(server.services.bots.settingsWithSecrets(botId).desks.webhook?.secret).toBe('rotated-secret-2');
  });

  test('removing a desk removes its secrets', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: webhookDesk, intercom: { accessToken: 'ic-token', clientSecret: 'ic-secret' } } }, 'builder');
    expect(rawSecrets(botId).map((s) => s.name).sort()).toEqual([
      'desks.intercom.accessToken',
      'desks.intercom.clientSecret',
      'desks.webhook.password',
      'desks.webhook.secret',
    ]);
    const res = await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { intercom: { accessToken: '********', clientSecret: '********' } } }, 'builder');
    expect(res.status).toBe(200);
    expect(rawSecrets(botId).map((s) => s.name).sort()).toEqual(['desks.intercom.accessToken', 'desks.intercom.clientSecret']);
    expect(res.body.desks).toEqual({ intercom: { accessToken: '********', clientSecret: '********' } });

    // Configuring the webhook desk again needs its secret again: the old one is gone.
    const again = await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: { baseUrl: 'https://desk.example/api' } } }, 'builder');
    expect(again.status).toBe(409);
  });

  // 409, not 400: the request is well formed (a secret may be left out to keep the stored one); what lacks it is the stored state.
  test('a desk configured without its required secret, none stored, is 409 naming the field, and nothing is saved', async () => {
    const botId = await server.createBot();
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    const res = await server.json('PUT', `/api/bots/${botId}/settings`, { enabled: true, desks: { intercom: { accessToken: 'only-the-token' } } }, 'builder');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('secret_required');
    expect(res.body.error.message).toContain('body.desks.intercom.clientSecret');
    expect(res.body.error.issues).toEqual([{ path: ['body', 'desks', 'intercom', 'clientSecret'], message: 'is required' }]);
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);

    const masked = await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { livechat: { organizationId: 'org-1', accessToken: '********', secretKey: 'lc-key' } } }, 'builder');
    expect(masked.status).toBe(409);
    expect(masked.body.error.issues[0].path).toEqual(['body', 'desks', 'livechat', 'accessToken']);
  });

  test('secrets are stored encrypted, and never in the settings document', async () => {
    const botId = await server.createBot();
    await server.json('PUT', `/api/bots/${botId}/settings`, { desks: { webhook: webhookDesk, livechat: { organizationId: 'org-7', accessToken: 'lc-access-token-xyz', secretKey: 'lc-secret-key-xyz' } } }, 'builder');
    const stored = rawSecrets(botId);
    expect(stored).toHaveLength(4);
    const rawTable = JSON.stringify(server.db.$client.prepare('SELECT * FROM secrets').all());
    for (const plaintext of ['webhook-signing-secret-1', 'desk-password-1', 'lc-access-token-xyz', 'lc-secret-key-xyz']) {
      expect(rawTable).not.toContain(plaintext);
      expect(JSON.stringify(rawSettings(botId))).not.toContain(plaintext);
    }
    for (const row of stored) expect(row.ciphertext).toMatch(/^v1\./);
    expect(rawSettings(botId)).toMatchObject({ desks: { webhook: { baseUrl: 'https://desk.example/api', username: 'baton' }, livechat: { organizationId: 'org-7' } } });
    expect(JSON.stringify(rawSettings(botId))).not.toContain('********');
    // The engine side reads them back in clear.
    expect(server.services.bots.settingsWithSecrets(botId).desks.livechat).toEqual({ organizationId: 'org-7', accessToken: 'lc-access-token-xyz', secretKey: 'lc-secret-key-xyz' });
  });

  test('invalid settings are 400 naming the field', async () => {
    const botId = await server.createBot();
    const res = await server.json('PUT', `/api/bots/${botId}/settings`, { widget: { allowedOrigins: ['https://shop.example/path'] } }, 'builder');
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0].path).toEqual(['body', 'widget', 'allowedOrigins', 0]);
    expect(res.body.error.message).toMatch(/^body\.widget\.allowedOrigins\.0: /);
  });
});
