// The role matrix: who may call every route. Routes come from the generated OpenAPI document,
// so a route added without an entry here fails the first test.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signIntercomBody } from '../../../test/fakes/intercom/fake-intercom.js';
import { startFakeWebhookDesk, type FakeWebhookDesk } from '../../../test/fakes/webhook/fake-webhook.js';
import { signedHeaders } from '../desks/webhook/webhook.signature.js';
import { botSettingsInputSchema } from '../features/bots/bot-settings.js';
import { createTestServer, readJson, simpleFlow, type TestServer } from '../../testing/test-server.js';

type Caller = 'owner' | 'builder' | 'agent' | 'conversation' | 'otherConversation' | 'invalid' | 'anonymous';
const CALLERS: Caller[] = ['owner', 'builder', 'agent', 'conversation', 'otherConversation', 'invalid', 'anonymous'];

const ANYONE: Caller[] = CALLERS;
const PEOPLE: Caller[] = ['owner', 'builder', 'agent'];
const BUILDERS: Caller[] = ['owner', 'builder'];
const OWNER: Caller[] = ['owner'];

interface Entry {
  allow: Caller[];
  /** A valid body, so that an allowed call succeeds. */
  body?: () => unknown;
  /** Headers computed from the exact body sent: the desks' hooks are valid only when signed. */
  signed?: (raw: string) => Record<string, string>;
}

let unique = 0;

const INTERCOM_SECRET = 'intercom-client-secret-matrix';
const LIVECHAT_SECRET = 'livechat-secret-key-matrix';
const LIVECHAT_ORGANIZATION = 'org-matrix';
/** The matrix bot's settings: every desk configured, so that every hook has someone to answer. */
const deskSettings = () => ({
  enabled: true,
  desks: {
    intercom: { accessToken: 'intercom-token-matrix', clientSecret: INTERCOM_SECRET },
    livechat: { organizationId: LIVECHAT_ORGANIZATION, accessToken: 'dal:livechat-token-matrix', secretKey: LIVECHAT_SECRET },
    webhook: { baseUrl: desk.baseUrl, secret: desk.secret },
  },
});
const webhookSigned = (raw: string) => signedHeaders(desk.secret, raw, Date.now());

