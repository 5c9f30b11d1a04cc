// Bad input on every route that takes a body or path parameters: the right 4xx with the field
// named, nothing written, and never a stack trace. Routes come from the OpenAPI document, so a
// new route with a body or parameters and no entry here fails the first test.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signIntercomBody } from '../../../test/fakes/intercom/fake-intercom.js';
import { INTERCOM_WEBHOOK_BODY_LIMIT } from '../desks/intercom/intercom.routes.js';
import { signedHeaders } from '../desks/webhook/webhook.signature.js';
import { botSettingsInputSchema } from '../features/bots/bot-settings.js';
import { FLOW_BODY_LIMIT } from '../features/bots/bots.routes.js';
import { createTestServer, simpleFlow, type JsonResponse, type TestServer } from '../../testing/test-server.js';
import { DEFAULT_BODY_LIMIT } from './route.js';

interface Ids {
  botId: string;
  conversationId: string;
  tokenId: string;
  teamId: string;
}

interface Refusal {
  status: number;
  code: string;
}

interface BodyCases {
  /** Bytes; one more is refused with 413. */
  limit: number;
  valid: () => unknown;
  /** A body breaking the schema, and the field the answer must name. */
  invalid: unknown;
  field: string;
  /** The flow document is checked by the flow language, not the request schema. */
  invalidStatus?: { status: number; code: string };
  /** Desk hooks: the headers proving the desk sent these exact bytes (checked before the body is read). */
  sign?: (raw: string) => Record<string, string>;
  /**
   * Desk hooks read the signed bytes as JSON whatever type they declare (no 415): the desks decide
   * the header, the signature decides the trust.
   */
  anyContentType?: true;
  /** What unreadable JSON gets instead of 400 malformed_json (LiveChat's secret is inside the JSON). */
  malformed?: Refusal;
  /** What a JSON array, string or number gets instead of 400 invalid_request. */
  wrongKind?: Refusal;
}

interface Case {
  path: (ids: Ids) => string;
  body?: BodyCases;
  /** A path whose parameters break their schema, and the field the answer must name. */
  badParams?: { path: (ids: Ids) => string; field: string }[];
  /** Paths naming things that do not exist. */
  unknown?: ((ids: Ids) => string)[];
  /** Queries that break their schema. */
  badQuery?: { path: (ids: Ids) => string; field: string }[];
  /**
   * Tables a refused request may still write. The webhook desk's replay memory records every
   * correctly signed request before its body is read, so that the same bytes cannot come twice.
   */
  mayWrite?: string[];
}

const long = 'x'.repeat(101);
let unique = 0;

const INTERCOM_SECRET = 'intercom-client-secret-bad-input';
const LIVECHAT_SECRET = 'livechat-secret-key-bad-input';
const LIVECHAT_ORGANIZATION = 'org-bad-input';
const WEBHOOK_SECRET = 'webhook-desk-secret-bad-input';
const intercomSigned = (raw: string) => ({ 'x-hub-signature': signIntercomBody(INTERCOM_SECRET, raw) });
/**
 * Every signature a fresh second: the same bytes sent to /message and then /close within one
 * second would be one signature, and the second a replay (rightly: the key is shared by both).
 * Starting 200 s back leaves room for 500 calls inside the 300 s window.
 */
let webhookClock = Date.now() - 200_000;
const webhookSigned = (raw: string) => signedHeaders(WEBHOOK_SECRET, raw, (webhookClock += 1000));
/** Every desk configured, so that every hook has someone to answer; a settings PUT must keep them. */
const deskSettings = () => ({
  enabled: true,
  desks: {
    intercom: { accessToken: 'intercom-token', clientSecret: INTERCOM_SECRET },
    livechat: { organizationId: LIVECHAT_ORGANIZATION, accessToken: 'dal:livechat-token', secretKey: LIVECHAT_SECRET },
    webhook: { baseUrl: 'https://desk.example/baton', secret: WEBHOOK_SECRET },
  },
});
/** LiveChat's secret is in the body: JSON that is not an object cannot carry it. */
const unauthenticated: Refusal = { status: 401, code: 'invalid_signature' };

