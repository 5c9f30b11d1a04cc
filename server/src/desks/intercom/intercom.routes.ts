import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { AppError, invalidRequest } from '../../http/errors.js';
import { Router, parseJsonBytes } from '../../http/route.js';
import type { DeskEvent, DeskRouteDeps } from '../sdk/index.js';
import { htmlToText } from './html-to-text.js';
import type { IntercomConfig } from './intercom.config.js';

export type IntercomRoutesDeps = Pick<DeskRouteDeps<IntercomConfig>, 'config' | 'inbound' | 'log'>;

/** Notifications carry a whole conversation object; 1 MB leaves room for long first messages. */
export const INTERCOM_WEBHOOK_BODY_LIMIT = 1024 * 1024;

const botParams = z.object({ botId: z.string().min(1).max(100) });

const id = z
  .union([z.string().min(1).max(200), z.int()], { error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string or an integer') })
  .transform(String);

const partSchema = z.looseObject({
  id,
  part_type: z.string(),
  body: z.string().nullish(),
  author: z.looseObject({ type: z.string(), id: id.nullish(), name: z.string().nullish() }),
  attachments: z.array(z.looseObject({ name: z.string().nullish(), url: z.string() })).nullish(),
});
type Part = z.infer<typeof partSchema>;

const conversationItemSchema = z.looseObject({
  type: z.literal('conversation'),
  id,
  conversation_parts: z.looseObject({ conversation_parts: z.array(partSchema) }).nullish(),
});

/** Intercom's notification envelope (`data.item` is checked per topic). */
export const intercomNotificationSchema = z.looseObject({
  type: z.literal('notification_event'),
  id: z.string().min(1).max(200),
  topic: z.string().min(1).max(200),
  app_id: z.string().nullish(),
  created_at: z.number().nullish(),
  delivery_attempts: z.number().nullish(),
  data: z.looseObject({ item: z.unknown() }),
});
export type IntercomNotification = z.infer<typeof intercomNotificationSchema>;

/** `X-Hub-Signature: sha1=<hex>` = HMAC-SHA1 of the exact body bytes, keyed with the app's client secret. */
export function verifyIntercomSignature(clientSecret: string, rawBody: Uint8Array, header: string | undefined): boolean {
  const match = /^sha1=([0-9a-fA-F]{40})$/.exec(header?.trim() ?? '');
  if (!match) return false;
  const expected = createHmac('sha1', clientSecret).update(rawBody).digest();
  const given = Buffer.from(match[1]!, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A teammate's message as the user will read it: the HTML as text, then one line per attachment. */
function partText(part: Part): string {
  const text = htmlToText(part.body ?? '');
  const files = (part.attachments ?? []).map((a) => (a.name ? `${a.name}: ${a.url}` : a.url));
  return [text, ...files].filter((line) => line !== '').join('\n');
}

/** Only people write to the user: Fin and other bots, notes and the contact's own messages stay in Intercom. */
const fromTeammate = (part: Part): boolean => part.author.type === 'admin';

function agentMessage(part: Part, eventId: string): DeskEvent | undefined {
  const text = partText(part);
  if (text === '') return undefined;
  return {
    type: 'agent_message',
    eventId,
    text,
    ...(part.author.name ? { agentName: part.author.name } : {}),
    ...(part.author.id ? { agentId: part.author.id } : {}),
  };
}

/**
 * What a notification means for a handoff. Event ids derive from the notification id, which stays
 * the same on every delivery attempt: one relayed part keeps the notification id itself; when a
 * notification carries several, each gets `<notification id>:<part id>`.
 */
export function intercomEvents(notification: IntercomNotification): { deskConversationId: string; events: DeskEvent[] } | undefined {
  const handled = ['conversation.admin.replied', 'conversation.admin.closed', 'conversation.admin.snoozed', 'conversation.read'];
  if (!handled.includes(notification.topic)) return undefined;
  const parsed = conversationItemSchema.safeParse(notification.data.item);
  if (!parsed.success) throw invalidRequest(parsed.error, ['body', 'data', 'item']);
  const item = parsed.data;
  const parts = item.conversation_parts?.conversation_parts ?? [];
  const events: DeskEvent[] = [];
  switch (notification.topic) {
    case 'conversation.admin.replied': {
      const replies = parts.filter((p) => fromTeammate(p) && p.part_type === 'comment');
      for (const part of replies) {
        const event = agentMessage(part, replies.length === 1 ? notification.id : `${notification.id}:${part.id}`);
        if (event) events.push(event);
      }
      break;
    }
    case 'conversation.admin.closed': {
      // Closing can carry a last message to the user.
      for (const part of parts.filter((p) => fromTeammate(p) && p.part_type === 'close')) {
        const event = agentMessage(part, `${notification.id}:${part.id}`);
        if (event) events.push(event);
      }
      events.push({ type: 'closed', eventId: notification.id });
      break;
    }
    case 'conversation.admin.snoozed':
      events.push({ type: 'activity', eventId: notification.id, what: 'snoozed' });
      break;
    case 'conversation.read':
      events.push({ type: 'activity', eventId: notification.id, what: 'read' });
      break;
  }
  return { deskConversationId: item.id, events };
}

/**
 * `POST /hooks/intercom/:botId` receives the notifications of the bot's Intercom app and
 * `HEAD` (served by the GET route, as Hono answers HEAD with GET handlers) is Intercom's check
 * when the URL is saved. Intercom signs with the client secret and puts no timestamp in the
 * signature; it re-delivers for hours, so an old `created_at` is not refused: repeated
 * notifications keep their id and are acknowledged as duplicates by `DeskInbound`.
 */
export function intercomRoutes(deps: IntercomRoutesDeps): Router {
  const configured = (botId: string): IntercomConfig => {
    const config = deps.config(botId);
    if (!config) throw new AppError(404, 'not_found', 'This bot has no Intercom desk');
    return config;
  };

  return new Router()
    .add(
      {
        method: 'get',
        path: '/hooks/intercom/:botId',
        summary: "Intercom's check of the webhook URL (it sends HEAD; GET answers the same)",
        tags: ['desks'],
        access: { public: true },
        params: botParams,
        responses: { 200: { description: 'The bot has an Intercom desk' }, 404: { description: 'Unknown bot, or no Intercom desk' } },
      },
      (c, { params }) => {
        configured(params.botId);
        return c.body(null, 200);
      },
    )
    .add(
      {
        method: 'post',
        path: '/hooks/intercom/:botId',
        summary: 'Notifications from Intercom (teammate replied, closed, snoozed, read), signed with X-Hub-Signature',
        tags: ['desks'],
        access: { public: true },
        params: botParams,
        body: intercomNotificationSchema,
        rawBody: true,
        bodyLimit: INTERCOM_WEBHOOK_BODY_LIMIT,
        responses: {
          200: { description: 'Received (also for duplicates, topics we ignore and conversations we do not know)', schema: z.object({ ok: z.literal(true) }) },
          400: { description: 'Signed, but not a notification' },
          401: { description: 'Missing or wrong X-Hub-Signature' },
          404: { description: 'Unknown bot, or no Intercom desk' },
        },
      },
      async (c, { params }) => {
        const { botId } = params;
        const config = configured(botId);
        const raw = new Uint8Array(await c.req.arrayBuffer());
        if (!verifyIntercomSignature(config.clientSecret, raw, c.req.header('x-hub-signature'))) {
          deps.log.warn('intercom webhook refused: missing or wrong signature', { botId });
          throw new AppError(401, 'invalid_signature', 'X-Hub-Signature is missing or does not match the body');
        }
        const envelope = intercomNotificationSchema.safeParse(parseJsonBytes(raw));
        if (!envelope.success) throw invalidRequest(envelope.error, ['body']);
        const notification = envelope.data;
        const mapped = intercomEvents(notification);
        if (!mapped) return c.json({ ok: true as const }, 200);
        for (const event of mapped.events) {
          const outcome = await deps.inbound.deliver(botId, mapped.deskConversationId, event);
          if (outcome === 'unknown_conversation') {
            deps.log.info('intercom webhook for a conversation without a handoff', { botId, topic: notification.topic });
            break;
          }
        }
        return c.json({ ok: true as const }, 200);
      },
    );
}
