import { and, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { apiTokens, conversations, sessions, users } from '../../db/schema.js';
import { AppError } from '../../http/errors.js';
import type { AuthUser, Principal, Role } from '../../http/principal.js';
import { generatePassword, hashPassword, verifyPassword } from '../../security/passwords.js';
import { hashToken, newId, newToken, safeEqual, TOKEN_PREFIX } from '../../security/tokens.js';

export const SESSION_COOKIE = 'baton_session';
export const SESSION_DAYS = 14;

/** Owner rights for scripts when BATON_API_TOKEN is set; it belongs to no stored user. */
const ENV_TOKEN_USER: AuthUser = { id: 'env-token', email: 'api-token@localhost', name: 'BATON_API_TOKEN', role: 'owner' };

function toAuthUser(row: typeof users.$inferSelect): AuthUser {
  return { id: row.id, email: row.email, name: row.name, role: row.role };
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(db: Db, options: { apiToken?: string } = {}) {
  // Checked on every message of every end user: prepared once.
  const conversationByTokenHash = db
    .select({ id: conversations.id })
    .from(conversations)
    .where(eq(conversations.tokenHash, sql.placeholder('tokenHash')))
    .prepare();
  const service = {
    /** Establishes who is calling from a session cookie or a bearer token; never throws. */
    resolve(credentials: { sessionToken?: string; bearer?: string }): Principal {
      const now = new Date();
      if (credentials.bearer) {
        const bearer = credentials.bearer;
        if (options.apiToken && safeEqual(bearer, options.apiToken)) return { kind: 'user', user: ENV_TOKEN_USER, via: 'env_token' };
        if (bearer.startsWith(TOKEN_PREFIX.conversation)) {
          const row = conversationByTokenHash.get({ tokenHash: hashToken(bearer) });
          return row ? { kind: 'conversation', conversationId: row.id } : { kind: 'invalid', reason: 'This conversation token is not valid' };
        }
        const row = db
          .select({ user: users, tokenId: apiTokens.id })
          .from(apiTokens)
          .innerJoin(users, eq(users.id, apiTokens.userId))
          .where(eq(apiTokens.tokenHash, hashToken(bearer)))
          .get();
        if (!row) return { kind: 'invalid', reason: 'This API token is not valid' };
        db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId)).run();
        return { kind: 'user', user: toAuthUser(row.user), via: 'api_token' };
      }
      if (credentials.sessionToken) {
        const row = db
          .select({ user: users })
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          .where(and(eq(sessions.tokenHash, hashToken(credentials.sessionToken)), gt(sessions.expiresAt, now)))
          .get();
        return row ? { kind: 'user', user: toAuthUser(row.user), via: 'session' } : { kind: 'invalid', reason: 'Your session has expired; log in again' };
      }
      return { kind: 'anonymous' };
    },

    async login(email: string, password: string): Promise<{ user: AuthUser; sessionToken: string; expiresAt: Date }> {
      const row = db.select().from(users).where(eq(users.email, email.trim().toLowerCase())).get();
      // Hash even for unknown emails, so timing does not reveal which accounts exist.
      const ok = await verifyPassword(password, row?.passwordHash ?? 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAA');
      if (!row || !ok) throw new AppError(401, 'invalid_credentials', 'The email or the password is wrong');
      const sessionToken = newToken('session');
      const expiresAt = new Date(Date.now() + SESSION_DAYS * 86_400_000);
      db.insert(sessions).values({ tokenHash: hashToken(sessionToken), userId: row.id, expiresAt }).run();
      return { user: toAuthUser(row), sessionToken, expiresAt };
    },

    logout(sessionToken: string): void {
      db.delete(sessions).where(eq(sessions.tokenHash, hashToken(sessionToken))).run();
    },

    async createUser(input: { email: string; name?: string; role: Role; password: string }): Promise<AuthUser> {
      const email = input.email.trim().toLowerCase();
      const ensureFree = () => {
        if (db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()) {
          throw new AppError(409, 'email_taken', `A user with the email ${email} already exists`);
        }
      };
      ensureFree();
      const passwordHash = await hashPassword(input.password);
      // Again after the slow hash: a concurrent request may have taken the email meanwhile.
      ensureFree();
      const row = { id: newId('usr'), email, name: input.name ?? '', role: input.role, passwordHash };
      db.insert(users).values(row).run();
      return toAuthUser({ ...row, presence: 'offline', lastAssignedAt: null, createdAt: new Date() });
    },

    listUsers(): (AuthUser & { presence: (typeof users.$inferSelect)['presence'] })[] {
      return db.select().from(users).orderBy(users.createdAt).all().map((row) => ({ ...toAuthUser(row), presence: row.presence }));
    },

    /** The first start creates the owner; returns the generated password when one was made up. */
    async ensureOwner(email: string | undefined, password: string | undefined): Promise<{ created: boolean; email: string; generatedPassword?: string }> {
      const existing = db.select({ email: users.email }).from(users).where(eq(users.role, 'owner')).get();
      if (existing) return { created: false, email: existing.email };
      const ownerEmail = (email ?? 'owner@baton.local').trim().toLowerCase();
      const generated = password ? undefined : generatePassword();
      await service.createUser({ email: ownerEmail, name: 'Owner', role: 'owner', password: password ?? generated! });
      return { created: true, email: ownerEmail, ...(generated ? { generatedPassword: generated } : {}) };
    },

    createApiToken(userId: string, name: string): { id: string; token: string } {
      const token = newToken('api');
      const id = newId('tok');
      db.insert(apiTokens).values({ id, userId, name, tokenHash: hashToken(token) }).run();
      return { id, token };
    },

    listApiTokens(userId: string) {
      return db
        .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt })
        .from(apiTokens)
        .where(eq(apiTokens.userId, userId))
        .all();
    },

    deleteApiToken(userId: string, id: string): boolean {
      return db.delete(apiTokens).where(and(eq(apiTokens.id, id), eq(apiTokens.userId, userId))).run().changes > 0;
    },
  };
  return service;
}
