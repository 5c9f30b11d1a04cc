import type { JsonObject } from '@baton/nodes/runtime';
import type { Conversation, ConversationRef, EndReason, InitialUser } from '../interpreter/index.js';

export type { ConversationSnapshot, ConversationStatus, Owner, ReplyMessage, TurnReply } from '../interpreter/index.js';

export interface ConversationOptions {
  /** Overrides the flow's burst window (tests use 0 for speed). */
  burstWindowMs?: number;
  /** Continue as new once the run's history has this many events, even if the server does not suggest it yet. */
  maxHistoryEvents?: number;
}

export interface ConversationInput {
  conversation: ConversationRef;
  user?: InitialUser;
  /** Variables known before the first message (for example from the page the widget is on). */
  vars?: JsonObject;
  options?: ConversationOptions;
  /** The state an earlier run of this conversation continued as new with. */
  carried?: Conversation;
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