/** Secret names are lower case letters, digits and `_`, starting with a letter (what `secretRef()` accepts). */
const secretNameParams: Case['badParams'] = [
  { path: () => `/api/bots/${long}/secrets/crm_token`, field: 'params.botId' },
  { path: (ids) => `/api/bots/${ids.botId}/secrets/CRM_TOKEN`, field: 'params.name' },
  { path: (ids) => `/api/bots/${ids.botId}/secrets/crm-token`, field: 'params.name' },
  { path: (ids) => `/api/bots/${ids.botId}/secrets/1token`, field: 'params.name' },
  { path: (ids) => `/api/bots/${ids.botId}/secrets/${'t'.repeat(65)}`, field: 'params.name' },
  { path: (ids) => `/api/bots/${ids.botId}/secrets/desks.webhook.secret`, field: 'params.name' },
];

const CASES: Record<string, Case> = {
  'POST /api/auth/login': {
    path: () => '/api/auth/login',
    body: { limit: 16 * 1024, valid: () => ({ email: 'owner@test.local', password: 'owner-password-1' }), invalid: { email: 'not-an-email', password: 'x' }, field: 'body.email' },
  },
  'POST /api/users': {
    path: () => '/api/users',
    body: {
      limit: DEFAULT_BODY_LIMIT,
      valid: () => ({ email: `limit-${Date.now()}@test.local`, role: 'agent', password: 'long-enough-password' }),
      invalid: { email: 'someone@test.local', role: 'admin', password: 'long-enough-password' },
      field: 'body.role',
    },
  },
  'POST /api/tokens': {
    path: () => '/api/tokens',
    body: { limit: DEFAULT_BODY_LIMIT, valid: () => ({ name: 'at the limit' }), invalid: { name: '' }, field: 'body.name' },
  },
  'DELETE /api/tokens/:tokenId': {
    path: (ids) => `/api/tokens/${ids.tokenId}`,
    badParams: [{ path: () => `/api/tokens/${long}`, field: 'params.tokenId' }],
    unknown: [() => '/api/tokens/tok_unknown'],
  },
  'POST /api/bots': {
    path: () => '/api/bots',
    body: { limit: DEFAULT_BODY_LIMIT, valid: () => ({ name: 'At the limit' }), invalid: { name: '   ' }, field: 'body.name' },
  },
  'GET /api/bots/:botId': {
    path: (ids) => `/api/bots/${ids.botId}`,
    badParams: [{ path: () => `/api/bots/${long}`, field: 'params.botId' }],
    unknown: [() => '/api/bots/bot_unknown'],
  },
  'GET /api/bots/:botId/flow': {
    path: (ids) => `/api/bots/${ids.botId}/flow`,
    badParams: [{ path: () => `/api/bots/${long}/flow`, field: 'params.botId' }],
    unknown: [() => '/api/bots/bot_unknown/flow'],
  },
  'PUT /api/bots/:botId/flow': {
    path: (ids) => `/api/bots/${ids.botId}/flow`,
    body: {
      limit: FLOW_BODY_LIMIT,
      valid: () => simpleFlow('At the limit'),
      invalid: { schemaVersion: 2, nodes: 'none', edges: [] },
      field: 'schemaVersion',
      invalidStatus: { status: 422, code: 'invalid_flow_document' },
    },
    badParams: [{ path: () => `/api/bots/${long}/flow`, field: 'params.botId' }],
    unknown: [() => '/api/bots/bot_unknown/flow'],
  },
  'POST /api/bots/:botId/publish': {
    path: (ids) => `/api/bots/${ids.botId}/publish`,
    badParams: [{ path: () => `/api/bots/${long}/publish`, field: 'params.botId' }],
    unknown: [() => '/api/bots/bot_unknown/publish'],
  },
  'GET /api/bots/:botId/versions': {
    path: (ids) => `/api/bots/${ids.botId}/versions`,
    badParams: [{ path: () => `/api/bots/${long}/versions`, field: 'params.botId' }],
    unknown: [() => '/api/bots/bot_unknown/versions'],
  },
  'GET /api/bots/:botId/versions/:version': {
    path: (ids) => `/api/bots/${ids.botId}/versions/1`,
    badParams: [
      { path: (ids) => `/api/bots/${ids.botId}/versions/latest`, field: 'params.version' },
      { path: (ids) => `/api/bots/${ids.botId}/versions/0`, field: 'params.version' },
      { path: (ids) => `/api/bots/${ids.botId}/versions/1.5`, field: 'params.version' },
    ],
    unknown: [() => '/api/bots/bot_unknown/versions/1', (ids) => `/api/bots/${ids.botId}/versions/99`],
  },
  'POST /api/bots/:botId/versions/:version/restore': {
    path: (ids) => `/api/bots/${ids.botId}/versions/1/restore`,
    badParams: [
      { path: (ids) => `/api/bots/${ids.botId}/versions/-1/restore`, field: 'params.version' },
      { path: () => `/api/bots/${long}/versions/1/restore`, field: 'params.botId' },
    ],
    unknown: [() => '/api/bots/bot_unknown/versions/1/restore', (ids) => `/api/bots/${ids.botId}/versions/99/restore`],
  },
  'GET /api/bots/:botId/settings': {
    path: (ids) => `/api/bots/${ids.botId}/settings`,
    badParams: [{ path: () => `/api/bots/${long}/settings`, field: 'params.botId' }],
    unknown: [() => '/api/bots/bot_unknown/settings'],
  },
  'PUT /api/bots/:botId/settings': {
    path: (ids) => `/api/bots/${ids.botId}/settings`,
    body: { limit: DEFAULT_BODY_LIMIT, valid: deskSettings, invalid: { enabled: true, aiMode: 'autopilot' }, field: 'body.aiMode' },
    badParams: [{ path: () => `/api/bots/${long}/settings`, field: 'params.botId' }],
    unknown: [() => '/api/bots/bot_unknown/settings'],
  },
  'POST /api/bots/:botId/conversations': {
    path: (ids) => `/api/bots/${ids.botId}/conversations`,
    body: { limit: DEFAULT_BODY_LIMIT, valid: () => ({ user: { name: 'At the limit' } }), invalid: { user: { email: 'nope' } }, field: 'body.user.email' },
    badParams: [{ path: () => `/api/bots/${long}/conversations`, field: 'params.botId' }],
    unknown: [() => '/api/bots/bot_unknown/conversations'],
  },
  'POST /api/conversations/:id/messages': {
    path: (ids) => `/api/conversations/${ids.conversationId}/messages`,
    body: { limit: 64 * 1024, valid: () => ({ text: 'at the limit' }), invalid: { text: 'x'.repeat(4001) }, field: 'body.text' },
    badParams: [{ path: () => `/api/conversations/${long}/messages`, field: 'params.id' }],
    unknown: [() => '/api/conversations/cnv_unknown/messages'],
    badQuery: [{ path: (ids) => `/api/conversations/${ids.conversationId}/messages?wait=maybe`, field: 'query.wait' }],
  },
  'GET /api/conversations/:id': {
    path: (ids) => `/api/conversations/${ids.conversationId}`,
    badParams: [{ path: () => `/api/conversations/${long}`, field: 'params.id' }],
    unknown: [() => '/api/conversations/cnv_unknown'],
  },
  'GET /api/conversations/:id/messages': {
    path: (ids) => `/api/conversations/${ids.conversationId}/messages`,
    badParams: [{ path: () => `/api/conversations/${long}/messages`, field: 'params.id' }],
    unknown: [() => '/api/conversations/cnv_unknown/messages'],
    badQuery: [
      { path: (ids) => `/api/conversations/${ids.conversationId}/messages?after=-1`, field: 'query.after' },
      { path: (ids) => `/api/conversations/${ids.conversationId}/messages?after=soon`, field: 'query.after' },
      { path: (ids) => `/api/conversations/${ids.conversationId}/messages?limit=0`, field: 'query.limit' },
      { path: (ids) => `/api/conversations/${ids.conversationId}/messages?limit=501`, field: 'query.limit' },
    ],
  },
  'GET /api/conversations/:id/events': {
    path: (ids) => `/api/conversations/${ids.conversationId}/events`,
    badParams: [{ path: () => `/api/conversations/${long}/events`, field: 'params.id' }],
    unknown: [() => '/api/conversations/cnv_unknown/events'],
    badQuery: [{ path: (ids) => `/api/conversations/${ids.conversationId}/events?after=-5`, field: 'query.after' }],
  },
  'POST /api/conversations/:id/takeover': conversationAction('takeover'),
  'POST /api/conversations/:id/agent-messages': {
    ...conversationAction('agent-messages'),
    body: { limit: 64 * 1024, valid: () => ({ text: 'A person here' }), invalid: { text: 'x'.repeat(4001) }, field: 'body.text' },
  },
  'POST /api/conversations/:id/complete': conversationAction('complete'),
  'POST /api/conversations/:id/reactivate': conversationAction('reactivate'),
  'GET /api/conversations/:id/suggestion': conversationAction('suggestion'),
  'PUT /api/agents/me/status': {
    path: () => '/api/agents/me/status',
    body: { limit: DEFAULT_BODY_LIMIT, valid: () => ({ status: 'away' }), invalid: { status: 'busy' }, field: 'body.status' },
  },
  'GET /api/bots/:botId/availability': botAction('availability'),
  'GET /api/bots/:botId/appearance': botAction('appearance'),
  'POST /api/teams': {
    path: () => '/api/teams',
    body: { limit: DEFAULT_BODY_LIMIT, valid: () => ({ name: `Team ${++unique}` }), invalid: { name: '   ' }, field: 'body.name' },
  },
  'PUT /api/teams/:teamId': {
    path: (ids) => `/api/teams/${ids.teamId}`,
    body: { limit: DEFAULT_BODY_LIMIT, valid: () => ({ name: `Team ${++unique}` }), invalid: { name: 'Support', memberIds: 'everyone' }, field: 'body.memberIds' },
    badParams: [{ path: () => `/api/teams/${long}`, field: 'params.teamId' }],
    unknown: [() => '/api/teams/team_unknown'],
  },
  'POST /api/conversations/:id/request-human': conversationAction('request-human'),
  'POST /api/conversations/:id/leave-humans': conversationAction('leave-humans'),
  'PUT /api/conversations/:id/user': {
    ...conversationAction('user'),
    body: { limit: DEFAULT_BODY_LIMIT, valid: () => ({ name: 'Ann' }), invalid: { email: 'not-an-email' }, field: 'body.email' },
  },
  'GET /api/bots/:botId/desks': botAction('desks'),
  'POST /api/bots/:botId/flow/upgrade': botAction('flow/upgrade'),
  'GET /api/bots/:botId/secrets': botAction('secrets'),
  'PUT /api/bots/:botId/secrets/:name': {
    path: (ids) => `/api/bots/${ids.botId}/secrets/crm_token`,
    body: { limit: DEFAULT_BODY_LIMIT, valid: () => ({ value: 'tk_at_the_limit' }), invalid: { value: '' }, field: 'body.value' },
    badParams: secretNameParams,
    unknown: [() => '/api/bots/bot_unknown/secrets/crm_token'],
  },
  'DELETE /api/bots/:botId/secrets/:name': {
    path: (ids) => `/api/bots/${ids.botId}/secrets/crm_token`,
    badParams: secretNameParams,
    unknown: [() => '/api/bots/bot_unknown/secrets/crm_token', (ids) => `/api/bots/${ids.botId}/secrets/never_stored`],
  },
  'POST /api/bots/:botId/desks/:desk/test': {
    path: (ids) => `/api/bots/${ids.botId}/desks/webhook/test`,
    badParams: [
      { path: () => `/api/bots/${long}/desks/webhook/test`, field: 'params.botId' },
      { path: (ids) => `/api/bots/${ids.botId}/desks/zendesk/test`, field: 'params.desk' },
    ],
    unknown: [() => '/api/bots/bot_unknown/desks/webhook/test'],
  },
  'GET /hooks/intercom/:botId': {
    path: (ids) => `/hooks/intercom/${ids.botId}`,
    badParams: [{ path: () => `/hooks/intercom/${long}`, field: 'params.botId' }],
    unknown: [() => '/hooks/intercom/bot_unknown'],
  },
  'POST /hooks/intercom/:botId': {
    path: (ids) => `/hooks/intercom/${ids.botId}`,
    body: {
      limit: INTERCOM_WEBHOOK_BODY_LIMIT,
      valid: () => ({
        type: 'notification_event',
        id: `notif_${++unique}`,
        topic: 'conversation.admin.replied',
        data: { item: { type: 'conversation', id: 'ic-no-handoff', conversation_parts: { conversation_parts: [] } } },
      }),
      invalid: { type: 'notification_event', topic: 'conversation.admin.replied', data: { item: {} } },
      field: 'body.id',
      sign: intercomSigned,
      anyContentType: true,
    },
    badParams: [{ path: () => `/hooks/intercom/${long}`, field: 'params.botId' }],
    unknown: [() => '/hooks/intercom/bot_unknown'],
  },
  'POST /hooks/livechat/:botId': {
    path: (ids) => `/hooks/livechat/${ids.botId}`,
    body: {
      limit: DEFAULT_BODY_LIMIT,
      valid: () => ({
        webhook_id: 'wh_1',
        secret_key: LIVECHAT_SECRET,
        action: 'incoming_event',
        organization_id: LIVECHAT_ORGANIZATION,
        payload: { chat_id: 'LC-NO-HANDOFF', thread_id: 'T1', event: { id: `ev_${++unique}`, type: 'message', text: 'Hello', author_id: 'agent@example.com' } },
      }),
      invalid: { webhook_id: 'wh_1', secret_key: LIVECHAT_SECRET, organization_id: LIVECHAT_ORGANIZATION, payload: {} },
      field: 'body.action',
      anyContentType: true,
      malformed: unauthenticated,
      wrongKind: unauthenticated,
    },
    badParams: [{ path: () => `/hooks/livechat/${long}`, field: 'params.botId' }],
    unknown: [() => '/hooks/livechat/bot_unknown'],
  },
  'POST /hooks/webhook/:botId/message': {
    path: (ids) => `/hooks/webhook/${ids.botId}/message`,
    body: {
      limit: DEFAULT_BODY_LIMIT,
      valid: () => ({ conversation_id: 'cnv_no_handoff', timestamp: Date.now(), body: 'Hello', message_id: `dm_${++unique}` }),
      invalid: { conversation_id: 'cnv_no_handoff', timestamp: 1767225600123, body: '   ' },
      field: 'body.body',
      sign: webhookSigned,
      anyContentType: true,
    },
    badParams: [{ path: () => `/hooks/webhook/${long}/message`, field: 'params.botId' }],
    unknown: [() => '/hooks/webhook/bot_unknown/message'],
    mayWrite: ['hook_receipts'],
  },
  'POST /hooks/webhook/:botId/close': {
    path: (ids) => `/hooks/webhook/${ids.botId}/close`,
    body: {
      limit: DEFAULT_BODY_LIMIT,
      valid: () => ({ conversation_id: 'cnv_no_handoff', timestamp: Date.now() + ++unique }),
      invalid: { conversation_id: '', timestamp: 1767225600123 },
      field: 'body.conversation_id',
      sign: webhookSigned,
      anyContentType: true,
    },
    badParams: [{ path: () => `/hooks/webhook/${long}/close`, field: 'params.botId' }],
    unknown: [() => '/hooks/webhook/bot_unknown/close'],
    mayWrite: ['hook_receipts'],
  },
};

