import type { JsonObject } from '@baton/nodes';
import type { ConversationRef, ConversationState, EndReason, InitialUser } from '../interpreter/index.js';
import type { InboundMessage } from './conversation.messages.js';

/** The status the product shows: who has the conversation. */
export type ConversationStatus = 'bot' | 'queued' | 'agent' | 'closed';

/** Who owns the conversation right now (the shell's part of the handoff state machine). */
export type Ownership =
  | { kind: 'bot' }
  | { kind: 'queued'; /** epoch ms */ deadline: number }
  | { kind: 'human'; agentId?: string; viaHandoff: boolean };

export interface ConversationOptions {
  /** Overrides the flow's burst window (tests use 0 for speed). */
  burstWindowMs?: number;
  /** Continue as new once the run's history has this many events, even if the server does not suggest it yet. */
  maxHistoryEvents?: number;
}

/** What a run carries into the next one through continue-as-new. */
export interface CarriedState {
  state: ConversationState;
  inbox: InboundMessage[];
  seenIds: string[];
  ownership: Ownership;
  pendingOutcome?: 'resolved' | 'no_agent';
  runs: number;
}

export interface ConversationInput {
  conversation: ConversationRef;
  user?: InitialUser;
  /** Variables known before the first message (for example from the page the widget is on). */
  vars?: JsonObject;
  options?: ConversationOptions;
  carried?: CarriedState;
  /**
   * A closed conversation reopened by a person: it starts with them (no greeting), and the flow
   * starts from the beginning when they hand it back.
   */
  reopenedBy?: {
    agentId?: string;
    /** How many bot messages the earlier runs said: the new run numbers its own after them. */
    messageSeq?: number;
  };
}

export interface ConversationOutcome {
  ended: EndReason;
  runs: number;
}

export interface ReplyMessage {
  id: string;
  text: string;
  quickReplies?: string[];
}

/** The answer to a user message sent with `userMessageAndWait`. */
export interface TurnReply {
  /**
   * `answered`: the bot answered this turn. `relayed`: humans own the conversation, they got it.
   * `duplicate`: this message id was seen before. `closed`: the conversation is over.
   */
  status: 'answered' | 'relayed' | 'duplicate' | 'closed';
  replies: ReplyMessage[];
  conversationStatus: ConversationStatus;
}

export interface ConversationSnapshot {
  status: ConversationStatus;
  nodeId?: string;
  waitingFor?: 'reply' | 'activity' | 'handoff';
  /** Where a handoff stands: email, requesting, queued, asking, leave_message, live. */
  handoff?: string;
  vars: JsonObject;
  ownership: Ownership;
  ended?: EndReason;
  flowVersion: number;
}
