// The role matrix: who may call every route. Routes come from the generated OpenAPI document,
// so a route added without an entry here fails the first test.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestServer, readJson, simpleFlow, type TestServer } from '../testing/test-server.js';

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
}

let unique = 0;

/** Who may call what (DESIGN §4). `conversation` is the token of the conversation in the path. */
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
  'PUT /api/bots/:botId/settings': { allow: BUILDERS, body: () => ({ enabled: true }) },
  'GET /api/node-types': { allow: BUILDERS },
  'POST /api/bots/:botId/conversations': { allow: ANYONE, body: () => ({}) },
  'POST /api/conversations/:id/messages': { allow: ['owner', 'builder', 'conversation'], body: () => ({ text: 'hello' }) },
  'GET /api/conversations/:id': { allow: [...PEOPLE, 'conversation'] },
  'GET /api/conversations/:id/messages': { allow: [...PEOPLE, 'conversation'] },
  'GET /api/conversations/:id/events': { allow: [...PEOPLE, 'conversation'] },
};

/** Served by the app but not part of the document it serves. */
const UNDOCUMENTED = ['GET /api/openapi.json'];

let server: TestServer;
let botId: string;
let own: { conversationId: string; token: string };
let other: { conversationId: string; token: string };

beforeAll(async () => {
  server = await createTestServer();
  botId = await server.createLiveBot('Matrix', simpleFlow('Matrix'));
  own = await server.openConversation(botId);
  other = await server.openConversation(botId);
});
afterAll(async () => {
  await server.close();
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
  const body = MATRIX[route]!.body?.();
  const path = template.replace(/:(\w+)/g, (_, name: string) => param(name, caller));
  const res = await server.app.request(path, {
    method,
    headers: { ...headersFor(caller), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
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
    for (const caller of ['agent', 'conversation', 'invalid', 'anonymous'] as const) {
      await call('POST /api/bots', caller);
      await call('PUT /api/bots/:botId/settings', caller);
      await call('POST /api/bots/:botId/publish', caller);
    }
    await call('POST /api/conversations/:id/messages', 'otherConversation');
    expect(server.snapshot({ except: ['api_tokens.last_used_at'] })).toEqual(before);
  });
});
