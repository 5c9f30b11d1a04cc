// Types shared by the workflow (type-only imports) and the activity implementations.
import type { FlowDocument, HandoffRequest, HistoryEntry, Json, JsonObject } from '@baton/nodes';
import type { ConversationRef, NodeFailure, OutboundMessage } from '../interpreter/index.js';
import type { ConversationStatus } from '../workflows/conversation.types.js';

/** What a node activity receives: its input plus where it runs. */
export interface NodeActivityEnvelope {
  conversation: ConversationRef;
  nodeId: string;
  input: Json;
}

/** The projection of one step of a conversation: messages to deliver and its new status. */
export interface TurnRecord {
  conversation: ConversationRef;
  messages: OutboundMessage[];
  status: ConversationStatus;
  nodeId?: string;
  vars?: JsonObject;
  failures: NodeFailure[];
}

export interface HandoffActivityInput {
  conversation: ConversationRef;
  nodeId: string;
  request: HandoffRequest;
  history: HistoryEntry[];
  user: JsonObject;
}

/** `queued`: humans were asked and the conversation waits for one to take it. */
export type HandoffStart = { outcome: 'queued' } | { outcome: 'unavailable' | 'off_hours' | 'no_agent' };

/** The activities the conversation workflow calls by name, besides the nodes' own (`node:<type>@<version>`). */
export interface ConversationActivities {
  loadFlow(ref: { botId: string; version: number }): Promise<FlowDocument>;
  recordTurn(record: TurnRecord): Promise<void>;
  requestHandoff(input: HandoffActivityInput): Promise<HandoffStart>;
}
