import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError, invalidRequest } from '../../http/errors.js';
import { Router, parseJsonBytes, type AppContext } from '../../http/route.js';
import type { DeskEvent, DeskRouteDeps } from '../sdk/index.js';
import type { WebhookDeskConfig } from './webhook.config.js';
import { MAX_SKEW_SECONDS, REPLAY_TTL_MS, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyWebhook, type VerifyFailure } from './webhook.signature.js';

export interface WebhookRoutesDeps extends DeskRouteDeps<WebhookDeskConfig> {
  /** Milliseconds since the epoch. */
  now?: () => number;
}

export const MAX_AGENT_TEXT = 10_000;

const id = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const timestamp = z.number().int('must be epoch milliseconds (an integer)').nonnegative('must be epoch milliseconds');

/** Unknown fields are ignored: a desk built for GPTBots may send more. */
export const agentMessageBody = z.looseObject({
  conversation_id: id,
  timestamp,
  body: z.string().trim().min(1, 'must not be empty').max(MAX_AGENT_TEXT, `must be at most ${MAX_AGENT_TEXT} characters`),
  message_id: id.optional(),
  agent: z.looseObject({ id: id.optional(), name: z.string().trim().max(200, 'must be at most 200 characters').optional() }).optional(),
});

export const agentCloseBody = z.looseObject({ conversation_id: id, timestamp });

const params = z.object({ botId: z.string().min(1).max(100) });
const ack = z.object({ code: z.literal(0), message: z.literal('ok'), result: z.enum(['delivered', 'duplicate', 'unknown_conversation']) });
const errorResponses = {
  400: { description: 'Malformed JSON, or a field is wrong (named in the message)' },
  401: { description: '`invalid_signature`: missing, forged, stale (more than 5 minutes off) or replayed' },
  404: { description: 'Unknown bot, or no webhook desk configured for it' },
};

const FAILURES: Record<VerifyFailure | 'replayed', string> = {
  missing_headers: `Sign the request: ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required`,
  malformed_timestamp: `${TIMESTAMP_HEADER} must be Unix seconds`,
  stale_timestamp: `${TIMESTAMP_HEADER} is more than ${MAX_SKEW_SECONDS} seconds away from our clock`,
  malformed_signature: `${SIGNATURE_HEADER} must be "sha256=" followed by 64 hex digits`,
  signature_mismatch: 'The signature does not match the body',
  replayed: 'This signature was already received: sign every delivery, retries included, with a fresh timestamp',
};

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * The inbound half of the webhook desk contract (docs/webhook-desk.md): a human's messages and
 * closes, signed with the bot's desk secret. Nothing is parsed or delivered before the signature,
 * its freshness and its novelty are established.
 */
export function webhookRoutes(deps: WebhookRoutesDeps): Router {
  const now = deps.now ?? Date.now;

  /** The verified body, parsed as JSON; throws the 404/401/400 answers. */
  async function verified(c: AppContext, botId: string): Promise<{ raw: Uint8Array; json: unknown }> {
    const config = deps.config(botId);
    if (!config) throw new AppError(404, 'not_found', `Bot ${botId} has no webhook desk`);
    // The signature covers the exact bytes: decoding and re-encoding could change them.
    const raw = new Uint8Array(await c.req.arrayBuffer());
    const result = verifyWebhook({
      secret: config.secret,
      timestampHeader: c.req.header(TIMESTAMP_HEADER),
      signatureHeader: c.req.header(SIGNATURE_HEADER),
      rawBody: raw,
      nowMs: now(),
    });
    const reason = !result.ok ? result.reason : (await deps.seenSignatures.remember(`webhook:${botId}:${result.signature}`, REPLAY_TTL_MS)) ? undefined : 'replayed';
    if (reason) {
      deps.log.warn('webhook desk request refused', { botId, reason });
      throw new AppError(401, 'invalid_signature', FAILURES[reason]);
    }
    return { raw, json: parseJsonBytes(raw) };
  }

  async function deliver(c: AppContext, botId: string, deskConversationId: string, event: DeskEvent) {
    const result = await deps.inbound.deliver(botId, deskConversationId, event);
    deps.log.info('webhook desk event', { botId, type: event.type, result });
    return c.json({ code: 0 as const, message: 'ok' as const, result }, 200);
  }

  return new Router()
    .add(
      {
        method: 'post',
        path: '/hooks/webhook/:botId/message',
        summary: "A human's message from a webhook desk, signed with X-Baton-Timestamp and X-Baton-Signature",
        tags: ['desks'],
        access: { public: true },
        params,
        body: agentMessageBody,
        rawBody: true,
        responses: { 200: { description: 'Accepted (also for duplicates and unknown conversations)', schema: ack }, ...errorResponses },
      },
      async (c, { params: { botId } }) => {
        const { raw, json } = await verified(c, botId);
        const parsed = agentMessageBody.safeParse(json);
        if (!parsed.success) throw invalidRequest(parsed.error, ['body']);
        const { conversation_id, body, message_id, agent } = parsed.data;
        return deliver(c, botId, conversation_id, {
          type: 'agent_message',
          // Without message_id, a re-delivery of the same bytes is still recognised.
          eventId: message_id ?? sha256(raw),
          text: body,
          ...(agent?.name ? { agentName: agent.name } : {}),
          ...(agent?.id ? { agentId: agent.id } : {}),
        });
      },
    )
    .add(
      {
        method: 'post',
        path: '/hooks/webhook/:botId/close',
        summary: 'A webhook desk ends the human part of a conversation, signed like /message',
        tags: ['desks'],
        access: { public: true },
        params,
        body: agentCloseBody,
        rawBody: true,
        responses: { 200: { description: 'Accepted (also for duplicates and unknown conversations)', schema: ack }, ...errorResponses },
      },
      async (c, { params: { botId } }) => {
        const { raw, json } = await verified(c, botId);
        const parsed = agentCloseBody.safeParse(json);
        if (!parsed.success) throw invalidRequest(parsed.error, ['body']);
        return deliver(c, botId, parsed.data.conversation_id, { type: 'closed', eventId: sha256(raw) });
      },
    );
}
