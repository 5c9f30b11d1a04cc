import { desc, eq } from 'drizzle-orm';
import type { HandoffActivityInput, HandoffContext, HandoffGateway, HandoffStart } from '@baton/engine/worker';
import { isOpen, NodeError, type JsonObject } from '@baton/nodes';
import type { Db } from '../db/database.js';
import { conversations, handoffs } from '../db/schema.js';
import { DeskError, type DeskClient, type DeskKind, type HandoffLine } from '../desks/desk.js';
import type { BotsService } from '../features/bots/bots.service.js';
import type { ConversationProjection } from '../features/conversations/conversation-projection.js';
import { pickAssignee, routingTarget } from '../features/inbox/routing.js';
import type { Logger } from '../log.js';
import { newId } from '../security/tokens.js';
import type { DeskClients } from './desk-registry.js';
import { isDeskKind } from './desk-registry.js';
import { recordDeskStatus } from './desk-status.js';

export interface HandoffGatewayDeps {
  db: Db;
  bots: BotsService;
  desks: DeskClients;
  projection: ConversationProjection;
  log: Logger;
  /** In assist mode, drafts the next reply for the person who has the conversation (not awaited). */
  draftReply?: (conversationId: string) => Promise<void>;
  now?: () => number;
}

type HandoffRow = typeof handoffs.$inferSelect;

/**
 * The server's side of the engine's handoffs: the built-in inbox (routing to people by presence,
 * team and round robin) and the external desks (their HTTP clients). Desk failures become
 * `NodeError`s: retryable ones are retried by the engine with backoff, the others make the
 * handoff `unavailable`. Nothing here can fail a conversation.
 */
