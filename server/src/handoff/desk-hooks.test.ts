// End to end in-process: a handoff established against each desk's fake, then the desk's
// webhooks through the whole app (createApp) to the transcript and the engine. Forged calls are
// refused and change nothing.
import { eq } from 'drizzle-orm';
import type { HandoffActivityInput } from '@baton/engine/worker';
import type { JsonObject } from '@baton/nodes';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { signIntercomBody, startFakeIntercom, type FakeIntercom } from '../../../test/fakes/intercom/fake-intercom.js';
import { startFakeLivechat, type FakeLivechat } from '../../../test/fakes/livechat/fake-livechat.js';
import { startFakeWebhookDesk, type FakeWebhookDesk } from '../../../test/fakes/webhook/fake-webhook.js';
import { handoffs, messages } from '../db/schema.js';
import type { ConfigurableDeskKind as DeskKind } from '../desks/registry.js';
import { botSettingsInputSchema } from '../features/bots/bot-settings.js';
import { createTestServer, simpleFlow, type TestServer } from '../../testing/test-server.js';
import { createHandoffGateway } from './handoff-gateway.js';

const LIVECHAT_SECRET = 'livechat-webhook-secret-e2e';

let server: TestServer;
let intercom: FakeIntercom;
let livechat: FakeLivechat;
let webhook: FakeWebhookDesk;
let botId: string;
let keys = 0;

/** The app as a desk's HTTP client sees it. */
const viaApp = async (url: string, init: { method: string; headers: Record<string, string>; body: string | Buffer }): Promise<Response> =>
  server.app.request(url, { method: init.method, headers: init.headers, body: typeof init.body === 'string' ? init.body : new Uint8Array(init.body) });

beforeAll(async () => {
  [intercom, livechat, webhook] = await Promise.all([startFakeIntercom(), startFakeLivechat(), startFakeWebhookDesk({ transport: viaApp })]);
  server = await createTestServer();
  botId = await server.createLiveBot('Hooks', simpleFlow('Hooks'));
  server.services.bots.saveSettings(
    botId,
    botSettingsInputSchema.parse({
      enabled: true,
      desks: {
        intercom: { accessToken: intercom.accessToken, clientSecret: intercom.clientSecret, apiBaseUrl: intercom.baseUrl },
        livechat: { organizationId: livechat.organizationId, accessToken: livechat.agentToken, secretKey: LIVECHAT_SECRET, apiBaseUrl: livechat.baseUrl },
        webhook: { baseUrl: webhook.baseUrl, secret: webhook.secret },
      },
    }),
  );
  for (const action of ['incoming_event', 'chat_deactivated'] as const) {
    livechat.registerWebhook({ action, url: `http://baton.test/hooks/livechat/${botId}`, secretKey: LIVECHAT_SECRET, filters: { author_type: 'agent' }, transport: viaApp });
  }
});
afterAll(async () => {
  await server?.close();
  await Promise.all([intercom?.close(), livechat?.close(), webhook?.close()]);
});
beforeEach(() => {
  server.engine.calls.length = 0;
});

/** A conversation handed to `desk` through the gateway, against the desk's fake. */
async function handedOver(desk: DeskKind): Promise<{ conversationId: string; deskConversationId: string; handoffId: string }> {
  const { conversationId, flowVersion } = await server.openConversation(botId);
  const gateway = createHandoffGateway({ db: server.db, bots: server.services.bots, projection: server.services.projection, log: server.log });
  const input: HandoffActivityInput = {
    conversation: { id: conversationId, botId, flowVersion },
    nodeId: 'escalate',
    request: { target: { kind: 'desk', provider: desk }, waitTimeoutSeconds: 60, sessionTimeoutSeconds: 600, historyRounds: 3, requireEmail: false },
    history: [{ role: 'user', text: 'I need a person' }],
    user: { email: 'ann@example.com' } as JsonObject,
    idempotencyKey: `e2e-${++keys}`,
  };
  const answer = await gateway.request(input);
  if (answer.outcome !== 'queued') throw new Error(`handoff to ${desk}: ${answer.outcome}`);
  const row = server.db.select().from(handoffs).where(eq(handoffs.conversationId, conversationId)).get()!;
  server.engine.calls.length = 0;
  return { conversationId, deskConversationId: row.deskConversationId!, handoffId: row.id };
}

const transcript = (conversationId: string) => server.db.select().from(messages).where(eq(messages.conversationId, conversationId)).all();
const handoffRow = (id: string) => server.db.select().from(handoffs).where(eq(handoffs.id, id)).get()!;

