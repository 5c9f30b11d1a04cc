import { and, desc, eq } from 'drizzle-orm';
import type { LlmClient } from '@baton/nodes';
import type { Db } from '../db/database.js';
import { conversations, messages } from '../db/schema.js';
import type { BotsService } from '../features/bots/bots.service.js';
import type { ConversationProjection } from '../features/conversations/conversation-projection.js';

const FALLBACK_INSTRUCTIONS = 'You help a customer-service agent. Draft a short, friendly, accurate reply to the customer.';

/**
 * Assist mode: drafts the next reply for the person who has the conversation, from what the bot
 * knows (the instructions of the flow's AI reply nodes) and the recent transcript.
 */
export function createDraftReply(deps: { db: Db; bots: BotsService; llm: LlmClient; projection: ConversationProjection }) {
  return async (conversationId: string): Promise<void> => {
    const conversation = deps.db.select().from(conversations).where(eq(conversations.id, conversationId)).get();
    if (!conversation) return;
    const flow = deps.bots.version(conversation.botId, conversation.flowVersion);
    const knowledge = flow.nodes
      .filter((node) => node.type === 'llm_reply' && typeof node.config['instructions'] === 'string')
      .map((node) => String(node.config['instructions']))
      .join('\n\n');
    const recent = deps.db
      .select({ role: messages.role, text: messages.text })
      .from(messages)
      .where(and(eq(messages.conversationId, conversationId)))
      .orderBy(desc(messages.seq))
      .limit(20)
      .all()
      .reverse();
    const answer = await deps.llm.complete({
      system: `${knowledge || FALLBACK_INSTRUCTIONS}\n\nYou are drafting the next reply for a human support agent, who will read it before sending. Answer as the agent, to the customer.`,
      messages: recent.filter((m) => m.role !== 'system').map((m) => ({ role: m.role === 'user' ? 'user' : 'assistant', content: m.text })),
    });
    if (!answer.text.trim()) return;
    deps.projection.suggested(conversationId, answer.text.trim());
  };
}
