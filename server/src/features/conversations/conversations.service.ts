import { and, asc, eq, gt, ne, sql } from 'drizzle-orm';
import {
  ConversationClosedError,
  type ConversationClient,
  type ConversationInput,
  type ConversationStatus,
  type PendingReply,
  type TurnReply,
} from '@baton/engine/client';
import type { Db } from '../../db/database.js';
import { conversations, messages, users } from '../../db/schema.js';
import { AppError, conversationClosed, notFound } from '../../http/errors.js';
import { hashToken, newId, newToken } from '../../security/tokens.js';
import type { Logger } from '../../log.js';
import type { BotsService } from '../bots/bots.service.js';
import type { ConversationProjection, ConversationRow, EndUserUpdate } from './conversation-projection.js';

export type EndUser = EndUserUpdate;
export type { ConversationRow };

export interface MessageView {
  id: string;
  role: 'user' | 'bot' | 'agent' | 'system';
  text: string;
  quickReplies?: string[];
  createdAt: string;
}

export type ConversationsService = ReturnType<typeof createConversationsService>;

/** How long `?wait=true` holds the request for the bot's answer before saying "pending". */
export const WAIT_FOR_REPLY_MS = 25_000;


export function createConversationsService(deps: { db: Db; bots: BotsService; engine: ConversationClient; projection: ConversationProjection; log: Logger }) {
  const { db, bots, engine, projection, log } = deps;

  const engineInput = (row: ConversationRow): ConversationInput => ({
    conversation: { id: row.id, botId: row.botId, flowVersion: row.flowVersion },
    user: {
      ...(row.userEmail ? { email: row.userEmail } : {}),
      ...(row.userName ? { name: row.userName } : {}),
      ...(row.userExternalId ? { externalId: row.userExternalId } : {}),
    },
  });

  // Read for every user message: prepared once (building its SQL on each message was a measurable
  // part of the API's CPU under load, docs/benchmarks.md).
  const byId = db.select().from(conversations).where(eq(conversations.id, sql.placeholder('id'))).prepare();

  const tellSwitched = async (id: string, on: boolean, notice: string): Promise<void> => {
    try {
      await engine.switchBot(id, { on, notice });
    } catch (error) {
      // Ended meanwhile: nothing to tell.
      if (!(error instanceof ConversationClosedError)) throw error;
    }
  };

  const service = {
    get(id: string): ConversationRow {
      const row = byId.get({ id });
      if (!row) throw notFound(`Conversation ${id}`);
      return row;
    },

    /**
     * Opens a conversation: a live one on the bot's latest published version (the bot must be
     * switched on), or a test-chat one on a snapshot of the draft.
     */
    async create(botId: string, input: { user?: EndUser; test: boolean; channel: 'web' | 'api'; createdBy?: string }) {
      const bot = bots.get(botId);
      let flowVersion: number;
      if (input.test) {
        flowVersion = bots.snapshotDraft(botId, input.createdBy);
      } else {
        if (bot.publishedVersion === null) throw new AppError(409, 'not_published', 'This bot has no published version yet');
        if (!bot.enabled) throw new AppError(409, 'bot_disabled', 'This bot is not switched on for live channels');
        flowVersion = bot.publishedVersion;
      }
      const id = newId('cnv');
      const token = newToken('conversation');
      const now = new Date();
      const row: ConversationRow = {
        id,
        botId,
        flowVersion,
        channel: input.test ? 'test' : input.channel,
        status: 'bot',
        tokenHash: hashToken(token),
        userEmail: input.user?.email?.toLowerCase() ?? null,
        userName: input.user?.name ?? null,
        userExternalId: input.user?.externalId ?? null,
        assigneeId: null,
        nodeId: null,
        vars: null,
        leftMessageAt: null,
        suggestion: null,
        messageSeq: 0,
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      projection.open(row);
      try {
        await engine.start(engineInput(row));
      } catch (error) {
        log.error('could not start a conversation', error, { conversationId: id, botId });
        projection.failedToStart(id);
        throw new AppError(503, 'engine_unavailable', 'The conversation engine is not reachable right now; try again shortly');
      }
      return { conversationId: id, token, flowVersion };
    },

    /** Records the user's message (idempotent by `clientMessageId`) and hands it to the engine. */
    async send(id: string, text: string, clientMessageId: string | undefined, wait: boolean): Promise<{ messageId: string; reply?: TurnReply | PendingReply }> {
      const row = service.get(id);
      if (row.status === 'closed') throw conversationClosed(id);
      // A switched-off bot stops answering. Telling its conversations is best effort when it is
      // switched (see switchBot): one it did not reach learns it here, before the message.
      if (row.channel !== 'test' && !bots.isEnabled(row.botId)) await tellSwitched(id, false, bots.closedNotice(row.botId));
      const messageId = projection.recordUserMessage(id, text, clientMessageId);
      const message = { id: messageId, text, sentAt: new Date().toISOString() };
      try {
        if (!wait) {
          await engine.send(engineInput(row), message);
          return { messageId };
        }
        return { messageId, reply: await engine.sendAndWait(engineInput(row), message, { timeoutMs: WAIT_FOR_REPLY_MS }) };
      } catch (error) {
        if (error instanceof ConversationClosedError) throw conversationClosed(id);
        throw error;
      }
    },

    /**
     * The bot was switched on or off: its open conversations on live channels are told, a few at
     * a time (the test chat runs drafts whether the bot is on or not). Resolves when all were told;
     * failures are logged, and a conversation not reached learns it at its next message.
     */
    async switchBot(botId: string, on: boolean): Promise<void> {
      const notice = bots.closedNotice(botId);
      const open = db
        .select({ id: conversations.id })
        .from(conversations)
        .where(and(eq(conversations.botId, botId), ne(conversations.status, 'closed'), ne(conversations.channel, 'test')))
        .all();
      let next = 0;
      const tell = async (): Promise<void> => {
        while (next < open.length) {
          const { id } = open[next++]!;
          await tellSwitched(id, on, notice).catch((error: unknown) => log.error('could not tell a conversation that its bot was switched', error, { conversationId: id, botId, on }));
        }
      };
      await Promise.all(Array.from({ length: Math.min(8, open.length) }, tell));
    },

    /** Transcript messages after a cursor, each with its own cursor (`seq`). */
    messagesAfter(id: string, after: number, limit: number): { messages: (MessageView & { seq: number })[]; cursor: string } {
      const rows = db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, id), gt(messages.seq, after)))
        .orderBy(asc(messages.seq))
        .limit(limit)
        .all();
      return {
        messages: rows.map((m) => ({
          seq: m.seq,
          id: m.id,
          role: m.role,
          text: m.text,
          ...(m.quickReplies?.length ? { quickReplies: m.quickReplies } : {}),
          createdAt: m.createdAt.toISOString(),
        })),
        cursor: String(rows.at(-1)?.seq ?? after),
      };
    },

    setUser(id: string, user: EndUser): void {
      projection.setUser(id, user);
    },

    /** The display name of the person who has the conversation: the chat says who the user talks to (never their email). */
    assigneeName(row: ConversationRow): string | undefined {
      if (!row.assigneeId) return undefined;
      return db.select({ name: users.name }).from(users).where(eq(users.id, row.assigneeId)).get()?.name || undefined;
    },

    view(row: ConversationRow, withVars: boolean) {
      const assigneeName = service.assigneeName(row);
      return {
        id: row.id,
        botId: row.botId,
        status: row.status as ConversationStatus,
        ...(row.assigneeId ? { assignee: row.assigneeId } : {}),
        ...(assigneeName ? { assigneeName } : {}),
        flowVersion: row.flowVersion,
        channel: row.channel,
        createdAt: row.createdAt.toISOString(),
        updatedAt: row.updatedAt.toISOString(),
        user: {
          ...(row.userEmail ? { email: row.userEmail } : {}),
          ...(row.userName ? { name: row.userName } : {}),
          ...(row.userExternalId ? { externalId: row.userExternalId } : {}),
        },
        ...(withVars ? { nodeId: row.nodeId, vars: row.vars ?? {} } : {}),
      };
    },
  };
  return service;
}