export function createHandoffGateway(deps: HandoffGatewayDeps): HandoffGateway {
  const { db, bots, desks, projection, log } = deps;
  const now = deps.now ?? Date.now;

  const handoffOf = (context: HandoffContext): HandoffRow | undefined => {
    const id = context.session['handoffId'];
    if (typeof id === 'string') return db.select().from(handoffs).where(eq(handoffs.id, id)).get();
    // A human took the conversation before the desk answered: the latest handoff of it, if any.
    return db.select().from(handoffs).where(eq(handoffs.conversationId, context.conversation.id)).orderBy(desc(handoffs.createdAt)).limit(1).get();
  };

  const deskCall = async <T>(botId: string, desk: DeskKind, call: () => Promise<T>): Promise<T> => {
    try {
      const result = await call();
      recordDeskStatus(db, botId, desk, true);
      return result;
    } catch (error) {
      const deskError = error instanceof DeskError ? error : undefined;
      recordDeskStatus(db, botId, desk, false, deskError?.message ?? 'the desk could not be reached');
      if (deskError) {
        throw new NodeError(`desk_${deskError.code}`, deskError.message, {
          retryable: deskError.retryable,
          ...(deskError.retryAfterMs ? { retryAfterMs: deskError.retryAfterMs } : {}),
          cause: error,
        });
      }
      throw new NodeError('desk_failed', `${desk}: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
    }
  };

  const deskConfig = (botId: string, desk: DeskKind) => bots.settingsWithSecrets(botId).desks[desk];
  /** The desk's client; each is paired with its own desk's config by the kind, which TypeScript cannot follow. */
  const clientOf = (desk: DeskKind): DeskClient<unknown> | undefined => desks[desk] as DeskClient<unknown> | undefined;
  const saveSession = (handoffId: string, data: Record<string, unknown>): void => {
    db.update(handoffs).set({ session: data }).where(eq(handoffs.id, handoffId)).run();
  };

  return {
    async request(input: HandoffActivityInput): Promise<HandoffStart> {
      const botId = input.conversation.botId;
      const conversationId = input.conversation.id;
      const key = input.idempotencyKey ?? `${conversationId}/${input.nodeId}/${now()}`;
      const earlier = db.select().from(handoffs).where(eq(handoffs.idempotencyKey, key)).get();
      if (earlier) {
        // The retry must get the first answer: an inbox row's session is that answer's session.
        if (earlier.desk !== 'inbox') return { outcome: 'queued', session: { handoffId: earlier.id } };
        const session = earlier.session as JsonObject;
        return session['leaveMessage'] ? { outcome: 'queued', session, leaveMessage: true } : { outcome: 'queued', session };
      }

      const settings = bots.settingsWithSecrets(botId);
      if (settings.serviceHours && !isOpen(settings.serviceHours, now())) return { outcome: 'off_hours' };
      const target = input.request.target;
      const desk: DeskKind | 'inbox' =
        target['kind'] === 'desk' && isDeskKind(target['provider'])
          ? target['provider']
          : target['kind'] === 'default'
            ? settings.defaultDesk
            : 'inbox';
      const id = newId('hof');

      if (desk === 'inbox') {
        const routing = routingTarget(target);
        const assignee = pickAssignee(db, routing);
        if (!assignee && settings.aiMode === 'hosted') return { outcome: 'no_agent' };
        const session = { handoffId: id, ...(assignee ? { assigneeId: assignee } : { leaveMessage: true }) };
        db.transaction((tx) => {
          tx.insert(handoffs)
            .values({ id, conversationId, botId, desk: 'inbox', session, status: 'queued', teamId: routing.teamId ?? null, idempotencyKey: key })
            .run();
          projection.routed(conversationId, assignee ?? null);
        });
        return assignee ? { outcome: 'queued', session } : { outcome: 'queued', session, leaveMessage: true };
      }

      const config = deskConfig(botId, desk);
      const client = clientOf(desk);
      if (!config || !client) {
        log.warn('handoff to a desk that is not configured', { botId, desk });
        return { outcome: 'unavailable' };
      }
      const email = typeof input.user['email'] === 'string' ? input.user['email'] : undefined;
      const history: HandoffLine[] = input.history.map((line) => ({ role: line.role, text: line.text }));
      let session;
      try {
        session = await deskCall(botId, desk, () =>
          client.establish(config, {
            conversationId,
            botId,
            ...(email ? { email } : {}),
            user: {
              ...(typeof input.user['name'] === 'string' ? { name: input.user['name'] } : {}),
              ...(typeof input.user['externalId'] === 'string' ? { externalId: input.user['externalId'] } : {}),
            },
            history,
            idempotencyKey: key,
          }),
        );
      } catch (error) {
        if (error instanceof NodeError && error.retryable) throw error;
        return { outcome: 'unavailable' };
      }
      db.insert(handoffs)
        .values({ id, conversationId, botId, desk, deskConversationId: session.deskConversationId, session: session.data, status: 'queued', idempotencyKey: key })
        .run();
      projection.inboxChanged();
      return { outcome: 'queued', session: { handoffId: id } };
    },

    async relay(input) {
      const row = handoffOf(input);
      if (!row || row.status === 'closed') return;
      if (row.desk === 'inbox') {
        if (row.session['leaveMessage']) projection.messageLeft(row.conversationId);
        else projection.inboxChanged();
        if (deps.draftReply && bots.settings(row.botId).aiMode === 'assist') {
          deps.draftReply(row.conversationId).catch((error: unknown) => log.warn('no draft reply', { error: String(error) }));
        }
        return;
      }
      const desk = row.desk;
      const config = deskConfig(row.botId, desk);
      const client = clientOf(desk);
      if (!config || !client || !row.deskConversationId) return;
      const session = { deskConversationId: row.deskConversationId, data: row.session };
      try {
        for (const message of input.messages) {
          await deskCall(row.botId, desk, () =>
            client.relay(config, session, { messageId: message.id, text: message.text }),
          );
        }
      } finally {
        // Clients keep renewed credentials (LiveChat's customer token) in the session data.
        saveSession(row.id, session.data);
      }
    },

    async close(input) {
      const row = handoffOf(input);
      if (!row || row.status === 'closed') return;
      if (row.desk !== 'inbox' && row.deskConversationId) {
        const config = deskConfig(row.botId, row.desk);
        const client = clientOf(row.desk);
        if (config && client) {
          const session = { deskConversationId: row.deskConversationId, data: row.session };
          try {
            await deskCall(row.botId, row.desk, () =>
              client.close(config, session, input.reason),
            );
          } finally {
            saveSession(row.id, session.data);
          }
        }
      }
      db.update(handoffs).set({ status: 'closed', closedAt: new Date() }).where(eq(handoffs.id, row.id)).run();
      projection.inboxChanged();
    },

    async reroute(input) {
      const row = handoffOf(input);
      if (!row || row.status === 'closed' || row.desk !== 'inbox') return;
      const conversation = db.select().from(conversations).where(eq(conversations.id, row.conversationId)).get();
      if (!conversation || conversation.status !== 'queued') return;
      const target = routingTarget({ assignTo: row.teamId ? 'team' : 'anyone', ...(row.teamId ? { teamId: row.teamId } : {}) });
      const next = pickAssignee(db, target, conversation.assigneeId ? { exclude: conversation.assigneeId } : {});
      if (!next) return;
      projection.rerouted(row.conversationId, next);
    },
  };
}
