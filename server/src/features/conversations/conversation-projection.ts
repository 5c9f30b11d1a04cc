import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { ConversationStatus } from '@baton/engine/client';
import type { TurnRecord } from '@baton/engine/worker';
import type { Db } from '../../db/database.js';
import { conversations, messages } from '../../db/schema.js';
import { INBOX_CHANNEL } from '../inbox/inbox-channel.js';
import type { ConversationEvents } from './conversation-events.js';

export type ConversationRow = typeof conversations.$inferSelect;
export type ConversationProjection = ReturnType<typeof createConversationProjection>;

/** What is known about the end user; a field left out keeps what is stored. */
export interface EndUserUpdate {
  email?: string | undefined;
  name?: string | undefined;
  externalId?: string | undefined;
}

/**
 * The conversation projection: the one writer of `conversations` and `messages`, and the one
 * sender of change notifications. The workflow is the authority on a conversation
 * (`recordTurn`); every other write is something the server learns first-hand: the conversation
 * was opened, the user or a person wrote, the inbox routed it, the user left a message, the AI
 * drafted a reply. The one write ahead of the workflow is a person taking the conversation over
 * (`takenOver`, `reopened`): the same ownership change the workflow records at its next turn,
 * written at once so that the person's next request already finds it theirs.
 *
 * Message ids: the engine numbers the bot's (`<conversation>-b<n>`, counted in `message_seq`);
 * this module makes the others (`-u-` the user's, `-h-` the people's).
 */
