import { eq, sql } from 'drizzle-orm';
import type { BotSettingsSource, ConversationSink, FlowSource, TurnRecord } from '@baton/engine/worker';
import type { Db } from '../db/database.js';
import { conversations, messages } from '../db/schema.js';
import type { BotsService } from '../features/bots/bots.service.js';
import type { ConversationEvents } from '../features/conversations/conversation-events.js';
import { INBOX_CHANNEL } from '../features/inbox/inbox-channel.js';

/**
 * The engine's view of the database: published flows, bot settings, and the conversation
 * projection the workflow writes. Writes are idempotent by message id, so a retried activity
 * never duplicates a message.
 */
export function createDbEngineDeps(db: Db, bots: BotsService, events: ConversationEvents): FlowSource & ConversationSink & BotSettingsSource {
  // Runs for every bot message: prepared once (its conversation update varies with the status, and is not).
  const insertMessage = db
    .insert(messages)
    .values({
      id: sql.placeholder('id'),
      conversationId: sql.placeholder('conversationId'),
      role: sql.placeholder('role'),
      text: sql.placeholder('text'),
      nodeId: sql.placeholder('nodeId'),
      quickReplies: sql.placeholder('quickReplies'),
      createdAt: sql.placeholder('createdAt'),
    })
    .onConflictDoNothing()
    .prepare();
  return {
    async load(botId, version) {
      return bots.version(botId, version);
    },

    async serviceHours(botId) {
      return bots.serviceHours(botId);
    },

    async recordTurn(record: TurnRecord) {
      const id = record.conversation.id;
      const now = new Date();
      db.transaction((tx) => {
        for (const message of record.messages) {
          // The same connection as `tx` (better-sqlite3 is synchronous): part of the transaction.
          insertMessage.run({
            id: message.id,
            conversationId: id,
            role: message.role,
            text: message.text,
            nodeId: message.nodeId || null,
            quickReplies: message.quickReplies ?? null,
            createdAt: now,
          });
        }
        tx.update(conversations)
          .set({
            status: record.status,
            // While queued, the inbox's routing owns the assignee; with a human, the workflow knows who.
            ...(record.status === 'agent' && record.assignee ? { assigneeId: record.assignee } : {}),
            ...(record.status === 'bot' || record.status === 'closed' ? { assigneeId: null, suggestion: null } : {}),
            nodeId: record.nodeId ?? null,
            ...(record.vars ? { vars: record.vars } : {}),
            updatedAt: now,
            ...(record.status === 'closed' ? { closedAt: now } : {}),
          })
          .where(eq(conversations.id, id))
          .run();
      });
      events.notify(id);
      events.notify(INBOX_CHANNEL);
    },
  };
}