/** Who may call what (docs/api.md). `conversation` is the token of the conversation in the path. */
const MATRIX: Record<string, Entry> = {
  'GET /healthz': { allow: ANYONE },
  'GET /api/openapi.json': { allow: ANYONE },
  'POST /api/auth/login': { allow: ANYONE, body: () => ({ email: 'owner@test.local', password: 'owner-password-1' }) },
  'POST /api/auth/logout': { allow: ANYONE },
  'GET /api/auth/me': { allow: PEOPLE },
  'GET /api/users': { allow: PEOPLE },
  'POST /api/users': { allow: OWNER, body: () => ({ email: `person-${++unique}@test.local`, role: 'agent', password: 'long-enough-password' }) },
  'GET /api/tokens': { allow: PEOPLE },
  'POST /api/tokens': { allow: PEOPLE, body: () => ({ name: 'matrix' }) },
  'DELETE /api/tokens/:tokenId': { allow: PEOPLE },
  'POST /api/bots': { allow: BUILDERS, body: () => ({ name: 'Matrix bot' }) },
  'GET /api/bots': { allow: PEOPLE },
  'GET /api/bots/:botId': { allow: PEOPLE },
  'GET /api/bots/:botId/flow': { allow: BUILDERS },
  'PUT /api/bots/:botId/flow': { allow: BUILDERS, body: () => simpleFlow('Matrix') },
  'POST /api/bots/:botId/publish': { allow: BUILDERS },
  'GET /api/bots/:botId/versions': { allow: BUILDERS },
  'GET /api/bots/:botId/versions/:version': { allow: BUILDERS },
  'POST /api/bots/:botId/versions/:version/restore': { allow: BUILDERS },
  'GET /api/bots/:botId/settings': { allow: BUILDERS },
  // The whole document, desks included: a PUT replaces the settings, and the hooks below need the desks.
  'PUT /api/bots/:botId/settings': { allow: BUILDERS, body: deskSettings },
  'GET /api/node-types': { allow: BUILDERS },
  'GET /api/desk-types': { allow: BUILDERS },
  'POST /api/bots/:botId/flow/upgrade': { allow: BUILDERS },
  // Node secrets: names only on GET; values go in, never out.
  'GET /api/bots/:botId/secrets': { allow: BUILDERS },
  'PUT /api/bots/:botId/secrets/:name': { allow: BUILDERS, body: () => ({ value: `secret-value-${++unique}` }) },
  'DELETE /api/bots/:botId/secrets/:name': { allow: BUILDERS },
  'POST /api/bots/:botId/conversations': { allow: ANYONE, body: () => ({}) },
  'POST /api/conversations/:id/messages': { allow: ['owner', 'builder', 'conversation'], body: () => ({ text: 'hello' }) },
  'GET /api/conversations/:id': { allow: [...PEOPLE, 'conversation'] },
  'GET /api/conversations/:id/messages': { allow: [...PEOPLE, 'conversation'] },
  'GET /api/conversations/:id/events': { allow: [...PEOPLE, 'conversation'] },
  // The inbox, for people.
  'GET /api/inbox': { allow: PEOPLE },
  'GET /api/inbox/events': { allow: PEOPLE },
  'POST /api/conversations/:id/takeover': { allow: PEOPLE },
  'POST /api/conversations/:id/agent-messages': { allow: PEOPLE, body: () => ({ text: 'A person here' }) },
  'POST /api/conversations/:id/complete': { allow: PEOPLE },
  'POST /api/conversations/:id/reactivate': { allow: PEOPLE },
  'GET /api/conversations/:id/suggestion': { allow: PEOPLE },
  'PUT /api/agents/me/status': { allow: PEOPLE, body: () => ({ status: 'away' }) },
  'GET /api/teams': { allow: PEOPLE },
  'POST /api/teams': { allow: OWNER, body: () => ({ name: `Team ${++unique}` }) },
  'PUT /api/teams/:teamId': { allow: OWNER, body: () => ({ name: `Renamed team ${++unique}` }) },
  // The widget's side: availability and appearance before a conversation, the handoff buttons in one.
  'GET /api/bots/:botId/availability': { allow: ANYONE },
  'GET /api/bots/:botId/appearance': { allow: ANYONE },
  'POST /api/conversations/:id/request-human': { allow: ['owner', 'builder', 'conversation'] },
  'POST /api/conversations/:id/leave-humans': { allow: ['owner', 'builder', 'conversation'] },
  'PUT /api/conversations/:id/user': { allow: ['owner', 'builder', 'conversation'], body: () => ({ name: `Ann ${++unique}` }) },
  // Desks: settings screen for builders; hooks are public and checked by the desk's signature instead.
  'GET /api/bots/:botId/desks': { allow: BUILDERS },
  'POST /api/bots/:botId/desks/:desk/test': { allow: BUILDERS },
  'GET /hooks/intercom/:botId': { allow: ANYONE },
  'POST /hooks/intercom/:botId': {
    allow: ANYONE,
    body: () => ({
      type: 'notification_event',
      id: `notif_matrix_${++unique}`,
      topic: 'conversation.admin.replied',
      data: { item: { type: 'conversation', id: 'ic-no-handoff', conversation_parts: { conversation_parts: [] } } },
    }),
    signed: (raw) => ({ 'x-hub-signature': signIntercomBody(INTERCOM_SECRET, raw) }),
  },
  'POST /hooks/livechat/:botId': {
    allow: ANYONE,
    body: () => ({
      webhook_id: 'wh_matrix',
      secret_key: LIVECHAT_SECRET,
      action: 'incoming_event',
      organization_id: LIVECHAT_ORGANIZATION,
      payload: { chat_id: 'LC-NO-HANDOFF', thread_id: 'T1', event: { id: `ev_${++unique}`, type: 'message', text: 'Hello', author_id: 'agent@example.com' } },
    }),
  },
  // Each call signs different bytes: the same signature twice is a replay.
  'POST /hooks/webhook/:botId/message': {
    allow: ANYONE,
    body: () => ({ conversation_id: 'cnv_no_handoff', timestamp: Date.now(), body: 'Hello', message_id: `dm_${++unique}` }),
    signed: webhookSigned,
  },
  'POST /hooks/webhook/:botId/close': {
    allow: ANYONE,
    body: () => ({ conversation_id: 'cnv_no_handoff', timestamp: Date.now() + ++unique }),
    signed: webhookSigned,
  },
};

