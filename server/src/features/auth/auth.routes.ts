import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import { AppError, notFound } from '../../http/errors.js';
import { HUMANS, OWNERS, ROLES } from '../../http/principal.js';
import { Router } from '../../http/route.js';
import { emailAddress as email } from '../../http/schemas.js';
import { SESSION_COOKIE, SESSION_DAYS, type AuthService } from './auth.service.js';

const userSchema = z.object({ id: z.string(), email: z.string(), name: z.string(), role: z.enum(ROLES) }).meta({ id: 'User' });
const apiTokenSchema = z.object({ id: z.string(), name: z.string(), createdAt: z.string(), lastUsedAt: z.string().nullable() }).meta({ id: 'ApiToken' });
const asPerson = { 403: { description: 'BATON_API_TOKEN is no person: log in (`forbidden`)' } } as const;

export function authRoutes(auth: AuthService): Router {
  const router = new Router();
  router.add(
    {
      method: 'post',
      path: '/api/auth/login',
      summary: 'Log in with email and password; sets an httpOnly session cookie',
      tags: ['auth'],
      access: { public: true },
      body: z.object({ email, password: z.string().min(1).max(1000) }),
      bodyLimit: 16 * 1024,
      responses: { 200: { description: 'Logged in', schema: z.object({ user: userSchema }) }, 401: { description: 'Wrong email or password (`invalid_credentials`)' } },
    },
    async (c, { body }) => {
      const { user, sessionToken } = await auth.login(body.email, body.password);
      setCookie(c, SESSION_COOKIE, sessionToken, {
        httpOnly: true,
        sameSite: 'Lax',
        path: '/',
        secure: new URL(c.req.url).protocol === 'https:',
        maxAge: SESSION_DAYS * 86_400,
      });
      return c.json({ user }, 200);
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/auth/logout',
      summary: 'Log out: ends the session',
      tags: ['auth'],
      access: { public: true },
      responses: { 204: { description: 'Logged out' } },
    },
    (c) => {
      const token = getCookie(c, SESSION_COOKIE);
      if (token) auth.logout(token);
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.body(null, 204);
    },
  );
  router.add(
    {
      method: 'get',
      path: '/api/auth/me',
      summary: 'The logged-in person',
      tags: ['auth'],
      access: { roles: HUMANS },
      responses: { 200: { description: 'The user', schema: z.object({ user: userSchema }) } },
    },
    (c, { user }) => c.json({ user: user! }, 200),
  );
  router.add(
    {
      method: 'get',
      path: '/api/users',
      summary: 'List the people who can log in',
      tags: ['users'],
      access: { roles: HUMANS },
      responses: { 200: { description: 'Users', schema: z.object({ users: z.array(userSchema.extend({ presence: z.enum(['online', 'away', 'offline']) }).meta({ id: 'Person' })) }) } },
    },
    (c) => c.json({ users: auth.listUsers() }, 200),
  );
  router.add(
    {
      method: 'post',
      path: '/api/users',
      summary: 'Add a person (owner only)',
      tags: ['users'],
      access: { roles: OWNERS },
      body: z.object({
        email,
        name: z.string().max(200).optional(),
        role: z.enum(ROLES),
        password: z.string().min(10, 'must be at least 10 characters').max(1000),
      }),
      responses: { 201: { description: 'Created', schema: z.object({ user: userSchema }) }, 409: { description: 'A user has this email already (`email_taken`)' } },
    },
    async (c, { body }) => c.json({ user: await auth.createUser(body) }, 201),
  );
  router.add(
    {
      method: 'get',
      path: '/api/tokens',
      summary: 'Your API tokens (never their values)',
      tags: ['auth'],
      access: { roles: HUMANS },
      responses: { 200: { description: 'Tokens', schema: z.object({ tokens: z.array(apiTokenSchema) }) }, ...asPerson },
    },
    (c, { user }) => c.json({ tokens: auth.listApiTokens(requireStoredUser(user)) }, 200),
  );
  router.add(
    {
      method: 'post',
      path: '/api/tokens',
      summary: 'Create an API token for scripts; its value is shown once',
      tags: ['auth'],
      access: { roles: HUMANS },
      body: z.object({ name: z.string().min(1).max(100) }),
      responses: { 201: { description: 'Created', schema: z.object({ id: z.string(), token: z.string() }) }, ...asPerson },
    },
    (c, { body, user }) => c.json(auth.createApiToken(requireStoredUser(user), body.name), 201),
  );
  router.add(
    {
      method: 'delete',
      path: '/api/tokens/:tokenId',
      summary: 'Revoke one of your API tokens',
      tags: ['auth'],
      access: { roles: HUMANS },
      params: z.object({ tokenId: z.string().max(100) }),
      responses: { 204: { description: 'Revoked' }, ...asPerson, 404: { description: 'You have no token with this id' } },
    },
    (c, { params, user }) => {
      if (!auth.deleteApiToken(requireStoredUser(user), params.tokenId)) throw notFound('This token');
      return c.body(null, 204);
    },
  );
  return router;
}

function requireStoredUser(user: { id: string } | undefined): string {
  if (!user || user.id === 'env-token') throw new AppError(403, 'forbidden', 'Log in as a person to manage API tokens');
  return user.id;
}
