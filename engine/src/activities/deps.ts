import type { FlowDocument, HttpClient, LlmClient, ServiceHours } from '@baton/nodes';
import type { NodeActivity } from '@baton/nodes/activities';
import type { HandoffActivityInput, HandoffStart, TurnRecord } from './contracts.js';

/** Immutable published flows, by bot and version. */
export interface FlowSource {
  load(botId: string, version: number): Promise<FlowDocument>;
}

/** Where a conversation's projection goes: transcript, status, delivery to the channel. */
export interface ConversationSink {
  /** Must be idempotent by message id: a retried call never duplicates a message. */
  recordTurn(record: TurnRecord): Promise<void>;
}

/** The bot's current settings, which may change while conversations run. */
export interface BotSettingsSource {
  serviceHours(botId: string): Promise<ServiceHours | undefined>;
}

/** Asks humans to take a conversation: the built-in inbox or an external desk. */
export interface HandoffGateway {
  request(input: HandoffActivityInput): Promise<HandoffStart>;
}

/** Everything the engine's activities need from the outside, injected by whoever runs the worker. */
export interface EngineDeps {
  flows: FlowSource;
  conversations: ConversationSink;
  bots: BotSettingsSource;
  handoff?: HandoffGateway;
  llm: LlmClient;
  http: HttpClient;
  /** Activity halves of every node the worker runs, built-in and custom. */
  nodeActivities: readonly NodeActivity[];
}
