import Database from 'better-sqlite3';
import { flowDocumentSchema, type FlowDocument, type FlowDocumentInput, type ServiceHours } from '@baton/nodes';
import type { BotSettingsSource, ConversationSink, FlowSource, TurnRecord } from '@baton/engine/worker';

export interface StoredBotMessage {
  id: string;
  conversationId: string;
  text: string;
  nodeId: string;
}

export interface Delivery {
  messageId: string;
  conversationId: string;
  text: string;
  /** Process that delivered it: tells the crashed worker's deliveries from its successor's. */
  pid: number;
}

/**
 * The engine's outside world in a SQLite file, so that several processes (workers that get
 * killed, and the test that watches them) share it. Bot messages are keyed by id and inserted
 * once; every delivery attempt is logged, to tell idempotent re-deliveries from duplicates.
 */
export class SqliteStore implements FlowSource, ConversationSink, BotSettingsSource {
  private readonly db: Database.Database;

  constructor(readonly file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Writers in other processes hold the lock briefly; wait for them instead of failing.
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS flows (
        bot_id TEXT NOT NULL, version INTEGER NOT NULL, document TEXT NOT NULL,
        PRIMARY KEY (bot_id, version));
      CREATE TABLE IF NOT EXISTS service_hours (bot_id TEXT PRIMARY KEY, hours TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS messages (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL, text TEXT NOT NULL, node_id TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, message_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL, text TEXT NOT NULL, pid INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS conversations (
        id TEXT PRIMARY KEY, status TEXT NOT NULL, node_id TEXT, vars TEXT);
    `);
  }

  publish(botId: string, version: number, flow: FlowDocumentInput): void {
    this.db
      .prepare('INSERT INTO flows (bot_id, version, document) VALUES (?, ?, ?)')
      .run(botId, version, JSON.stringify(flowDocumentSchema.parse(flow)));
  }

  setServiceHours(botId: string, hours: ServiceHours | undefined): void {
    if (hours) this.db.prepare('INSERT OR REPLACE INTO service_hours (bot_id, hours) VALUES (?, ?)').run(botId, JSON.stringify(hours));
    else this.db.prepare('DELETE FROM service_hours WHERE bot_id = ?').run(botId);
  }

  async load(botId: string, version: number): Promise<FlowDocument> {
    const row = this.db.prepare('SELECT document FROM flows WHERE bot_id = ? AND version = ?').get(botId, version) as
      | { document: string }
      | undefined;
    if (!row) throw new Error(`no flow ${botId}@${version}`);
    return flowDocumentSchema.parse(JSON.parse(row.document));
  }

  async serviceHours(botId: string): Promise<ServiceHours | undefined> {
    const row = this.db.prepare('SELECT hours FROM service_hours WHERE bot_id = ?').get(botId) as { hours: string } | undefined;
    return row ? (JSON.parse(row.hours) as ServiceHours) : undefined;
  }

  async recordTurn(record: TurnRecord): Promise<void> {
    const conversationId = record.conversation.id;
    const logDelivery = this.db.prepare('INSERT INTO deliveries (message_id, conversation_id, text, pid) VALUES (?, ?, ?, ?)');
    const insertMessage = this.db.prepare('INSERT OR IGNORE INTO messages (id, conversation_id, text, node_id) VALUES (?, ?, ?, ?)');
    const upsertConversation = this.db.prepare(
      'INSERT INTO conversations (id, status, node_id, vars) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (id) DO UPDATE SET status = excluded.status, node_id = excluded.node_id, vars = excluded.vars',
    );
    this.db.transaction(() => {
      for (const message of record.messages) {
        logDelivery.run(message.id, conversationId, message.text, process.pid);
        insertMessage.run(message.id, conversationId, message.text, message.nodeId);
      }
      upsertConversation.run(conversationId, record.status, record.nodeId ?? null, JSON.stringify(record.vars ?? {}));
    })();
  }

  messages(conversationId: string): StoredBotMessage[] {
    return this.db
      .prepare('SELECT id, conversation_id AS conversationId, text, node_id AS nodeId FROM messages WHERE conversation_id = ? ORDER BY seq')
      .all(conversationId) as StoredBotMessage[];
  }

  botTexts(conversationId: string): string[] {
    return this.messages(conversationId).map((m) => m.text);
  }

  deliveries(conversationId: string): Delivery[] {
    return this.db
      .prepare(
        'SELECT message_id AS messageId, conversation_id AS conversationId, text, pid FROM deliveries WHERE conversation_id = ? ORDER BY seq',
      )
      .all(conversationId) as Delivery[];
  }

  status(conversationId: string): string | undefined {
    const row = this.db.prepare('SELECT status FROM conversations WHERE id = ?').get(conversationId) as { status: string } | undefined;
    return row?.status;
  }

  /** Other processes write the file: polls until `predicate` holds. */
  async waitFor(predicate: () => boolean, timeoutMs = 15_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.db.close();
  }
}
