import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiTokens, sessions, users } from '../../db/schema.js';
import { hashToken } from '../../security/tokens.js';
import { createTestServer, readJson, sessionCookie, type TestServer } from '../../../testing/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ apiToken: 'env-token-with-owner-rights-0123456789' });
});
afterAll(async () => {
  await server.close();
});

const loginRequest = (email: string, password: string) =>
  server.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });

describe('POST /api/auth/login', () => {
  test('sets an httpOnly, SameSite=Lax session cookie and answers with the user', async () => {
    const res = await loginRequest('builder@test.local', server.passwords.builder);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ user: { id: server.users.builder.id, email: 'builder@test.local', name: 'builder', role: 'builder' } });
    const setCookie = res.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(/^baton_session=bs_[\w-]+;/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).toMatch(/Max-Age=\d+/);
    // Plain http (the test URL): a Secure cookie would never come back.
    expect(setCookie).not.toMatch(/Secure/i);
  });

  test('marks the cookie Secure over https', async () => {
    const res = await server.app.request('https://baton.example/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'agent@test.local', password: server.passwords.agent }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/Secure/i);
  });

  test('stores only a hash of the session token', async () => {
    const cookie = await server.login('owner@test.local', server.passwords.owner);
    const token = cookie.split('=')[1]!;
    const rows = server.db.select().from(sessions).all();
    expect(rows.some((row) => row.tokenHash === hashToken(token))).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  test('accepts the email in any case', async () => {
    const upper = await loginRequest('OWNER@TEST.LOCAL', server.passwords.owner);
    expect(upper.status).toBe(200);
    expect((await readJson(upper)).body.user.email).toBe('owner@test.local');
  });

  test('a wrong password is 401 invalid_credentials and sets no cookie', async () => {
    const res = await loginRequest('owner@test.local', 'not-the-password');
    expect(res.status).toBe(401);
    expect((await readJson(res)).body.error.code).toBe('invalid_credentials');
    expect(sessionCookie(res)).toBeUndefined();
  });

  test('an unknown email is 401 invalid_credentials with the same message as a wrong password', async () => {
    const unknown = await loginRequest('nobody@test.local', 'whatever-password');
    const wrong = await loginRequest('owner@test.local', 'whatever-password');
    expect(unknown.status).toBe(401);
    const unknownBody = (await readJson(unknown)).body;
    expect(unknownBody.error.code).toBe('invalid_credentials');
    expect(unknownBody.error.message).toBe((await readJson(wrong)).body.error.message);
  });
});

describe('sessions', () => {
  test('the session cookie identifies the person on /api/auth/me', async () => {
    const cookie = await server.login('agent@test.local', server.passwords.agent);
    const me = await server.json('GET', '/api/auth/me', undefined, { cookie });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: { id: server.users.agent.id, email: 'agent@test.local', name: 'agent', role: 'agent' } });
  });

  test('logout ends the session: the cookie is cleared and no longer accepted', async () => {
    const cookie = await server.login('builder@test.local', server.passwords.builder);
    const res = await server.app.request('/api/auth/logout', { method: 'POST', headers: { cookie } });
    expect(res.status).toBe(204);
    expect(res.headers.get('set-cookie')).toMatch(/baton_session=;.*Max-Age=0/i);
    const token = cookie.split('=')[1]!;
    expect(server.db.select().from(sessions).where(eq(sessions.tokenHash, hashToken(token))).get()).toBeUndefined();
    const me = await server.json('GET', '/api/auth/me', undefined, { cookie });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('invalid_credentials');
  });

  test('logout without a session is harmless', async () => {
    const res = await server.app.request('/api/auth/logout', { method: 'POST' });
    expect(res.status).toBe(204);
  });

  test('an expired session cookie is 401', async () => {
    const cookie = await server.login('owner@test.local', server.passwords.owner);
    const token = cookie.split('=')[1]!;
    server.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.tokenHash, hashToken(token))).run();
    const me = await server.json('GET', '/api/auth/me', undefined, { cookie });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('invalid_credentials');
  });

  test('an unknown session cookie is 401 invalid_credentials; no cookie at all is 401 unauthorized', async () => {
    const unknown = await server.json('GET', '/api/auth/me', undefined, { cookie: 'bs_made-up-session' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('invalid_credentials');
    const anonymous = await server.json('GET', '/api/auth/me');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthorized');
  });

  test('a malformed Authorization header is 401 invalid_credentials', async () => {
    const res = await server.json('GET', '/api/auth/me', undefined, { authorization: 'Basic b3duZXI6cGFzcw==' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });
});

describe('API tokens', () => {
  test('a created token works as a bearer token and is shown once: the list has no value', async () => {
    const created = await server.json('POST', '/api/tokens', { name: 'deploy script' }, 'builder');
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^tok_/), token: expect.stringMatching(/^bt_/) });
    const token = created.body.token as string;

    const me = await server.json('GET', '/api/auth/me', undefined, { bearer: token });
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(server.users.builder.id);

    const list = await server.json('GET', '/api/tokens', undefined, 'builder');
    expect(list.status).toBe(200);
    const entry = list.body.tokens.find((t: { id: string }) => t.id === created.body.id);
    expect(entry).toMatchObject({ id: created.body.id, name: 'deploy script' });
    expect(entry.lastUsedAt).not.toBeNull();
    expect(list.text).not.toContain(token);
    expect(Object.keys(entry).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name']);

    // Only a hash is stored.
    expect(JSON.stringify(server.db.select().from(apiTokens).all())).not.toContain(token);
  });

  test('the list shows only the caller\'s own tokens', async () => {
    const mine = await server.json('POST', '/api/tokens', { name: 'agent only' }, 'agent');
    const ownerList = await server.json('GET', '/api/tokens', undefined, 'owner');
    expect(ownerList.body.tokens.map((t: { id: string }) => t.id)).not.toContain(mine.body.id);
    const agentList = await server.json('GET', '/api/tokens', undefined, 'agent');
    expect(agentList.body.tokens.map((t: { id: string }) => t.id)).toContain(mine.body.id);
  });

  test('revoking a token stops it working; revoking it again is 404', async () => {
    const created = await server.json('POST', '/api/tokens', { name: 'short-lived' }, 'agent');
    const token = created.body.token as string;
    const revoked = await server.json('DELETE', `/api/tokens/${created.body.id}`, undefined, 'agent');
    expect(revoked.status).toBe(204);
    const me = await server.json('GET', '/api/auth/me', undefined, { bearer: token });
    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('invalid_credentials');
    const again = await server.json('DELETE', `/api/tokens/${created.body.id}`, undefined, 'agent');
    expect(again.status).toBe(404);
    expect(again.body.error.code).toBe('not_found');
  });

  test('nobody can revoke someone else\'s token, not even the owner', async () => {
    const created = await server.json('POST', '/api/tokens', { name: 'builder owns this' }, 'builder');
    const res = await server.json('DELETE', `/api/tokens/${created.body.id}`, undefined, 'owner');
    expect(res.status).toBe(404);
    const me = await server.json('GET', '/api/auth/me', undefined, { bearer: created.body.token });
    expect(me.status).toBe(200);
  });

  test('a token dies with its user', async () => {
    const person = await server.json('POST', '/api/users', { email: 'leaver@test.local', role: 'agent', password: 'leaver-password' }, 'owner');
    const token = server.services.auth.createApiToken(person.body.user.id, 'leaver').token;
    expect((await server.json('GET', '/api/auth/me', undefined, { bearer: token })).status).toBe(200);
    server.db.delete(users).where(eq(users.id, person.body.user.id)).run();
    expect((await server.json('GET', '/api/auth/me', undefined, { bearer: token })).status).toBe(401);
  });
});

