import { eq } from 'drizzle-orm';
import { conversations } from '../../db/schema.js';
import { pickAssignee, routingTarget } from '../../features/inbox/routing.js';
import { DeskError, defineDesk, type DeskClient, type DeskRuntime } from '../sdk/index.js';

/**
 * Baton's own inbox as a desk: "establishing" routes the conversation to a person who is online
 * (the one the flow names, or round robin in its team or among everyone), or, in assist mode
 * with nobody online, lets the user leave a message. People answer through the inbox API, so
 * the desk has no webhooks, and nothing to set up.
 */
export function createInboxDeskClient(runtime: DeskRuntime): DeskClient<Record<string, never>> {
  const { db, bots, projection, log, draftReply } = runtime;
  const botOf = (conversationId: string) => db.select({ botId: conversations.botId }).from(conversations).where(eq(conversations.id, conversationId)).get()?.botId;

  return {
    async testConnection() {
      return { ok: true };
    },

    async establish(_config, request) {
      const assignee = pickAssignee(db, routingTarget(request.target ?? {}));
      if (!assignee && bots.settings(request.botId).aiMode === 'hosted') {
        throw new DeskError('no_agent', 'Nobody who could take the conversation is online', false);
      }
      projection.routed(request.conversationId, assignee ?? null);
      return { deskConversationId: request.conversationId, data: assignee ? { assigneeId: assignee } : { leaveMessage: true } };
    },

    async relay(_config, session) {
      const conversationId = session.deskConversationId;
      if (session.data['leaveMessage']) projection.messageLeft(conversationId);
      else projection.inboxChanged();
      const botId = botOf(conversationId);
      if (draftReply && botId && bots.settings(botId).aiMode === 'assist') {
        // Not awaited: a slow or failing model must not hold up the user's message.
        draftReply(conversationId).catch((error: unknown) => log.warn('no draft reply', { error: String(error) }));
      }
    },

    async close() {
      // Nothing to tell anyone: the inbox reads the conversation's status.
    },

    async reroute(_config, session, target) {
      const conversationId = session.deskConversationId;
      const conversation = db.select().from(conversations).where(eq(conversations.id, conversationId)).get();
      if (!conversation || conversation.status !== 'queued') return;
      // Someone else of the team; the person a flow named stayed silent, so anyone online.
      const routing = routingTarget(target);
      const wider = routing.assignTo === 'team' ? routing : { assignTo: 'anyone' as const };
      const next = pickAssignee(db, wider, conversation.assigneeId ? { exclude: conversation.assigneeId } : {});
      if (next) projection.rerouted(conversationId, next);
    },
  };
}

export const inboxDesk = defineDesk({
  kind: 'inbox',
  title: "Baton's inbox",
  description: 'The people of your team answer in Baton itself: presence, teams, round robin, take over, and assist-mode drafts.',
  client: (runtime) => createInboxDeskClient(runtime),
});