/** The node secret every refused call to the secrets routes names. */
const KEPT_SECRET = 'matrix_kept';

/** Served by the app but not part of the document it serves. */
const UNDOCUMENTED = ['GET /api/openapi.json'];

let server: TestServer;
let desk: FakeWebhookDesk;
let botId: string;
let teamId: string;
let own: { conversationId: string; token: string };
let other: { conversationId: string; token: string };

beforeAll(async () => {
  desk = await startFakeWebhookDesk();
  server = await createTestServer();
  botId = await server.createLiveBot('Matrix', simpleFlow('Matrix'));
  server.services.bots.saveSettings(botId, botSettingsInputSchema.parse(deskSettings()));
  server.services.bots.setSecret(botId, KEPT_SECRET, 'kept-secret-value');
  teamId = server.services.inbox.saveTeam({ name: 'Matrix team', memberIds: [] }).id;
  own = await server.openConversation(botId);
  other = await server.openConversation(botId);
});
afterAll(async () => {
  await server?.close();
  await desk?.close();
});

function headersFor(caller: Caller): Record<string, string> {
  switch (caller) {
    case 'owner':
    case 'builder':
    case 'agent':
      return server.as(caller);
    case 'conversation':
      return { authorization: `Bearer ${own.token}` };
    case 'otherConversation':
      return { authorization: `Bearer ${other.token}` };
    case 'invalid':
      return { authorization: 'Bearer bt_this-token-was-never-issued' };
    case 'anonymous':
      return {};
  }
}

function param(name: string, caller: Caller): string {
  switch (name) {
    case 'botId':
      return botId;
    case 'id':
      return own.conversationId;
    case 'version':
      return '1';
    case 'teamId':
      return teamId;
    case 'name': {
      // A secret that exists, so an allowed DELETE really deletes something; refused callers
      // all aim at the same one, which must survive them.
      if (caller !== 'owner' && caller !== 'builder') return KEPT_SECRET;
      const name = `matrix_${++unique}`;
      server.services.bots.setSecret(botId, name, 'matrix-secret-value');
      return name;
    }
    case 'desk':
      // The one desk whose fake answers the connection test.
      return 'webhook';
    case 'tokenId':
      // A token of the caller's own, so an allowed call really revokes something.
      return caller === 'owner' || caller === 'builder' || caller === 'agent'
        ? server.services.auth.createApiToken(server.users[caller].id, 'to revoke').id
        : 'tok_someone-elses';
    default:
      throw new Error(`no value for the path parameter :${name}; add one to the matrix`);
  }
}

async function call(route: string, caller: Caller) {
  const [method, template] = route.split(' ') as [string, string];
  const entry = MATRIX[route]!;
  const body = entry.body?.();
  const raw = body === undefined ? undefined : JSON.stringify(body);
  const path = template.replace(/:(\w+)/g, (_, name: string) => param(name, caller));
  const res = await server.app.request(path, {
    method,
    headers: {
      ...headersFor(caller),
      ...(raw === undefined ? {} : { 'content-type': 'application/json' }),
      ...(raw !== undefined && entry.signed ? entry.signed(raw) : {}),
    },
    ...(raw === undefined ? {} : { body: raw }),
  });
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    // An event stream never ends by itself: its status is the answer.
    await res.body?.cancel();
    return { status: res.status, body: undefined, text: '' };
  }
  return readJson(res);
}

test('every route the app declares has an entry in the matrix, and every entry is a route', async () => {
  const document = (await server.json('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
  );
  expect(documented.length).toBeGreaterThan(0);
  expect([...documented, ...UNDOCUMENTED].sort()).toEqual(Object.keys(MATRIX).sort());
});

test('the access each route documents (x-access) is the access it enforces', async () => {
  const document = (await server.json('GET', '/api/openapi.json')).body as {
    paths: Record<string, Record<string, { 'x-access': 'public' | { roles: string[]; conversationToken: boolean } }>>;
  };
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      const entry = MATRIX[`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`]!;
      const documented = operation['x-access'];
      if (entry.allow.includes('anonymous')) {
        expect(documented, `${method} ${path}`).toBe('public');
      } else {
        expect(documented, `${method} ${path}`).toEqual({
          roles: PEOPLE.filter((role) => entry.allow.includes(role)),
          conversationToken: entry.allow.includes('conversation'),
        });
      }
    }
  }
});