describe('BATON_API_TOKEN', () => {
  const bearer = { bearer: 'env-token-with-owner-rights-0123456789' };

  test('gives owner rights', async () => {
    const me = await server.json('GET', '/api/auth/me', undefined, bearer);
    expect(me.status).toBe(200);
    expect(me.body.user.role).toBe('owner');
    const created = await server.json('POST', '/api/users', { email: 'by-script@test.local', role: 'builder', password: 'script-made-password' }, bearer);
    expect(created.status).toBe(201);
    const bot = await server.json('POST', '/api/bots', { name: 'Scripted' }, bearer);
    expect(bot.status).toBe(201);
  });

  test('is not a person: it cannot own API tokens', async () => {
    const res = await server.json('POST', '/api/tokens', { name: 'nope' }, bearer);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden');
  });

  test('a near miss is not accepted', async () => {
    const res = await server.json('GET', '/api/auth/me', undefined, { bearer: 'env-token-with-owner-rights-012345678' });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('invalid_credentials');
  });

  test('without the setting, the same value is just an invalid token', async () => {
    const other = await createTestServer();
    try {
      const res = await other.json('GET', '/api/auth/me', undefined, bearer);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('invalid_credentials');
    } finally {
      await other.close();
    }
  });
});

describe('users', () => {
  test('any person can list users, with their presence and never a password hash', async () => {
    const res = await server.json('GET', '/api/users', undefined, 'agent');
    expect(res.status).toBe(200);
    const emails = res.body.users.map((u: { email: string }) => u.email);
    expect(emails).toEqual(expect.arrayContaining(['owner@test.local', 'builder@test.local', 'agent@test.local']));
    for (const user of res.body.users) expect(Object.keys(user).sort()).toEqual(['email', 'id', 'name', 'presence', 'role']);
    expect(res.text).not.toContain('scrypt');
  });

  test('the owner adds a person, who can then log in', async () => {
    const res = await server.json('POST', '/api/users', { email: 'New.Person@Test.Local', name: 'New Person', role: 'agent', password: 'a-good-password' }, 'owner');
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({ id: expect.stringMatching(/^usr_/), email: 'new.person@test.local', name: 'New Person', role: 'agent' });
    const login = await loginRequest('new.person@test.local', 'a-good-password');
    expect(login.status).toBe(200);
    const stored = server.db.select().from(users).where(eq(users.id, res.body.user.id)).get()!;
    expect(stored.passwordHash).toMatch(/^scrypt\$/);
    expect(stored.passwordHash).not.toContain('a-good-password');
  });

  test('a taken email is 409 email_taken, whatever its case', async () => {
    const res = await server.json('POST', '/api/users', { email: 'BUILDER@test.local', role: 'builder', password: 'another-password' }, 'owner');
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('email_taken');
  });

  test('two people added at once with the same email: one is created, the other is 409', async () => {
    const body = { email: 'twice@test.local', role: 'agent', password: 'same-time-password' };
    const answers = await Promise.all([server.json('POST', '/api/users', body, 'owner'), server.json('POST', '/api/users', body, 'owner')]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    expect(answers.find((a) => a.status === 409)!.body.error.code).toBe('email_taken');
  });

  test('a short password is refused, naming the field', async () => {
    const res = await server.json('POST', '/api/users', { email: 'short@test.local', role: 'agent', password: 'short' }, 'owner');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.issues[0].path).toEqual(['body', 'password']);
  });
});