/** A route on one conversation, without a body. */
function conversationAction(action: string): Case {
  return {
    path: (ids) => `/api/conversations/${ids.conversationId}/${action}`,
    badParams: [{ path: () => `/api/conversations/${long}/${action}`, field: 'params.id' }],
    unknown: [() => `/api/conversations/cnv_unknown/${action}`],
  };
}

/** A route on one bot, without a body. */
function botAction(action: string): Case {
  return {
    path: (ids) => `/api/bots/${ids.botId}/${action}`,
    badParams: [{ path: () => `/api/bots/${long}/${action}`, field: 'params.botId' }],
    unknown: [() => `/api/bots/bot_unknown/${action}`],
  };
}

let server: TestServer;
let ids: Ids;
let owner: Record<string, string>;

beforeAll(async () => {
  server = await createTestServer();
  const botId = await server.createLiveBot('Bad input', simpleFlow('Bad input'));
  const { conversationId } = await server.openConversation(botId);
  const tokenId = server.services.auth.createApiToken(server.users.owner.id, 'bad input').id;
  server.services.bots.saveSettings(botId, botSettingsInputSchema.parse(deskSettings()));
  const teamId = server.services.inbox.saveTeam({ name: 'Bad input team', memberIds: [] }).id;
  ids = { botId, conversationId, tokenId, teamId };
  // A session, not an API token: API-token requests stamp last_used_at, and these tests compare
  // the whole database before and after.
  owner = { cookie: await server.login('owner@test.local', 'owner-password-1') };
});
afterAll(async () => {
  await server.close();
});

