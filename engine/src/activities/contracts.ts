// Types shared by the workflow (type-only imports) and the activity implementations.
import type { HandoffRequest, HistoryEntry, Json, JsonObject, RuntimeFlow } from '@baton/nodes/runtime';
import type { ConversationRef, GatewayAnswer, ProjectionRecord } from '../interpreter/index.js';

/** What a node activity receives: its input plus where it runs. */
export interface NodeActivityEnvelope {
  conversation: ConversationRef;
  nodeId: string;
  input: Json;
}

/** The projection of one step of a conversation: messages to deliver and where it stands now. */
export interface TurnRecord extends ProjectionRecord {
  conversation: ConversationRef;
}

export interface HandoffActivityInput {
  conversation: ConversationRef;
  nodeId: string;
  request: HandoffRequest;
  history: HistoryEntry[];
  user: JsonObject;
  /** The same on every retry of one request (filled in by the activity from its Temporal identity). */
  idempotencyKey?: string;
}

/**
 * The humans' answer to a handoff request. `queued`: they were asked and the conversation waits
 * for one of them (`leaveMessage`: nobody is online, the user may leave a message); `live`: a
 * human has it already. `session` is the gateway's handle for later relays and the close.
 */
export type HandoffStart = GatewayAnswer;

/** Where the humans of a handoff are, and the gateway's handle on it. */
export interface HandoffContext {
  conversation: ConversationRef;
  target: JsonObject;
  session: JsonObject;
}

/** The activities the conversation workflow calls by name, besides the nodes' own (`node:<type>@<version>`). */
export interface ConversationActivities {
  /** The published flow, compiled for the interpreter (configs parsed, ports and edges resolved). */
  loadFlow(ref: { botId: string; version: number }): Promise<RuntimeFlow>;
  recordTurn(record: TurnRecord): Promise<void>;
  requestHandoff(input: HandoffActivityInput): Promise<HandoffStart>;
  /** Forwards user messages to the humans (a desk, or the inbox's queue). */
  relayToHumans(input: HandoffContext & { messages: { id: string; text: string }[] }): Promise<void>;
  /** Ends the humans' side of a handoff. */
  closeHandoff(input: HandoffContext & { reason: 'TIMEOUT' | 'USER_CLOSED' | 'BOT_RESUMED' }): Promise<void>;
  /** Routes a queued conversation to the next person (the assignee stayed silent). */
  rerouteHandoff(input: HandoffContext): Promise<void>;
}
