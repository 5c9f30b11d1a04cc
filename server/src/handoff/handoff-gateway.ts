import { desc, eq } from 'drizzle-orm';
import type { HandoffActivityInput, HandoffContext, HandoffGateway, HandoffStart } from '@baton/engine/worker';
import { isOpen, NodeError, type JsonObject } from '@baton/nodes';
import type { Db } from '../db/database.js';
import { handoffs } from '../db/schema.js';
import { createDeskClients, deskConfig, deskOf, isConfigurableDeskKind, isDeskKind, type DeskKind } from '../desks/registry.js';
import { DeskError, type DeskSession, type HandoffLine } from '../desks/sdk/index.js';
import type { BotsService } from '../features/bots/bots.service.js';
import type { ConversationProjection } from '../features/conversations/conversation-projection.js';
import type { Logger } from '../log.js';
import { newId } from '../security/tokens.js';
import { recordDeskStatus } from './desk-status.js';

export interface HandoffGatewayDeps {
  db: Db;
  bots: BotsService;
  projection: ConversationProjection;
  log: Logger;
  /** In assist mode, drafts the next reply for the person who has the conversation (not awaited). */
  draftReply?: (conversationId: string) => Promise<void>;
  now?: () => number;
}

type HandoffRow = typeof handoffs.$inferSelect;

/** What the engine keeps of a handoff: our row's id, never the desk's data (tokens stay here). */
const engineSession = (handoffId: string, data: Record<string, unknown>): { session: JsonObject; leaveMessage?: true } =>
  data['leaveMessage'] === true ? { session: { handoffId, leaveMessage: true }, leaveMessage: true } : { session: { handoffId } };

/**
 * The server's side of the engine's handoffs, the same for every desk of the registry (Baton's
 * inbox is one of them): the desk's client establishes, relays, closes and reroutes; the
 * `handoffs` row keeps the desk's session. Desk failures become `NodeError`s: retryable ones are
 * retried by the engine with backoff, the others make the handoff `unavailable` (`no_agent` when
 * the desk says nobody can take it). Nothing here can fail a conversation.
 */