describe.each(Object.keys(MATRIX))('%s', (route) => {
  const entry = MATRIX[route]!;
  test.each(CALLERS)('as %s', async (caller) => {
    const res = await call(route, caller);
    const context = `${route} as ${caller}: ${res.status} ${res.text}`;
    if (entry.allow.includes(caller)) {
      expect(res.status, context).toBeGreaterThanOrEqual(200);
      expect(res.status, context).toBeLessThan(300);
    } else if (caller === 'anonymous') {
      expect(res.status, context).toBe(401);
      expect(res.body.error.code, context).toBe('unauthorized');
    } else if (caller === 'invalid') {
      expect(res.status, context).toBe(401);
      expect(res.body.error.code, context).toBe('invalid_credentials');
    } else {
      expect(res.status, context).toBe(403);
      expect(res.body.error.code, context).toBe('forbidden');
    }
  });
});

describe('other credentials', () => {
  test('a session cookie carries the same rights as the person\'s API token', async () => {
    const builder = await server.login('builder@test.local', 'builder-password-1');
    expect((await server.json('GET', `/api/bots/${botId}/flow`, undefined, { cookie: builder })).status).toBe(200);
    const denied = await server.json('POST', '/api/users', { email: 'x@test.local', role: 'agent', password: 'long-enough-password' }, { cookie: builder });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
  });

  test('an invalid conversation token is 401 invalid_credentials', async () => {
    const res = await server.json('GET', `/api/conversations/${own.conversationId}`, undefined, { bearer: 'ct_never-issued' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });

  test('a conversation token is no key to another conversation, even in the query', async () => {
    const res = await server.json('GET', `/api/conversations/${other.conversationId}/messages?token=${own.token}`);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  test('denied calls change nothing', async () => {
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    const engineCalls = server.engine.calls.length;
    for (const caller of ['agent', 'conversation', 'invalid', 'anonymous'] as const) {
      await call('POST /api/bots', caller);
      await call('PUT /api/bots/:botId/settings', caller);
      await call('POST /api/bots/:botId/publish', caller);
      await call('POST /api/bots/:botId/flow/upgrade', caller);
      await call('PUT /api/bots/:botId/secrets/:name', caller);
      await call('DELETE /api/bots/:botId/secrets/:name', caller);
    }
    await call('POST /api/conversations/:id/messages', 'otherConversation');
    for (const caller of ['builder', 'agent', 'conversation'] as const) await call('POST /api/teams', caller);
    for (const caller of ['agent', 'otherConversation'] as const) {
      await call('PUT /api/conversations/:id/user', caller);
      await call('POST /api/conversations/:id/request-human', caller);
    }
    await call('POST /api/conversations/:id/takeover', 'conversation');
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
    expect(server.engine.calls.length, 'no signal reached the engine').toBe(engineCalls);
    expect(server.services.bots.secret(botId, KEPT_SECRET)).toBe('kept-secret-value');
  });

  test("a hook's caller is the desk, proven by its signature: an owner's credentials are no substitute", async () => {
    const before = server.snapshot({ except: ['api_tokens.last_used_at'] });
    for (const route of ['POST /hooks/intercom/:botId', 'POST /hooks/webhook/:botId/message', 'POST /hooks/webhook/:botId/close']) {
      const res = await server.app.request(route.split(' ')[1]!.replace(':botId', botId), {
        method: 'POST',
        headers: { ...server.as('owner'), 'content-type': 'application/json' },
        body: JSON.stringify(MATRIX[route]!.body!()),
      });
      expect(res.status, route).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code, route).toBe('invalid_signature');
    }
    const livechat = { ...(MATRIX['POST /hooks/livechat/:botId']!.body!() as Record<string, unknown>), secret_key: 'not-the-secret' };
    const res = await server.app.request(`/hooks/livechat/${botId}`, {
      method: 'POST',
      headers: { ...server.as('owner'), 'content-type': 'application/json' },
      body: JSON.stringify(livechat),
    });
    expect(res.status).toBe(401);
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
  });
});
