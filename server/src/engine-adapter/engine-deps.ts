import type { BotSettingsSource, ConversationSink, FlowSource } from '@baton/engine/worker';
import type { BotsService } from '../features/bots/bots.service.js';
import type { ConversationProjection } from '../features/conversations/conversation-projection.js';

/**
 * The engine's view of the database: published flows, bot settings, and the conversation
 * projection the workflow writes (idempotent by message id, so a retried activity never
 * duplicates a message).
 */
export function createDbEngineDeps(bots: BotsService, projection: ConversationProjection): FlowSource & ConversationSink & BotSettingsSource {
  return {
    async load(botId, version) {
      return bots.version(botId, version);
    },

    async serviceHours(botId) {
      return bots.serviceHours(botId);
    },

    async recordTurn(record) {
      projection.recordTurn(record);
    },
  };
}