export function createHandoffGateway(deps: HandoffGatewayDeps): HandoffGateway {
  const { db, bots, projection, log } = deps;
  const now = deps.now ?? Date.now;
  const clients = createDeskClients({ db, bots, projection, log, ...(deps.draftReply ? { draftReply: deps.draftReply } : {}) });

  const handoffOf = (context: HandoffContext): HandoffRow | undefined => {
    const id = context.session['handoffId'];
    if (typeof id === 'string') return db.select().from(handoffs).where(eq(handoffs.id, id)).get();
    // A human took the conversation before the desk answered: the latest handoff of it, if any.
    return db.select().from(handoffs).where(eq(handoffs.conversationId, context.conversation.id)).orderBy(desc(handoffs.createdAt)).limit(1).get();
  };

  /** A call to a desk; its outcome is the desk's status on the settings screen. */
  const deskCall = async <T>(botId: string, kind: DeskKind, call: () => Promise<T>): Promise<T> => {
    const status = (available: boolean, message?: string) => {
      if (isConfigurableDeskKind(kind)) recordDeskStatus(db, botId, kind, available, message);
    };
    try {
      const result = await call();
      status(true);
      return result;
    } catch (error) {
      const deskError = error instanceof DeskError ? error : undefined;
      // The desk answered that nobody can take the conversation: it works.
      status(deskError?.code === 'no_agent', deskError?.code === 'no_agent' ? undefined : (deskError?.message ?? 'the desk could not be reached'));
      if (deskError) {
        throw new NodeError(`desk_${deskError.code}`, deskError.message, {
          retryable: deskError.retryable,
          ...(deskError.retryAfterMs ? { retryAfterMs: deskError.retryAfterMs } : {}),
          cause: error,
        });
      }
      throw new NodeError('desk_failed', `${kind}: ${error instanceof Error ? error.message : String(error)}`, { retryable: true, cause: error });
    }
  };

  /** The desk of a handoff row with its client and the bot's settings of it; undefined when the bot no longer has it set up. */
  const deskOfRow = (row: HandoffRow) => {
    const config = deskConfig(bots.settingsWithSecrets(row.botId), deskOf(row.desk));
    const client = clients.get(row.desk);
    if (config === undefined || !client) return undefined;
    const session: DeskSession = { deskConversationId: row.deskConversationId ?? row.conversationId, data: row.session };
    return { config, client, session };
  };
  const saveSession = (handoffId: string, data: Record<string, unknown>): void => {
    db.update(handoffs).set({ session: data }).where(eq(handoffs.id, handoffId)).run();
  };

  return {
    async request(input: HandoffActivityInput): Promise<HandoffStart> {
      const botId = input.conversation.botId;
      const conversationId = input.conversation.id;
      const key = input.idempotencyKey ?? `${conversationId}/${input.nodeId}/${now()}`;
      const earlier = db.select().from(handoffs).where(eq(handoffs.idempotencyKey, key)).get();
      // The retry must get the first answer.
      if (earlier) return { outcome: 'queued', ...engineSession(earlier.id, earlier.session) };

      const settings = bots.settingsWithSecrets(botId);
      if (settings.serviceHours && !isOpen(settings.serviceHours, now())) return { outcome: 'off_hours' };
      const target = input.request.target;
      const kind: DeskKind =
        target['kind'] === 'desk' && isDeskKind(target['provider'])
          ? target['provider']
          : target['kind'] === 'default'
            ? settings.defaultDesk
            : 'inbox';
      const config = deskConfig(settings, deskOf(kind));
      const client = clients.get(kind);
      if (config === undefined || !client) {
        log.warn('handoff to a desk that is not configured', { botId, desk: kind });
        return { outcome: 'unavailable' };
      }
      const email = typeof input.user['email'] === 'string' ? input.user['email'] : undefined;
      const history: HandoffLine[] = input.history.map((line) => ({ role: line.role, text: line.text }));
      let session: DeskSession;
      try {
        session = await deskCall(botId, kind, () =>
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
            target,
          }),
        );
      } catch (error) {
        if (error instanceof NodeError && error.retryable) throw error;
        return { outcome: error instanceof NodeError && error.code === 'desk_no_agent' ? 'no_agent' : 'unavailable' };
      }
      const id = newId('hof');
      db.insert(handoffs)
        .values({ id, conversationId, botId, desk: kind, deskConversationId: session.deskConversationId, session: session.data, status: 'queued', idempotencyKey: key })
        .run();
      projection.inboxChanged();
      return { outcome: 'queued', ...engineSession(id, session.data) };
    },

    async relay(input) {
      const row = handoffOf(input);
      if (!row || row.status === 'closed') return;
      const desk = deskOfRow(row);
      if (!desk) return;
      try {
        for (const message of input.messages) {
          await deskCall(row.botId, row.desk, () => desk.client.relay(desk.config, desk.session, { messageId: message.id, text: message.text }));
        }
      } finally {
        // Clients keep renewed credentials (LiveChat's customer token) in the session data.
        saveSession(row.id, desk.session.data);
      }
    },

    async close(input) {
      const row = handoffOf(input);
      if (!row || row.status === 'closed') return;
      const desk = deskOfRow(row);
      if (desk) {
        try {
          await deskCall(row.botId, row.desk, () => desk.client.close(desk.config, desk.session, input.reason));
        } finally {
          saveSession(row.id, desk.session.data);
        }
      }
      db.update(handoffs).set({ status: 'closed', closedAt: new Date() }).where(eq(handoffs.id, row.id)).run();
      projection.inboxChanged();
    },

    async reroute(input) {
      const row = handoffOf(input);
      if (!row || row.status === 'closed') return;
      const desk = deskOfRow(row);
      if (desk?.client.reroute) await desk.client.reroute(desk.config, desk.session, input.target);
    },
  };
}
