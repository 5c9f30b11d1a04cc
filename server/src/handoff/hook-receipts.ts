import { eq, lt } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { hookReceipts } from '../db/schema.js';

/** Receipts older than this are forgotten: desks stop re-delivering long before. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/**
 * Remembers webhook deliveries and signatures in the database, so every API process agrees on
 * what was seen. `remember(key, ttlMs)` answers false when the key was seen within `ttlMs`.
 */
export function createHookReceipts(db: Db, now: () => number = Date.now) {
  let lastPurge = 0;
  return {
    has(key: string): boolean {
      return db.select({ key: hookReceipts.key }).from(hookReceipts).where(eq(hookReceipts.key, key)).get() !== undefined;
    },
    remember(key: string, ttlMs = KEEP_MS): boolean {
      const at = now();
      if (at - lastPurge > 3600_000) {
        lastPurge = at;
        db.delete(hookReceipts).where(lt(hookReceipts.receivedAt, new Date(at - KEEP_MS))).run();
      }
      return db.transaction((tx) => {
        const seen = tx.select().from(hookReceipts).where(eq(hookReceipts.key, key)).get();
        if (seen && seen.receivedAt.getTime() > at - ttlMs) return false;
        tx.insert(hookReceipts)
          .values({ key, receivedAt: new Date(at) })
          .onConflictDoUpdate({ target: hookReceipts.key, set: { receivedAt: new Date(at) } })
          .run();
        return true;
      });
    },
  };
}
export type HookReceipts = ReturnType<typeof createHookReceipts>;
