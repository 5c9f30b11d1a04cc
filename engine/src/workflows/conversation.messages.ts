// The conversation workflow's signals, update and query: what the server may say to a running
// conversation. Kept free of schema libraries (the workflow sandbox loads this file for every
// conversation); the update's validator is a plain check.
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { InboundMessage, InitialUser, TurnReply } from '../interpreter/index.js';
import type { ConversationSnapshot } from './conversation.types.js';

export { MAX_USER_TEXT } from '../interpreter/index.js';
export type { InboundMessage } from '../interpreter/index.js';

/** Longest message id and text the workflow accepts (texts are cut to `MAX_USER_TEXT` after). */
export const MAX_MESSAGE_ID = 200;
export const MAX_MESSAGE_TEXT = 100_000;

export interface AgentMessage {
  id: string;
  text: string;
  agentId?: string;
}

/** Why a user message cannot be accepted, or `undefined` when it can. */
export function inboundMessageProblem(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null) return 'the message must be an object';
  const { id, text, sentAt } = message as Record<string, unknown>;
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_MESSAGE_ID) return `id must be a string of 1 to ${MAX_MESSAGE_ID} characters`;
  if (typeof text !== 'string' || text.length > MAX_MESSAGE_TEXT) return `text must be a string of at most ${MAX_MESSAGE_TEXT} characters`;
  if (sentAt !== undefined && typeof sentAt !== 'string') return 'sentAt must be a string';
  return undefined;
}

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
export const setUserSignal = defineSignal<[InitialUser]>('setUser');
/** The bot was switched off (with the notice it says where it has the conversation) or on again. */
export const botSwitchSignal = defineSignal<[{ on: boolean; notice: string }]>('botSwitch');
/** The user or a human closes the conversation. */
export const closeSignal = defineSignal<[{ by: 'user' | 'agent' | 'system' }]>('close');
/** Where the conversation is, for the test chat and the inbox. */
export const snapshotQuery = defineQuery<ConversationSnapshot>('snapshot');
