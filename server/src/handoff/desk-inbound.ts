import { and, desc, eq } from 'drizzle-orm';
import { ConversationClosedError, type ConversationClient } from '@baton/engine/client';
import type { Db } from '../db/database.js';
import { handoffs } from '../db/schema.js';
import { isDeskKind } from '../desks/registry.js';
import type { DeskEvent, DeskInbound } from '../desks/sdk/index.js';
import type { ConversationProjection } from '../features/conversations/conversation-projection.js';
import type { Logger } from '../log.js';
import type { HookReceipts } from './hook-receipts.js';

/**
 * Where verified desk webhooks land: the desk's message goes into the transcript and to the
 * conversation's workflow; the desk's close hands the conversation back to the bot. Desks deliver
 * at least once: each event id is handled once.
 */
export function createDeskInbound(deps: { db: Db; engine: ConversationClient; projection: ConversationProjection; receipts: HookReceipts; log: Logger }): DeskInbound {
  const { db, engine, projection, receipts, log } = deps;
  const signal = async (what: string, send: () => Promise<void>): Promise<void> => {
    try {
      await send();
    } catch (error) {
      // The conversation ended meanwhile: the message is in the transcript, nothing else to do.
      if (error instanceof ConversationClosedError) return log.info(`desk ${what} after the conversation ended`);
      throw error;
    }
  };

  return {
    async deliver(botId: string, desk: string, deskConversationId: string, event: DeskEvent) {
      if (!isDeskKind(desk)) return 'unknown_conversation';
      const handoff = db
        .select()
        .from(handoffs)
        .where(and(eq(handoffs.botId, botId), eq(handoffs.desk, desk), eq(handoffs.deskConversationId, deskConversationId)))
        .orderBy(desc(handoffs.createdAt))
        .limit(1)
        .get();
      if (!handoff) return 'unknown_conversation';
      // Marked as handled only once handled: a delivery that failed half-way is taken again.
      const receipt = `${desk}:${botId}:${event.eventId}`;
      if (receipts.has(receipt)) return 'duplicate';
      // Over (the user left, the bot took the conversation back): the desk's words reach no one.
      if (handoff.status === 'closed') return 'unknown_conversation';
      const conversationId = handoff.conversationId;

      if (event.type === 'agent_message') {
        // LiveChat echoes the customer's own messages: those are ours already.
        if (event.agentId !== undefined && event.agentId === handoff.session['customerId']) {
          receipts.remember(receipt);
          return 'delivered';
        }
        const id = projection.recordAgentMessage(conversationId, { text: event.text, agentId: event.agentName ?? event.agentId ?? desk, deskEvent: `${desk}:${event.eventId}` });
        await signal('message', () => engine.agentMessage(conversationId, { id, text: event.text, ...(event.agentId ? { agentId: event.agentId } : {}) }));
      } else if (event.type === 'closed') {
        // Closed only once the workflow has it: a failed hand-back must find the handoff open on redelivery.
        await signal('close', () => engine.handBack(conversationId));
        db.update(handoffs).set({ status: 'closed', closedAt: new Date() }).where(eq(handoffs.id, handoff.id)).run();
        projection.inboxChanged();
      } else {
        projection.inboxChanged();
      }
      receipts.remember(receipt);
      return 'delivered';
    },
  };
}