export function createConversationProjection(db: Db, events: ConversationEvents) {
  const changed = (conversationId?: string): void => {
    if (conversationId) events.notify(conversationId);
    events.notify(INBOX_CHANNEL);
  };

  /**
   * The columns a status decides: only a person's own conversation keeps an assignee and a draft;
   * a closed one keeps when it first closed (a retried record does not move it).
   */
  const ownership = (status: ConversationStatus, assignee: string | undefined, now: Date): Partial<ConversationRow> => ({
    status,
    ...(status === 'agent' && assignee ? { assigneeId: assignee } : {}),
    ...(status === 'bot' || status === 'closed' ? { assigneeId: null, suggestion: null } : {}),
    closedAt: status === 'closed' ? (sql`coalesce(${conversations.closedAt}, ${now.getTime()})` as unknown as Date) : null,
  });

  // A message's path runs these for every message: prepared once (building their SQL each time
  // was a measurable part of the API's CPU under load, docs/benchmarks.md).
  const insertMessage = db
    .insert(messages)
    .values({
      id: sql.placeholder('id'),
      conversationId: sql.placeholder('conversationId'),
      role: sql.placeholder('role'),
      text: sql.placeholder('text'),
      clientMessageId: sql.placeholder('clientMessageId'),
      nodeId: sql.placeholder('nodeId'),
      quickReplies: sql.placeholder('quickReplies'),
      agentId: sql.placeholder('agentId'),
      createdAt: sql.placeholder('createdAt'),
    })
    .onConflictDoNothing()
    .prepare();
  const touch = db
    .update(conversations)
    // The column's encoder turns the Date given at run time into its milliseconds.
    .set({ updatedAt: sql.placeholder('now') as unknown as Date })
    .where(eq(conversations.id, sql.placeholder('id')))
    .prepare();
  const message = (row: {
    id: string;
    conversationId: string;
    role: 'user' | 'bot' | 'agent';
    text: string;
    createdAt: Date;
    clientMessageId?: string | undefined;
    nodeId?: string | undefined;
    quickReplies?: string[] | undefined;
    agentId?: string | undefined;
  }) =>
    insertMessage.run({
      clientMessageId: null,
      nodeId: null,
      quickReplies: null,
      agentId: null,
      ...Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)),
    });
  const update = (id: string, set: Partial<ConversationRow>, where = eq(conversations.id, id)) =>
    db.update(conversations).set(set).where(where).run().changes > 0;

  const takenOver = (conversationId: string, agentId: string): void => {
    const now = new Date();
    update(conversationId, { ...ownership('agent', agentId, now), leftMessageAt: null, updatedAt: now });
    changed(conversationId);
  };

  return {
    /** The conversation exists before its workflow starts: the first messages are recorded against it. */
    open(row: ConversationRow): void {
      db.insert(conversations).values(row).run();
    },

    /** Its workflow could not be started: it is over before it began. */
    failedToStart(id: string): void {
      const now = new Date();
      update(id, { ...ownership('closed', undefined, now), updatedAt: now });
      changed(id);
    },

    /** The user's message; the same `clientMessageId` is the same message. Answers its id. */
    recordUserMessage(conversationId: string, text: string, clientMessageId: string | undefined): string {
      const id = `${conversationId}-u-${clientMessageId ?? randomUUID()}`;
      const now = new Date();
      message({ id, conversationId, role: 'user', text, clientMessageId, createdAt: now });
      touch.run({ id: conversationId, now });
      events.notify(conversationId);
      return id;
    },

    /**
     * A person's message to the user: from the inbox (a new id each time), or from a desk
     * (`deskEvent`, the desk's event: delivered again, it is the same message). Answers its id.
     */
    recordAgentMessage(conversationId: string, entry: { text: string; agentId: string; deskEvent?: string }): string {
      const suffix = entry.deskEvent ? createHash('sha256').update(entry.deskEvent).digest('base64url').slice(0, 22) : randomUUID();
      const id = `${conversationId}-h-${suffix}`;
      const now = new Date();
      db.transaction(() => {
        message({ id, conversationId, role: 'agent', text: entry.text, agentId: entry.agentId, createdAt: now });
        // The person has answered: a draft of that answer is spent.
        update(conversationId, { suggestion: null, updatedAt: now });
      });
      changed(conversationId);
      return id;
    },

    /** What the user told about themselves (the widget's setEmail / setUser). */
    setUser(conversationId: string, user: EndUserUpdate): void {
      update(conversationId, {
        ...(user.email ? { userEmail: user.email.toLowerCase() } : {}),
        ...(user.name ? { userName: user.name } : {}),
        ...(user.externalId ? { userExternalId: user.externalId } : {}),
        updatedAt: new Date(),
      });
      events.notify(conversationId);
    },

    /** The workflow's record of a step: its bot messages (each once, by id), status, node and variables, all or nothing. */
    recordTurn(record: TurnRecord): void {
      const id = record.conversation.id;
      const now = new Date();
      // Records of older workflow code carry no counter: each of their bot messages counts once more (too high is harmless, too low would reuse ids).
      const said =
        record.messageSeq === undefined
          ? sql`${conversations.messageSeq} + ${record.messages.length}`
          : sql`max(${conversations.messageSeq}, ${record.messageSeq})`;
      db.transaction(() => {
        for (const m of record.messages) {
          message({ id: m.id, conversationId: id, role: m.role, text: m.text, nodeId: m.nodeId || undefined, quickReplies: m.quickReplies, createdAt: now });
        }
        // While queued, the inbox's routing owns the assignee (`routed`); with a person, the workflow knows who.
        update(id, {
          ...ownership(record.status, record.assignee, now),
          nodeId: record.nodeId ?? null,
          ...(record.vars ? { vars: record.vars } : {}),
          messageSeq: said as unknown as number,
          updatedAt: now,
        });
      });
      changed(id);
    },

    /** A person took the conversation over (the workflow has the signal and records the same at its next turn). */
    takenOver,

    /** A closed conversation runs again, with the person who reopened it. */
    reopened: takenOver,

    /** The person is done and the bot goes on: a message left for people is answered. */
    handedBack(conversationId: string): void {
      update(conversationId, { leftMessageAt: null, updatedAt: new Date() });
      changed(conversationId);
    },

    /** The inbox picked someone for a queued conversation (none: nobody is online). */
    routed(conversationId: string, assigneeId: string | null): void {
      update(conversationId, { assigneeId, updatedAt: new Date() });
      changed(conversationId);
    },

    /** Routed to the next person, only while nobody has taken it; false when it was taken meanwhile. */
    rerouted(conversationId: string, assigneeId: string): boolean {
      const done = update(conversationId, { assigneeId, updatedAt: new Date() }, and(eq(conversations.id, conversationId), eq(conversations.status, 'queued')));
      if (done) changed(conversationId);
      return done;
    },

    /** The user wrote while nobody was online: a message left for the people. */
    messageLeft(conversationId: string): void {
      update(conversationId, { leftMessageAt: new Date() });
      changed(conversationId);
    },

    /** Assist mode: the AI's draft of the next reply, for the person who has the conversation. */
    suggested(conversationId: string, text: string): void {
      update(conversationId, { suggestion: text });
      changed(conversationId);
    },

    /** Something the inbox shows changed besides a conversation: a handoff, a person's presence. */
    inboxChanged(): void {
      changed();
    },
  };
}
