import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterAll, describe, expect, test } from 'vitest';
import { MIGRATIONS_FOLDER } from './database.js';

const dir = mkdtempSync(path.join(tmpdir(), 'baton-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The migrations folder as it was before the migration named `tag`. */
function migrationsBefore(tag: string): string {
  const folder = path.join(dir, `before-${tag}`);
  cpSync(MIGRATIONS_FOLDER, folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((entry) => entry.tag === tag);
  expect(at).toBeGreaterThan(0);
  writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
  return folder;
}

describe('0003_backfill_message_seq', () => {
  test("conversations recorded before the counter get the highest number of their bot messages' ids", () => {
    const sqlite = new Database(path.join(dir, 'backfill.db'));
    const db = drizzle(sqlite);
    try {
      migrate(db, { migrationsFolder: migrationsBefore('0003_backfill_message_seq') });
      sqlite.prepare(`INSERT INTO bots (id, name) VALUES ('bot_1', 'Old bot')`).run();
      const conversation = sqlite.prepare(
        `INSERT INTO conversations (id, bot_id, flow_version, channel, status, token_hash, updated_at) VALUES (?, 'bot_1', 1, 'web', 'closed', 'h', 0)`,
      );
      const message = sqlite.prepare(`INSERT INTO messages (id, conversation_id, role, text) VALUES (?, ?, ?, 'text')`);
      conversation.run('cnv_a');
      // A longer id that starts like the first one: its messages are not the first one's.
      conversation.run('cnv_a2');
      conversation.run('cnv_quiet');
      for (const [id, role] of [
        ['cnv_a-b1', 'bot'],
        ['cnv_a-u-client-9', 'user'],
        ['cnv_a-b12', 'bot'],
        ['cnv_a-b3', 'bot'],
        ['cnv_a-h-abc', 'agent'],
      ] as const) {
        message.run(id, 'cnv_a', role);
      }
      message.run('cnv_a2-b40', 'cnv_a2', 'bot');

      migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
      const counts = Object.fromEntries(
        (sqlite.prepare('SELECT id, message_seq AS seq FROM conversations').all() as { id: string; seq: number }[]).map((row) => [row.id, row.seq]),
      );
      expect(counts).toEqual({ cnv_a: 12, cnv_a2: 40, cnv_quiet: 0 });
    } finally {
      sqlite.close();
    }
  });
});
