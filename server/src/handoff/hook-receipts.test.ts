import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openDatabase, type Db } from '../db/database.js';
import { hookReceipts } from '../db/schema.js';
import { createHookReceipts } from './hook-receipts.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

let dir: string;
let db: Db;
let clock: number;
const now = () => clock;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'baton-receipts-'));
  db = openDatabase(path.join(dir, 'baton.db'));
  clock = Date.parse('2026-03-02T10:00:00Z');
});
afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('remember and has', () => {
  test('a key is unknown until remembered, then known; the first remember says new, the next says seen', () => {
    const receipts = createHookReceipts(db, now);
    expect(receipts.has('webhook:bot_1:dm_1')).toBe(false);
    expect(receipts.remember('webhook:bot_1:dm_1')).toBe(true);
    expect(receipts.has('webhook:bot_1:dm_1')).toBe(true);
    expect(receipts.remember('webhook:bot_1:dm_1')).toBe(false);
    expect(receipts.has('webhook:bot_1:dm_2')).toBe(false);
  });

  test('shared through the database: another process (another instance) sees the same receipts', () => {
    createHookReceipts(db, now).remember('intercom:bot_1:notif_1');
    const other = createHookReceipts(db, now);
    expect(other.has('intercom:bot_1:notif_1')).toBe(true);
    expect(other.remember('intercom:bot_1:notif_1')).toBe(false);
  });
});

describe('the ttl window', () => {
  test('seen within ttl: refused; after it: accepted again, and the window starts anew', () => {
    const receipts = createHookReceipts(db, now);
    expect(receipts.remember('sig', 10 * 60_000)).toBe(true);
    clock += 10 * 60_000 - 1;
    expect(receipts.remember('sig', 10 * 60_000)).toBe(false);
    clock += 2;
    expect(receipts.remember('sig', 10 * 60_000)).toBe(true);
    clock += 5 * 60_000;
    expect(receipts.remember('sig', 10 * 60_000)).toBe(false);
  });

  test('without a ttl a receipt holds for the whole keeping time', () => {
    const receipts = createHookReceipts(db, now);
    receipts.remember('event');
    clock += 6 * DAY;
    expect(receipts.remember('event')).toBe(false);
  });
});

describe('purge', () => {
  test('receipts older than a week are forgotten, younger ones kept', () => {
    const receipts = createHookReceipts(db, now);
    receipts.remember('old');
    clock += 5 * DAY;
    receipts.remember('younger');
    clock += 2 * DAY + HOUR;
    // Any remember purges (at most hourly): 'old' is now 7 days and an hour old.
    receipts.remember('trigger');
    expect(receipts.has('old')).toBe(false);
    expect(receipts.has('younger')).toBe(true);
    expect(db.select().from(hookReceipts).all().map((r) => r.key).sort()).toEqual(['trigger', 'younger']);
  });

  test('at most once an hour', () => {
    const receipts = createHookReceipts(db, now);
    receipts.remember('purges now');
    // Written by another process after that purge, already past the keeping time.
    db.insert(hookReceipts).values({ key: 'stale', receivedAt: new Date(clock - 8 * DAY) }).run();
    clock += 30 * 60_000;
    receipts.remember('within the hour');
    expect(receipts.has('stale')).toBe(true);
    clock += 31 * 60_000;
    receipts.remember('an hour later');
    expect(receipts.has('stale')).toBe(false);
  });
});
