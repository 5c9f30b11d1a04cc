import type { HandoffRequest, HistoryEntry, Json, JsonObject, UserTurn } from '@baton/nodes/runtime';
import type { HandoffCommand, HandoffProgress, HandoffStart } from './handoff.js';

/** Bounds that keep the workflow state (carried through continue-as-new) small. */
export const HISTORY_LIMIT = 40;
export const HISTORY_TEXT_LIMIT = 2000;

export interface ConversationRef {
  id: string;
  botId: string;
  flowVersion: number;
}

/** A node activity the workflow shell must run before the interpreter can go on. */
export interface ActivityCall {
  /** The worker's activity name: `node:<type>@<version>`. */
  activity: string;
  input: Json;
  timeoutSeconds: number;
  heartbeatSeconds?: number;
  maxAttempts: number;
  /**
   * Run as a local activity, inside the workflow task that asked for it (calls whose attempts are
   * short: see `LOCAL_CALL_MAX_SECONDS`), rather than as a task of its own.
   */
  local?: true;
}

/** What the conversation is blocked on between turns. */
export type Waiting =
  | { for: 'reply'; timeoutSeconds?: number; /** epoch ms */ deadline?: number; timeoutPort?: string }
  | { for: 'activity'; call: ActivityCall }
  | {
      for: 'handoff';
      request: HandoffRequest;
      /** Where the handoff state machine stands. */
      progress: HandoffProgress;
      /** A handoff the user asked for from a wait: that wait resumes when the humans are done. */
      resume?: Extract<Waiting, { for: 'reply' }>;
    };

export interface Cursor {
  nodeId: string;
  /** The node's scratch state for this visit. */
  local: JsonObject;
  waiting: Waiting;
  /** Set when the flow failed and fell back to humans: after them, the conversation ends. */
  fallback?: true;
}

/** Why a conversation is over. */
export type EndReason = 'completed' | 'no_route' | 'wait_timeout' | 'failed' | 'closed' | 'bot_off';

/**
 * Where the flow of one conversation stands, as plain JSON: the part of the conversation's state
 * the flow interpreter (`advance`) owns. It stays bounded (a history tail, not the transcript):
 * the workflow carries it through continue-as-new.
 */
export interface FlowState {
  conversation: ConversationRef;
  vars: JsonObject;
  history: HistoryEntry[];
  /** `null` once the conversation has ended. */
  cursor: Cursor | null;
  ended?: EndReason;
  /** Counter behind bot message ids, so a retried delivery reuses the same id. */
  messageSeq: number;
  /**
   * The bot was switched off while people had the conversation: when they are done, the bot says
   * this and the conversation ends, instead of the flow going on.
   */
  botOff?: string;
}

/** Something that moves a conversation on. */
export type EngineEvent =
  | { type: 'start' }
  | { type: 'user_turn'; turn: UserTurn }
  | { type: 'timeout' }
  | { type: 'activity_result'; result: unknown }
  | { type: 'activity_failed'; code: string; message: string }
  /** The user wrote while humans own the conversation: remembered, not answered. */
  | { type: 'user_note'; turn: UserTurn }
  /** A human wrote to the user. */
  | { type: 'agent_message'; text: string }
  /** Humans handed the conversation back outside a handoff node: waits start afresh. */
  | { type: 'resume' }
  /** The user or a human closed the conversation. */
  | { type: 'close' }
  /** The user asked for a person (the widget's button) while the bot waits for them. */
  | { type: 'request_human' }
  /** The humans' side answered the handoff request. */
  | { type: 'handoff_requested'; result: HandoffStart }
  /** A human took the conversation (the inbox's "take over"). */
  | { type: 'human_joined'; agentId?: string }
  /** The humans are done (the desk closed, the inbox completed): the bot continues. */
  | { type: 'human_left' }
  /** The user ended the session with the humans. */
  | { type: 'user_left' }
  /** What we know about the user changed (the widget's setEmail/setUser). */
  | { type: 'user_info'; user: InitialUser };

/** A bot message produced by a turn, with its id already fixed. */
export interface OutboundMessage {
  id: string;
  role: 'bot';
  text: string;
  nodeId: string;
  quickReplies?: string[];
}

export interface NodeFailure {
  nodeId: string;
  code: string;
  message: string;
}

export interface AdvanceResult {
  state: FlowState;
  messages: OutboundMessage[];
  /** What the humans' side must be told (relay, close, reroute), in order. */
  commands: HandoffCommand[];
  /** Nodes entered during this advance, in order (for the test chat's highlighting). */
  visited: string[];
  failures: NodeFailure[];
}

export interface InitialUser {
  email?: string;
  name?: string;
  externalId?: string;
}

export function initialFlowState(conversation: ConversationRef, user: InitialUser = {}, vars: JsonObject = {}): FlowState {
  const userVars: JsonObject = {};
  if (user.email) userVars['email'] = user.email;
  if (user.name) userVars['name'] = user.name;
  if (user.externalId) userVars['externalId'] = user.externalId;
  return {
    conversation,
    vars: { ...vars, lastMessage: '', user: userVars, conversation: { id: conversation.id, botId: conversation.botId } },
    history: [],
    cursor: null,
    messageSeq: 0,
  };
}

export function appendHistory(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  const text = entry.text.length > HISTORY_TEXT_LIMIT ? `${entry.text.slice(0, HISTORY_TEXT_LIMIT)}…` : entry.text;
  return [...history, { role: entry.role, text }].slice(-HISTORY_LIMIT);
}

/** The id of a conversation's `seq`-th bot message: the same on every retry, so the projection writes it once. */
export function botMessageId(conversationId: string, seq: number): string {
  return `${conversationId}-b${seq}`;
}
