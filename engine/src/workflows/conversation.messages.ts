import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { ConversationSnapshot, TurnReply } from './conversation.types.js';

/** Longer user messages are cut, so nothing a user types can grow the workflow's state unbounded. */
export const MAX_USER_TEXT = 4000;

export const inboundMessageSchema = z.object({
  /** The channel's message id; a message id seen before is ignored. */
  id: z.string().min(1).max(200),
  text: z.string().max(100_000),
  sentAt: z.string().optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

export const agentMessageSchema = z.object({
  id: z.string().min(1).max(200),
  text: z.string().max(100_000),
  agentId: z.string().max(200).optional(),
});
export type AgentMessage = z.infer<typeof agentMessageSchema>;

/** A user message for a channel that does not wait for the answer (web chat with SSE, WhatsApp…). */
export const userMessageSignal = defineSignal<[InboundMessage]>('userMessage');
/** A user message whose sender waits for the bot's answer to it in the same call. */
export const userMessageUpdate = defineUpdate<TurnReply, [InboundMessage]>('userMessageAndWait');
/** A human takes the conversation over (from the inbox, or by accepting a queued handoff). */
export const takeoverSignal = defineSignal<[{ agentId?: string }]>('takeover');
/** A human wrote to the user. */
export const agentMessageSignal = defineSignal<[AgentMessage]>('agentMessage');
/** The humans are done: the bot takes over again. */
export const handBackSignal = defineSignal<[]>('handBack');
/** The user asks for a person (the widget's "talk to a human" button). */
export const requestHumanSignal = defineSignal<[]>('requestHuman');
/** The user ends the session with the humans (the bot takes over again). */
export const leaveHumansSignal = defineSignal<[]>('leaveHumans');
/** What we know about the user changed: the widget's `setEmail` / `setUser`. */
export const setUserSignal = defineSignal<[{ email?: string; name?: string; externalId?: string }]>('setUser');
/** The user or a human closes the conversation. */
export const closeSignal = defineSignal<[{ by: 'user' | 'agent' | 'system' }]>('close');
/** Where the conversation is, for the test chat and the inbox. */
export const snapshotQuery = defineQuery<ConversationSnapshot>('snapshot');
