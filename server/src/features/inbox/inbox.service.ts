import { and, desc, eq, inArray, isNotNull, or, sql } from 'drizzle-orm';
import { ConversationClosedError, type ConversationClient } from '@baton/engine/client';
import { isJsonObject, isOpen, nextOpenAt } from '@baton/nodes';
import type { Db } from '../../db/database.js';
import { bots, conversations, messages, teamMembers, teams, users } from '../../db/schema.js';
import { AppError, conversationClosed, notFound } from '../../http/errors.js';
import type { AuthUser } from '../../http/principal.js';
import { newId } from '../../security/tokens.js';
import type { BotsService } from '../bots/bots.service.js';
import type { ConversationProjection } from '../conversations/conversation-projection.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import type { InboxItem } from './inbox-item.js';
import { onlineCount } from './routing.js';

export type Presence = 'online' | 'away' | 'offline';
export type InboxService = ReturnType<typeof createInboxService>;

/**
 * The people's side of Baton: presence, the inbox of queued and human-owned conversations, and
 * what a person does with one (take over, reply, complete, reactivate). The conversation's
 * workflow stays the authority; these calls signal it and update the projection right away.
 */
export function createInboxService(deps: { db: Db; bots: BotsService; conversations: ConversationsService; engine: ConversationClient; projection: ConversationProjection }) {
  const { db, engine, projection } = deps;
  const running = async (conversationId: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      if (error instanceof ConversationClosedError) {
        throw conversationClosed(conversationId);
      }
      throw error;
    }
  };

  const service = {
    list(filter: { status?: 'queued' | 'agent' | 'left_message'; mine?: string }): InboxItem[] {
      const where = [
        filter.status === 'left_message'
          ? isNotNull(conversations.leftMessageAt)
          : filter.status
            ? eq(conversations.status, filter.status)
            : or(inArray(conversations.status, ['queued', 'agent']), isNotNull(conversations.leftMessageAt)),
        ...(filter.mine ? [eq(conversations.assigneeId, filter.mine)] : []),
      ];
      const rows = db
        .select({ conversation: conversations, botName: bots.name })
        .from(conversations)
        .innerJoin(bots, eq(bots.id, conversations.botId))
        .where(and(...where))
        .orderBy(desc(conversations.updatedAt))
        .limit(200)
        .all();
      return rows.map(({ conversation, botName }) => {
        const last = db
          .select({ role: messages.role, text: messages.text, createdAt: messages.createdAt })
          .from(messages)
          .where(eq(messages.conversationId, conversation.id))
          .orderBy(desc(messages.seq))
          .limit(1)
          .get();
        return {
          id: conversation.id,
          botId: conversation.botId,
          botName,
          status: conversation.status,
          ...(conversation.assigneeId ? { assignee: conversation.assigneeId } : {}),
          user: {
            ...(conversation.userEmail ? { email: conversation.userEmail } : {}),
            ...(conversation.userName ? { name: conversation.userName } : {}),
          },
          ...(last ? { lastMessage: { role: last.role, text: last.text.slice(0, 200), createdAt: last.createdAt.toISOString() } } : {}),
          leftMessage: conversation.leftMessageAt !== null,
          updatedAt: conversation.updatedAt.toISOString(),
        };
      });
    },

    async takeover(conversationId: string, user: AuthUser): Promise<void> {
      const row = deps.conversations.get(conversationId);
      if (row.status === 'closed') throw conversationClosed(conversationId);
      await running(conversationId, () => engine.takeover(conversationId, user.id));
      projection.takenOver(conversationId, user.id);
    },

    /** A person's message to the user; taking the conversation over first when they do not have it yet. */
    async reply(conversationId: string, user: AuthUser, text: string): Promise<{ messageId: string }> {
      const row = deps.conversations.get(conversationId);
      if (row.status !== 'agent' || row.assigneeId !== user.id) await service.takeover(conversationId, user);
      const id = projection.recordAgentMessage(conversationId, { text, agentId: user.id });
      await running(conversationId, () => engine.agentMessage(conversationId, { id, text, agentId: user.id }));
      return { messageId: id };
    },

    /** The person is done: the bot takes over again. */
    async complete(conversationId: string): Promise<void> {
      const row = deps.conversations.get(conversationId);
      if (row.status === 'closed') throw conversationClosed(conversationId);
      await running(conversationId, () => engine.handBack(conversationId));
      projection.handedBack(conversationId);
    },

    /** Takes a conversation back: one the bot has again, or one that was closed (a new run that starts with this person). */
    async reactivate(conversationId: string, user: AuthUser): Promise<void> {
      const row = deps.conversations.get(conversationId);
      if (row.status !== 'closed') return service.takeover(conversationId, user);
      await engine.reopen(
        {
          conversation: { id: row.id, botId: row.botId, flowVersion: row.flowVersion },
          user: {
            ...(row.userEmail ? { email: row.userEmail } : {}),
            ...(row.userName ? { name: row.userName } : {}),
            ...(row.userExternalId ? { externalId: row.userExternalId } : {}),
          },
          ...(isJsonObject(row.vars) ? { vars: row.vars } : {}),
        },
        user.id,
        // The new run numbers its bot messages after those already said.
        row.messageSeq,
      );
      projection.reopened(conversationId, user.id);
    },

    suggestion(conversationId: string): { text: string | null } {
      return { text: deps.conversations.get(conversationId).suggestion };
    },

    setPresence(userId: string, presence: Presence): void {
      db.update(users).set({ presence }).where(eq(users.id, userId)).run();
      projection.inboxChanged();
    },

    /** What the widget shows: open now, when it opens next, how many people are online. */
    availability(botId: string): { open: boolean; nextOpenAt: string | null; agentsOnline: number } {
      deps.bots.get(botId);
      const hours = deps.bots.serviceHours(botId);
      const now = Date.now();
      const open = hours ? isOpen(hours, now) : true;
      return {
        open,
        nextOpenAt: open ? null : (hours ? nextOpenAt(hours, now)?.toISOString() ?? null : null),
        agentsOnline: onlineCount(db),
      };
    },

    /** How the widget and the chat page look for the bot: its colour and greeting, when set. */
    appearance(botId: string): { color?: string; greeting?: string } {
      return deps.bots.widgetAppearance(botId);
    },

    listTeams() {
      return db
        .select()
        .from(teams)
        .orderBy(teams.name)
        .all()
        .map((team) => ({
          id: team.id,
          name: team.name,
          memberIds: db.select({ id: teamMembers.userId }).from(teamMembers).where(eq(teamMembers.teamId, team.id)).all().map((m) => m.id),
        }));
    },

    saveTeam(input: { id?: string; name: string; memberIds: string[] }) {
      const known = new Set(db.select({ id: users.id }).from(users).where(inArray(users.id, input.memberIds.length ? input.memberIds : [''])).all().map((u) => u.id));
      const unknown = input.memberIds.find((id) => !known.has(id));
      // A member who does not exist is not a malformed request (the schema cannot know who exists): 404, as for any id.
      if (unknown !== undefined) throw new AppError(404, 'not_found', `body.memberIds: there is no user ${unknown}`, [{ path: ['body', 'memberIds'], message: `there is no user ${unknown}` }]);
      const id = input.id ?? newId('team');
      if (input.id && !db.select().from(teams).where(eq(teams.id, input.id)).get()) throw notFound(`Team ${input.id}`);
      const clash = db.select().from(teams).where(and(eq(teams.name, input.name), sql`${teams.id} != ${id}`)).get();
      if (clash) throw new AppError(409, 'name_taken', `A team named ${input.name} exists already`);
      db.transaction((tx) => {
        tx.insert(teams).values({ id, name: input.name }).onConflictDoUpdate({ target: teams.id, set: { name: input.name } }).run();
        tx.delete(teamMembers).where(eq(teamMembers.teamId, id)).run();
        for (const userId of new Set(input.memberIds)) tx.insert(teamMembers).values({ teamId: id, userId }).run();
      });
      return { id, name: input.name, memberIds: [...new Set(input.memberIds)] };
    },
  };
  return service;
}