/** A stack frame, a source path or a Node internals name in a response means details leaked. */
function expectNoLeaks(res: JsonResponse, context: string): void {
  expect(res.text, context).not.toMatch(/\bat\s+(?:async\s+)?[\w$.<>]+\s+\(/);
  expect(res.text, context).not.toMatch(/\n\s+at\s/);
  expect(res.text, context).not.toMatch(/\.ts:\d+|node_modules|\/work\//);
}

async function send(method: string, path: string, init: { body?: string; contentType?: string; headers?: Record<string, string> } = {}): Promise<JsonResponse> {
  const res = await server.app.request(path, {
    method,
    headers: { ...owner, ...(init.contentType ? { 'content-type': init.contentType } : {}), ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) await res.body?.cancel();
  const text = res.bodyUsed ? '' : await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = text;
  }
  return { status: res.status, body, text, headers: res.headers };
}

/** Runs `fn` and checks the database is exactly as before (but for the tables named). */
async function unchanged<T>(fn: () => Promise<T>, mayWrite: string[] = []): Promise<T> {
  const snapshot = () => Object.fromEntries(Object.entries(server.snapshot()).filter(([table]) => !mayWrite.includes(table)));
  const before = snapshot();
  const result = await fn();
  expect(snapshot()).toEqual(before);
  return result;
}

function expectError(res: JsonResponse, status: number, code: string, context: string): void {
  expect(res.status, `${context}: ${res.text}`).toBe(status);
  expect(res.body?.error?.code, context).toBe(code);
  expect(res.body.error.message, context).toEqual(expect.any(String));
  expectNoLeaks(res, context);
}

test('every route with a body or path parameters has cases here, and every case is a route', async () => {
  const document = (await server.json('GET', '/api/openapi.json')).body as {
    paths: Record<string, Record<string, { requestBody?: unknown; parameters: { in: string }[] }>>;
  };
  const needing: string[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.requestBody || operation.parameters.some((p) => p.in === 'path')) {
        needing.push(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
      }
    }
  }
  expect(needing.sort()).toEqual(Object.keys(CASES).sort());
  for (const [route, entry] of Object.entries(CASES)) {
    const [method, path] = route.split(' ') as [string, string];
    const operation = document.paths[path.replace(/:(\w+)/g, '{$1}')]![method.toLowerCase()]!;
    expect(entry.body !== undefined, `${route} body cases`).toBe(operation.requestBody !== undefined);
    expect(entry.badParams !== undefined && entry.unknown !== undefined, `${route} parameter cases`).toBe(operation.parameters.some((p) => p.in === 'path'));
  }
});

const withBody = Object.entries(CASES).filter((entry): entry is [string, Case & { body: BodyCases }] => entry[1].body !== undefined);

describe.each(withBody)('%s body', (route, entry) => {
  const method = route.split(' ')[0]!;
  const { body } = entry;
  /** Sends `text` as the body, signed when the route is a desk hook. */
  const post = (text: string, contentType = 'application/json') => send(method, entry.path(ids), { body: text, contentType, headers: body.sign?.(text) ?? {} });
  const same = <T>(fn: () => Promise<T>) => unchanged(fn, entry.mayWrite);

  test('one byte over the limit is 413 payload_too_large', async () => {
    const json = JSON.stringify(body.valid());
    const oversized = json + ' '.repeat(body.limit - Buffer.byteLength(json) + 1);
    const res = await same(() => post(oversized));
    expectError(res, 413, 'payload_too_large', route);
  });

  test('a body right at the limit is not refused for its size', async () => {
    const json = JSON.stringify(body.valid());
    const res = await post(json + ' '.repeat(body.limit - Buffer.byteLength(json)));
    expect(res.status, `${route}: ${res.text}`).toBeGreaterThanOrEqual(200);
    expect(res.status, `${route}: ${res.text}`).toBeLessThan(300);
  });

  test('malformed JSON is 400 malformed_json', async () => {
    const expected = body.malformed ?? { status: 400, code: 'malformed_json' };
    for (const text of ['{"name":', '{name: 1}', "{'a': 1}", '[1,]', 'nul']) {
      const res = await same(() => post(text));
      expectError(res, expected.status, expected.code, `${route} ${text}`);
    }
  });

  if (body.anyContentType) {
    test('the signed bytes are read as JSON whatever type they declare; bytes that are not JSON are refused', async () => {
      const expected = body.malformed ?? { status: 400, code: 'malformed_json' };
      for (const [contentType, text] of [
        ['application/x-www-form-urlencoded', 'name=x'],
        ['multipart/form-data; boundary=x', '--x--'],
      ] as const) {
        const res = await same(() => post(text, contentType));
        expectError(res, expected.status, expected.code, `${route} ${contentType}`);
      }
      const res = await post(JSON.stringify(body.valid()), 'text/plain');
      expect(res.status, `${route} text/plain: ${res.text}`).toBe(200);
    });
  } else {
    test('a body that is not JSON is 415 unsupported_media_type', async () => {
      const valid = JSON.stringify(body.valid());
      for (const [contentType, text] of [
        ['text/plain', valid],
        ['application/x-www-form-urlencoded', 'name=x'],
        ['multipart/form-data; boundary=x', '--x--'],
      ] as const) {
        const res = await same(() => post(text, contentType));
        expectError(res, 415, 'unsupported_media_type', `${route} ${contentType}`);
      }
    });
  }

  test('a schema violation names the field', async () => {
    const res = await same(() => post(JSON.stringify(body.invalid)));
    if (body.invalidStatus) {
      expectError(res, body.invalidStatus.status, body.invalidStatus.code, route);
      expect(res.body.error.issues.map((i: { path: (string | number)[] }) => i.path.join('.'))).toContain(body.field);
      return;
    }
    expectError(res, 400, 'invalid_request', route);
    expect(res.body.error.message).toMatch(new RegExp(`^${body.field.replace(/\./g, '\\.')}: `));
    expect(res.body.error.issues.map((i: { path: (string | number)[] }) => i.path.join('.'))).toContain(body.field);
    for (const issue of res.body.error.issues) expect(issue).toEqual({ path: expect.any(Array), message: expect.any(String) });
  });

  test('a JSON body of the wrong kind (an array, a string) is refused', async () => {
    const expected = body.wrongKind ?? body.invalidStatus ?? { status: 400, code: 'invalid_request' };
    for (const text of ['[]', '"text"', '42']) {
      const res = await same(() => post(text));
      expectError(res, expected.status, expected.code, `${route} ${text}`);
    }
  });
});

const withParams = Object.entries(CASES).filter(([, entry]) => entry.badParams !== undefined);

describe.each(withParams)('%s parameters', (route, entry) => {
  const method = route.split(' ')[0]!;
  const raw = entry.body ? JSON.stringify(entry.body.valid()) : undefined;
  const body = raw === undefined ? {} : { body: raw, contentType: 'application/json', headers: entry.body?.sign?.(raw) ?? {} };

  test('parameters breaking their schema are 400 invalid_request naming them', async () => {
    for (const bad of entry.badParams!) {
      const path = bad.path(ids);
      const res = await unchanged(() => send(method, path, body));
      expectError(res, 400, 'invalid_request', `${route} ${path}`);
      expect(res.body.error.message, path).toMatch(new RegExp(`^${bad.field.replace(/\./g, '\\.')}: `));
      expect(res.body.error.issues[0].path.join('.'), path).toBe(bad.field);
    }
  });

  test('unknown ids are 404 not_found', async () => {
    for (const unknown of entry.unknown!) {
      const path = unknown(ids);
      const res = await unchanged(() => send(method, path, body));
      expectError(res, 404, 'not_found', `${route} ${path}`);
    }
  });
});

const withQuery = Object.entries(CASES).filter(([, entry]) => entry.badQuery !== undefined);

describe.each(withQuery)('%s query', (route, entry) => {
  const method = route.split(' ')[0]!;
  const body = entry.body ? { body: JSON.stringify(entry.body.valid()), contentType: 'application/json' } : {};

  test('a query breaking its schema is 400 invalid_request naming it', async () => {
    for (const bad of entry.badQuery!) {
      const path = bad.path(ids);
      const res = await unchanged(() => send(method, path, body));
      expectError(res, 400, 'invalid_request', `${route} ${path}`);
      expect(res.body.error.issues[0].path.join('.'), path).toBe(bad.field);
    }
  });
});

describe('everything else', () => {
  test("the inbox's filters are checked", async () => {
    for (const [query, field] of [
      ['status=closed', 'query.status'],
      ['mine=yes', 'query.mine'],
    ] as const) {
      const res = await unchanged(() => send('GET', `/api/inbox?${query}`));
      expectError(res, 400, 'invalid_request', query);
      expect(res.body.error.issues[0].path.join('.')).toBe(field);
    }
  });

  test('the user routes need something to say: an empty body is 400', async () => {
    const res = await unchanged(() => send('PUT', `/api/conversations/${ids.conversationId}/user`, { body: '{}', contentType: 'application/json' }));
    expectError(res, 400, 'invalid_request', 'PUT user {}');
  });

  test('JSON with a charset or a +json type is JSON', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'application/vnd.baton+json']) {
      const res = await send('POST', '/api/tokens', { body: JSON.stringify({ name: contentType }), contentType });
      expect(res.status, contentType).toBe(201);
    }
  });

  test('a missing required body is 400 naming the body', async () => {
    const res = await unchanged(() => send('POST', '/api/bots'));
    expectError(res, 400, 'invalid_request', 'POST /api/bots without a body');
    expect(res.body.error.issues[0].path).toEqual(['body']);
  });

  test('an unknown route is 404 not_found, as JSON', async () => {
    for (const [method, path] of [
      ['GET', '/api/nothing-here'],
      ['POST', '/api/bots/x/y/z'],
    ] as const) {
      const res = await unchanged(() => send(method, path));
      expectError(res, 404, 'not_found', `${method} ${path}`);
    }
  });

  test('a method a known path does not declare is 405 method_not_allowed, with Allow; OPTIONS is 204 with Allow', async () => {
    for (const [method, path, allow] of [
      ['DELETE', '/api/bots', 'GET, HEAD, POST'],
      ['PATCH', `/api/bots/${ids.botId}/flow`, 'GET, HEAD, PUT'],
      ['PUT', '/healthz', 'GET, HEAD'],
      ['GET', '/api/auth/login', 'POST'],
      ['HEAD', '/api/auth/login', 'POST'],
    ] as const) {
      const res = await unchanged(() => send(method, path));
      expect(res.status, `${method} ${path}`).toBe(405);
      if (method !== 'HEAD') expect(res.body.error.code, `${method} ${path}`).toBe('method_not_allowed');
      expect(res.headers.get('allow'), `${method} ${path}`).toBe(allow);
    }
    const options = await send('OPTIONS', `/api/conversations/${ids.conversationId}/messages`);
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('GET, HEAD, POST');
  });

  test('an unexpected failure is 500 internal_error with no details, and is logged', async () => {
    server.engine.mode = 'error';
    try {
      const res = await send('POST', `/api/conversations/${ids.conversationId}/messages`, { body: JSON.stringify({ text: 'boom' }), contentType: 'application/json' });
      expectError(res, 500, 'internal_error', 'engine failure');
      expect(res.body).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side' } });
      expect(res.text).not.toContain('exploded');
      const logged = server.log.entries.filter((entry) => entry.level === 'error');
      expect(logged.at(-1)).toMatchObject({ message: expect.stringContaining('/messages'), error: expect.objectContaining({ message: expect.stringContaining('exploded') }) });
    } finally {
      server.engine.mode = 'answer';
    }
  });
});