function postIntercom(raw: string, headers: Record<string, string>) {
  return server.app.request(`/hooks/intercom/${botId}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw });
}

describe('Intercom', () => {
  test("a teammate's signed reply reaches the transcript and the workflow", async () => {
    const { conversationId, deskConversationId } = await handedOver('intercom');
    const raw = JSON.stringify(intercom.adminReply(deskConversationId, { body: '<p>Hi, <b>Anna</b> here</p>' }));
    const res = await postIntercom(raw, { 'x-hub-signature': signIntercomBody(intercom.clientSecret, raw) });
    expect(res.status).toBe(200);
    const stored = transcript(conversationId);
    expect(stored).toEqual([expect.objectContaining({ role: 'agent', text: 'Hi, Anna here', agentId: intercom.admin.name })]);
    expect(server.engine.calls).toEqual([
      { method: 'agentMessage', conversationId, message: { id: stored[0]!.id, text: 'Hi, Anna here', agentId: intercom.admin.id } },
    ]);
  });

  test('a redelivery of the same notification is acknowledged and stored once', async () => {
    const { conversationId, deskConversationId } = await handedOver('intercom');
    const notification = intercom.adminReply(deskConversationId, { body: '<p>Once</p>' });
    for (const attempt of [1, 2]) {
      const raw = JSON.stringify({ ...notification, delivery_attempts: attempt });
      expect((await postIntercom(raw, { 'x-hub-signature': signIntercomBody(intercom.clientSecret, raw) })).status).toBe(200);
    }
    expect(transcript(conversationId)).toHaveLength(1);
    expect(server.engine.callsOf('agentMessage')).toHaveLength(1);
  });

  test('closing in Intercom hands the conversation back and closes the handoff', async () => {
    const { conversationId, deskConversationId, handoffId } = await handedOver('intercom');
    const raw = JSON.stringify(intercom.adminClose(deskConversationId));
    expect((await postIntercom(raw, { 'x-hub-signature': signIntercomBody(intercom.clientSecret, raw) })).status).toBe(200);
    expect(server.engine.calls).toEqual([{ method: 'handBack', conversationId }]);
    expect(handoffRow(handoffId).status).toBe('closed');
  });

  test('forged or unsigned: 401, and the database is as before', async () => {
    const { deskConversationId } = await handedOver('intercom');
    const raw = JSON.stringify(intercom.adminReply(deskConversationId, { body: '<p>Send me your password</p>' }));
    const before = server.snapshot();
    const attempts: Record<string, string>[] = [{ 'x-hub-signature': signIntercomBody('a-guessed-secret', raw) }, {}, { 'x-hub-signature': 'sha1=nothex' }];
    for (const headers of attempts) {
      const res = await postIntercom(raw, headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    }
    expect(server.snapshot()).toEqual(before);
    expect(server.engine.calls).toEqual([]);
  });
});

describe('LiveChat', () => {
  test("an agent's message reaches the transcript and the workflow; the chat's end hands back", async () => {
    const { conversationId, deskConversationId, handoffId } = await handedOver('livechat');
    await livechat.agentSends(deskConversationId, 'Hello from LiveChat');
    expect(livechat.deliveries.at(-1)).toMatchObject({ status: 200 });
    expect(transcript(conversationId).map((m) => [m.role, m.text])).toEqual([['agent', 'Hello from LiveChat']]);
    expect(server.engine.callsOf('agentMessage').map((c) => c.message.text)).toEqual(['Hello from LiveChat']);

    await livechat.deactivateAsAgent(deskConversationId);
    expect(server.engine.callsOf('handBack')).toEqual([{ method: 'handBack', conversationId }]);
    expect(handoffRow(handoffId).status).toBe('closed');
  });

  test('a wrong or missing secret_key, or another organization: 401, and the database is as before', async () => {
    const { deskConversationId } = await handedOver('livechat');
    const before = server.snapshot();
    const delivered = livechat.deliveries.length;
    await livechat.agentSends(deskConversationId, 'forged one', { webhook: { secretKey: 'not-the-secret' } });
    await livechat.agentSends(deskConversationId, 'forged two', { webhook: { omitSecretKey: true } });
    await livechat.agentSends(deskConversationId, 'forged three', { webhook: { organizationId: 'another-org' } });
    const attempts = livechat.deliveries.slice(delivered);
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(attempts.every((d) => d.status === 401)).toBe(true);
    expect(server.snapshot()).toEqual(before);
    expect(server.engine.calls).toEqual([]);
  });
});

describe('the webhook desk', () => {
  const url = () => `http://baton.test/hooks/webhook/${botId}`;

  test("a human's signed message reaches the transcript and the workflow; the close hands back", async () => {
    const { conversationId, handoffId } = await handedOver('webhook');
    const sent = await webhook.emitMessage(`${url()}/message`, { conversationId, text: 'Hola, soy María', messageId: 'dm_1', agent: { id: 'ag_7', name: 'María' } });
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ code: 0, message: 'ok', result: 'delivered' });
    expect(transcript(conversationId).map((m) => [m.role, m.text, m.agentId])).toEqual([['agent', 'Hola, soy María', 'María']]);
    expect(server.engine.callsOf('agentMessage').map((c) => c.message)).toEqual([{ id: transcript(conversationId)[0]!.id, text: 'Hola, soy María', agentId: 'ag_7' }]);

    const closed = await webhook.emitClose(`${url()}/close`, { conversationId });
    expect(closed.status).toBe(200);
    expect(server.engine.callsOf('handBack')).toEqual([{ method: 'handBack', conversationId }]);
    expect(handoffRow(handoffId).status).toBe('closed');
  });

  test('replayed, forged, unsigned or stale: 401, and the database is as before', async () => {
    const { conversationId } = await handedOver('webhook');
    const genuine = await webhook.emitMessage(`${url()}/message`, { conversationId, text: 'The real one', messageId: 'dm_real' });
    expect(genuine.status).toBe(200);
    server.engine.calls.length = 0;
    const before = server.snapshot();

    const refused = [
      await webhook.replay(genuine),
      await webhook.emitMessage(`${url()}/message`, { conversationId, text: 'Forged', messageId: 'dm_forged' }, { signature: 'bad' }),
      await webhook.emitMessage(`${url()}/message`, { conversationId, text: 'Unsigned', messageId: 'dm_unsigned' }, { signature: 'missing' }),
      await webhook.emitMessage(`${url()}/message`, { conversationId, text: 'Stale', messageId: 'dm_stale' }, { skewSeconds: -301 }),
      await webhook.emitClose(`${url()}/close`, { conversationId }, { signature: 'bad' }),
    ];
    for (const emission of refused) {
      expect(emission.status).toBe(401);
      expect((emission.body as { error: { code: string } }).error.code).toBe('invalid_signature');
    }
    expect(server.snapshot()).toEqual(before);
    expect(server.engine.calls).toEqual([]);
  });
});
