import type { FlowDocument, HttpClient, LlmClient, NodeRegistry, ServiceHours } from '@baton/nodes';
import type { NodeActivity } from '@baton/nodes/activities';
import type { HandoffActivityInput, HandoffContext, HandoffStart, TurnRecord } from './contracts.js';

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

/** The humans' side of handoffs: the built-in inbox or an external desk. */
export interface HandoffGateway {
  /** Asks humans to take the conversation (answers off hours, unavailable… when they cannot). */
  request(input: HandoffActivityInput): Promise<HandoffStart>;
  relay(input: HandoffContext & { messages: { id: string; text: string }[] }): Promise<void>;
  close(input: HandoffContext & { reason: 'TIMEOUT' | 'USER_CLOSED' | 'BOT_RESUMED' }): Promise<void>;
  reroute(input: HandoffContext): Promise<void>;
}

/** The bots' secrets, by name (what `secretRef()` config fields hold). */
export interface SecretSource {
  get(botId: string, name: string): Promise<string | undefined>;
}

/** Everything the engine's activities need from the outside, injected by whoever runs the worker. */
export interface EngineDeps {
  secrets?: SecretSource;
  flows: FlowSource;
  /** Every node the worker knows (built-in and from node packages): published flows are compiled with it. */
  registry: NodeRegistry;
  conversations: ConversationSink;
  bots: BotSettingsSource;
  handoff?: HandoffGateway;
  llm: LlmClient;
  http: HttpClient;
  /** Activity halves of every node the worker runs, built-in and custom. */
  nodeActivities: readonly NodeActivity[];
}
