import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { deskStatus } from '../db/schema.js';
import type { ConfigurableDeskKind as DeskKind } from '../desks/registry.js';

/** What the settings screen shows for each desk: not configured, available, or unavailable (and why). */
export type DeskStatus = { desk: DeskKind; status: 'not_configured' } | { desk: DeskKind; status: 'available' | 'unavailable'; message?: string; checkedAt: string };

export function recordDeskStatus(db: Db, botId: string, desk: DeskKind, available: boolean, message?: string): void {
  const row = { botId, desk, available, message: message ?? null, checkedAt: new Date() };
  db.insert(deskStatus)
    .values(row)
    .onConflictDoUpdate({ target: [deskStatus.botId, deskStatus.desk], set: { available, message: row.message, checkedAt: row.checkedAt } })
    .run();
}

export function readDeskStatus(db: Db, botId: string, desk: DeskKind, configured: boolean): DeskStatus {
  if (!configured) return { desk, status: 'not_configured' };
  const row = db.select().from(deskStatus).where(and(eq(deskStatus.botId, botId), eq(deskStatus.desk, desk))).get();
  // Configured and never failed counts as available until a call says otherwise.
  if (!row) return { desk, status: 'available', checkedAt: new Date(0).toISOString() };
  return {
    desk,
    status: row.available ? 'available' : 'unavailable',
    ...(row.message ? { message: row.message } : {}),
    checkedAt: row.checkedAt.toISOString(),
  };
}
