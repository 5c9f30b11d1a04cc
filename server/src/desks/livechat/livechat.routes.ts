// LiveChat's webhooks for a bot: `POST /hooks/livechat/:botId` (docs/livechat-desk.md). LiveChat signs
// nothing: the `secret_key` registered with the webhook comes back inside the JSON body, so the
// body is read raw, only the secret and organization are looked at until they check out, and the
// envelope is validated after. Agent messages and chat closings become DeskEvents.
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError, invalidFields, invalidRequest } from '../../http/errors.js';
import { Router } from '../../http/route.js';
import type { DeskEvent, DeskRouteDeps } from '../sdk/index.js';
import type { LivechatConfig } from './livechat.config.js';
import { BATON_CUSTOM_ID_PREFIX, chatDeactivatedPayloadSchema, incomingEventPayloadSchema, livechatWebhookSchema } from './livechat.protocol.js';

export type LivechatRoutesDeps = Pick<DeskRouteDeps<LivechatConfig>, 'config' | 'inbound' | 'log'>;

export const LIVECHAT_WEBHOOK_PATH = '/hooks/livechat/:botId';

/** Compares through digests, so neither the content nor the length of the secret leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given, 'utf8').digest();
  const b = createHash('sha256').update(expected, 'utf8').digest();
  return timingSafeEqual(a, b);
}

const rejected = (message: string) => new AppError(401, 'invalid_signature', message);

const answerSchema = z.object({ result: z.enum(['delivered', 'duplicate', 'unknown_conversation', 'ignored']) });

export function livechatRoutes(deps: LivechatRoutesDeps): Router {
  return new Router().add(
    {
      method: 'post',
      path: LIVECHAT_WEBHOOK_PATH,
      summary: 'LiveChat webhook (incoming_event, chat_deactivated), checked by its secret_key',
      tags: ['desks'],
      access: { public: true },
      params: z.object({ botId: z.string().min(1).max(100) }),
      body: livechatWebhookSchema,
      rawBody: true,
      responses: {
        200: { description: 'Accepted (also for duplicates, ignored events and chats we do not know)', schema: answerSchema },
        400: { description: 'The envelope or payload does not have LiveChat’s shape' },
        401: { description: 'Wrong or missing secret_key, or another organization' },
        404: { description: 'Unknown bot, or LiveChat is not configured for it' },
      },
    },
    async (c, { params }) => {
      const { botId } = params;
      const config = deps.config(botId);
      if (!config) throw new AppError(404, 'not_found', 'LiveChat is not configured for this bot');

      const raw = await c.req.text();
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        deps.log.warn('livechat webhook refused: body is not JSON', { botId });
        throw rejected('The body is not JSON, so its secret_key cannot be checked');
      }
      const envelope = typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
      const secret = envelope['secret_key'];
      if (typeof secret !== 'string' || !sameSecret(secret, config.secretKey)) {
        deps.log.warn('livechat webhook refused: wrong or missing secret_key', { botId });
        throw rejected('The secret_key does not match the one registered for this bot');
      }
      if (envelope['organization_id'] !== config.organizationId) {
        deps.log.warn('livechat webhook refused: another organization', { botId });
        throw rejected('The organization_id is not the one configured for this bot');
      }

      const parsed = livechatWebhookSchema.safeParse(json);
      if (!parsed.success) throw invalidRequest(parsed.error, ['body']);
      const { action, payload } = parsed.data;

      let chatId: string;
      let event: DeskEvent;
      if (action === 'incoming_event') {
        const incoming = incomingEventPayloadSchema.safeParse(payload);
        if (!incoming.success) throw invalidRequest(incoming.error, ['body', 'payload']);
        const { chat_id, event: lcEvent } = incoming.data;
        // Only what an agent wrote to the customer: not system messages, not internal notes
        // (visibility "agents"), not our own messages echoed back (they carry our custom_id).
        const ours = lcEvent.custom_id?.startsWith(BATON_CUSTOM_ID_PREFIX) ?? false;
        if (lcEvent.type !== 'message' || lcEvent.visibility === 'agents' || ours) {
          deps.log.info('livechat webhook ignored', { botId, action, type: lcEvent.type, chatId: chat_id });
          return c.json({ result: 'ignored' as const }, 200);
        }
        if (typeof lcEvent.text !== 'string') throw invalidFields([{ path: ['body', 'payload', 'event', 'text'], message: 'is required' }]);
        chatId = chat_id;
        event = { type: 'agent_message', eventId: lcEvent.id, text: lcEvent.text, ...(lcEvent.author_id ? { agentId: lcEvent.author_id } : {}) };
      } else if (action === 'chat_deactivated') {
        const closed = chatDeactivatedPayloadSchema.safeParse(payload);
        if (!closed.success) throw invalidRequest(closed.error, ['body', 'payload']);
        chatId = closed.data.chat_id;
        // One thread closes once: re-deliveries of this webhook map to the same event id.
        event = { type: 'closed', eventId: `chat_deactivated:${closed.data.chat_id}:${closed.data.thread_id}` };
      } else {
        deps.log.info('livechat webhook ignored', { botId, action });
        return c.json({ result: 'ignored' as const }, 200);
      }

      const result = await deps.inbound.deliver(botId, chatId, event);
      if (result === 'unknown_conversation') deps.log.info('livechat webhook for a chat we do not know', { botId, action, chatId });
      return c.json({ result }, 200);
    },
  );
}
