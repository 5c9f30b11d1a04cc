export { createActivities } from './create-activities.js';
export { createOpenAiLlm } from './openai-llm.js';
export type { OpenAiLlmOptions } from './openai-llm.js';
export { createSafeHttpClient, isPrivateAddress } from './safe-http.js';
export type { SafeHttpOptions } from './safe-http.js';
export { nodeActivityName, wrapNodeActivity } from './node-activity.js';
export type { BotSettingsSource, ConversationSink, EngineDeps, FlowSource, HandoffGateway, SecretSource } from './deps.js';
export type {
  ConversationActivities,
  HandoffActivityInput,
  HandoffContext,
  HandoffStart,
  NodeActivityEnvelope,
  TurnRecord,
} from './contracts.js';
