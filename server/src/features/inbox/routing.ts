import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { teamMembers, users } from '../../db/schema.js';

/** Who may be given a conversation: the target of an `assign_to_user` node. */
export interface RoutingTarget {
  assignTo: 'anyone' | 'user' | 'team';
  userId?: string;
  teamId?: string;
}

export function routingTarget(target: Record<string, unknown>): RoutingTarget {
  const assignTo = target['assignTo'] === 'user' || target['assignTo'] === 'team' ? target['assignTo'] : 'anyone';
  return {
    assignTo,
    ...(typeof target['userId'] === 'string' ? { userId: target['userId'] } : {}),
    ...(typeof target['teamId'] === 'string' ? { teamId: target['teamId'] } : {}),
  };
}

/** The people a target covers, whatever their presence. */
function candidates(db: Db, target: RoutingTarget): string[] {
  if (target.assignTo === 'user') return target.userId ? [target.userId] : [];
  if (target.assignTo === 'team') {
    if (!target.teamId) return [];
    return db.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, target.teamId)).all().map((r) => r.id);
  }
  return db.select({ id: users.id }).from(users).all().map((r) => r.id);
}

export function onlineCount(db: Db, target: RoutingTarget = { assignTo: 'anyone' }): number {
  const ids = candidates(db, target);
  if (ids.length === 0) return 0;
  return db.select({ n: sql<number>`count(*)` }).from(users).where(and(inArray(users.id, ids), eq(users.presence, 'online'))).get()?.n ?? 0;
}

/**
 * Picks who gets the conversation: the one person asked for, or, round robin, the online member
 * of the target who has waited longest since their last conversation. `undefined` when nobody
 * online is available. Marks the pick so the next conversation goes to someone else.
 */
export function pickAssignee(db: Db, target: RoutingTarget, options: { exclude?: string } = {}): string | undefined {
  const ids = candidates(db, target).filter((id) => id !== options.exclude);
  if (ids.length === 0) return undefined;
  return db.transaction((tx) => {
    const row = tx
      .select({ id: users.id })
      .from(users)
      .where(and(inArray(users.id, ids), eq(users.presence, 'online'), ...(options.exclude ? [ne(users.id, options.exclude)] : [])))
      .orderBy(sql`coalesce(${users.lastAssignedAt}, 0)`, asc(users.createdAt))
      .limit(1)
      .get();
    if (!row) return undefined;
    tx.update(users).set({ lastAssignedAt: new Date() }).where(eq(users.id, row.id)).run();
    return row.id;
  });
}
