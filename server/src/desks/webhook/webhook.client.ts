import { randomUUID } from 'node:crypto';
import {
  DeskError,
  createDeskHttp,
  type DeskClient,
  type DeskCloseReason,
  type DeskHttpOptions,
  type DeskSession,
  type EstablishRequest,
  type HandoffLine,
} from '../sdk/index.js';
import type { WebhookDeskConfig } from './webhook.config.js';
import { signedHeaders } from './webhook.signature.js';

/**
 * The outbound half of the webhook desk contract (docs/webhook-desk.md): signed JSON POSTs to the
 * desk's base URL, field-compatible with GPTBots' "human service – webhook" contract.
 */
export const WEBHOOK_DESK_PATHS = {
  establish: '/conversation/establish',
  chat: '/chat',
  close: '/conversation/close',
  ping: '/ping',
} as const;

/** GPTBots' wire shape of one line of history. */
export interface WebhookHistoryItem {
  message_type: 'QUESTION' | 'ANSWER';
  text: string;
}

export interface EstablishBody {
  conversation_id: string;
  timestamp: number;
  email: string;
  bot_id: string;
  body: WebhookHistoryItem[];
  user_info: { user_id: string; anonymous_id: string; email: string; phone: null; channel: 'web'; name: string };
}

export interface ChatBody {
  conversation_id: string;
  timestamp: number;
  message_id: string;
  body: string;
}

export interface CloseBody {
  conversation_id: string;
  timestamp: number;
  type: DeskCloseReason;
}

/** `now` is also the clock of the signatures and of the `timestamp` fields. */
export type WebhookDeskClientOptions = DeskHttpOptions;

export const toHistoryItem = (line: HandoffLine): WebhookHistoryItem => ({
  message_type: line.role === 'user' ? 'QUESTION' : 'ANSWER',
  text: line.text,
});

function endpoint(baseUrl: string, path: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new DeskError('invalid_config', 'The webhook desk base URL is not a valid URL', false);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new DeskError('invalid_config', 'The webhook desk base URL must be http(s)', false);
  // fetch refuses URLs with credentials, and they would end up in logs: they belong in username/password.
  if (url.username || url.password) throw new DeskError('invalid_config', 'Put the desk credentials in username and password, not in the base URL', false);
  url.pathname = url.pathname.replace(/\/+$/, '') + path;
  return url;
}

function basicAuth(config: WebhookDeskConfig): string | undefined {
  if (!config.username && !config.password) return undefined;
  return `Basic ${Buffer.from(`${config.username ?? ''}:${config.password ?? ''}`, 'utf8').toString('base64')}`;
}

/** The desk's own explanation (`{ message }`), short and without our secrets, for the error message. */
function deskMessage(text: string, config: WebhookDeskConfig): string | undefined {
  let message: unknown;
  try {
    message = (JSON.parse(text) as { message?: unknown } | null)?.message;
  } catch {
    return undefined;
  }
  if (typeof message !== 'string' || message.trim() === '') return undefined;
  let clean = message.trim().slice(0, 200);
  const auth = basicAuth(config)?.slice('Basic '.length);
  for (const secret of [config.secret, config.password, auth]) if (secret) clean = clean.split(secret).join('***');
  return clean;
}

export function createWebhookDeskClient(options: WebhookDeskClientOptions = {}): DeskClient<WebhookDeskConfig> {
  const http = createDeskHttp('the webhook desk', options);
  const now = http.now;
  let lastTimestamp = 0;
  // Receivers refuse a signature they have seen (replay). A retry of the same call must therefore
  // differ in its bytes: strictly increasing millisecond timestamps make sure it does.
  const nextTimestamp = (): number => {
    lastTimestamp = Math.max(now(), lastTimestamp + 1);
    return lastTimestamp;
  };

  async function post(config: WebhookDeskConfig, path: string, body: { timestamp: number }, eventId: string): Promise<void> {
    const url = endpoint(config.baseUrl, path);
    const what = `POST ${path}`;
    const raw = JSON.stringify(body);
    const authorization = basicAuth(config);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'Baton-Webhook-Desk/1',
      ...signedHeaders(config.secret, raw, body.timestamp, eventId),
      ...(authorization ? { authorization } : {}),
    };
    // A redirect would re-send the call elsewhere: the base URL must name the receiver itself.
    const answer = await http.send(what, url, { method: 'POST', headers, body: raw, redirect: 'manual' });
    if (answer.status >= 200 && answer.status < 300) return;
    throw http.failure(answer, what, { detail: deskMessage(answer.text, config) });
  }

  return {
    async testConnection(config) {
      try {
        await post(config, WEBHOOK_DESK_PATHS.ping, { timestamp: nextTimestamp() }, `ping:${randomUUID()}`);
        return { ok: true };
      } catch (error) {
        if (!(error instanceof DeskError)) throw error;
        if (error.status === 401 || error.status === 403) {
          return { ok: false, message: `The desk refused our signature or username/password (HTTP ${error.status}); check the secret and credentials` };
        }
        if (error.status === 404 || error.status === 405 || error.status === 501) {
          return {
            ok: false,
            message: `The desk answered ${error.status} to POST ${WEBHOOK_DESK_PATHS.ping}: it must implement the ping endpoint (docs/webhook-desk.md) so that the secret can be checked`,
          };
        }
        return { ok: false, message: error.message };
      }
    },

    async establish(config, request: EstablishRequest): Promise<DeskSession> {
      const email = request.email ?? '';
      const body: EstablishBody = {
        conversation_id: request.conversationId,
        timestamp: nextTimestamp(),
        email,
        bot_id: request.botId,
        body: request.history.map(toHistoryItem),
        user_info: {
          user_id: request.user.externalId ?? '',
          anonymous_id: request.conversationId,
          email,
          phone: null,
          channel: 'web',
          name: request.user.name ?? '',
        },
      };
      await post(config, WEBHOOK_DESK_PATHS.establish, body, `establish:${request.idempotencyKey}`);
      return { deskConversationId: request.conversationId, data: { handoffKey: request.idempotencyKey } };
    },

    async relay(config, session, message) {
      const body: ChatBody = {
        conversation_id: session.deskConversationId,
        timestamp: nextTimestamp(),
        message_id: message.messageId,
        body: message.text,
      };
      await post(config, WEBHOOK_DESK_PATHS.chat, body, `chat:${session.deskConversationId}:${message.messageId}`);
    },

    async close(config, session, reason) {
      const body: CloseBody = { conversation_id: session.deskConversationId, timestamp: nextTimestamp(), type: reason };
      const handoffKey = typeof session.data['handoffKey'] === 'string' ? session.data['handoffKey'] : session.deskConversationId;
      try {
        await post(config, WEBHOOK_DESK_PATHS.close, body, `close:${handoffKey}`);
      } catch (error) {
        // The desk no longer knows the conversation, or it is closed already: it is closed, as asked.
        if (error instanceof DeskError && (error.status === 404 || error.status === 409)) return;
        throw error;
      }
    },
  };
}

export const webhookDeskClient = createWebhookDeskClient();
