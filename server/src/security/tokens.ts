import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Prefixes tell token kinds apart without a lookup, and make leaked tokens easy to grep for. */
export const TOKEN_PREFIX = { session: 'bs_', api: 'bt_', conversation: 'ct_' } as const;

export function newToken(kind: keyof typeof TOKEN_PREFIX): string {
  return `${TOKEN_PREFIX[kind]}${randomBytes(32).toString('base64url')}`;
}

/** Tokens are long random strings, so a fast hash is enough to store them safely. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest();
  const right = createHash('sha256').update(b).digest();
  return timingSafeEqual(left, right);
}

/** Short random ids with a readable prefix, e.g. `bot_3kQ9…`. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('base64url')}`;
}
