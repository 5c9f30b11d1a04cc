import type { BotSettings } from '../features/bots/bot-settings.js';

/** The external help desks a conversation can be handed to. */
export type DeskKind = 'intercom' | 'livechat' | 'webhook';

/** Settings of each desk, secrets in clear (they never leave the server). */
export type DeskConfigs = NonNullable<BotSettings['desks']>;
export type IntercomConfig = NonNullable<DeskConfigs['intercom']>;
export type LivechatConfig = NonNullable<DeskConfigs['livechat']>;
export type WebhookDeskConfig = NonNullable<DeskConfigs['webhook']>;

/** One line of the conversation as the human receives it. */
export interface HandoffLine {
  role: 'user' | 'bot' | 'agent';
  text: string;
}

/** What the desk receives when a conversation is handed to it. */
export interface EstablishRequest {
  /** Our conversation id. */
  conversationId: string;
  botId: string;
  /** The user's email, when known. */
  email?: string;
  user: { name?: string; externalId?: string };
  /** The last rounds of the chat, oldest first, ending with the user's latest question. */
  history: HandoffLine[];
  /** Stable per handoff: the same value on every retry of this establish. */
  idempotencyKey: string;
}

/** What we keep about a desk's side of a handoff, to relay messages and close it. */
export interface DeskSession {
  /** The desk's id of the conversation (Intercom conversation id, LiveChat chat id, ours for the webhook desk). */
  deskConversationId: string;
  /** Anything else the desk needs later (contact id, customer token…); plain JSON, stored server-side. */
  data: Record<string, unknown>;
}

export type DeskCloseReason = 'TIMEOUT' | 'USER_CLOSED' | 'BOT_RESUMED';

/**
 * A desk failed. `retryable` failures (429, 5xx, network) are tried again by the engine, after
 * `retryAfterMs` when the desk says how long to wait; the others (4xx: bad credentials, not
 * found) are final and the handoff takes its `unavailable` exit.
 */
export class DeskError extends Error {
  override readonly name = 'DeskError';
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The outbound half of a desk: a real HTTP client of the provider's API. */
export interface DeskClient<Config> {
  readonly kind: DeskKind;
  /** Checks the credentials and reachability with a cheap call (the settings screen's "test connection"). */
  testConnection(config: Config): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Opens the desk's side of the conversation with the history; safe to retry with the same idempotency key. */
  establish(config: Config, request: EstablishRequest): Promise<DeskSession>;
  /** Forwards a user message; `messageId` is stable across retries. */
  relay(config: Config, session: DeskSession, message: { messageId: string; text: string }): Promise<void>;
  /** Ends the desk's side (timeout, the user left, the bot took over again). Closing twice is not an error. */
  close(config: Config, session: DeskSession, reason: DeskCloseReason): Promise<void>;
}

/** What an inbound desk webhook reports, once verified and parsed. */
export type DeskEvent =
  | { type: 'agent_message'; eventId: string; text: string; agentName?: string; agentId?: string }
  | { type: 'closed'; eventId: string }
  /** Intercom "snoozed" or "read": shown in the inbox, no change to the handoff. */
  | { type: 'activity'; eventId: string; what: 'snoozed' | 'read' };

/**
 * Where verified desk webhooks go. Looks the conversation up by the desk's conversation id;
 * idempotent by `eventId` (desks deliver at least once).
 */
export interface DeskInbound {
  deliver(botId: string, desk: DeskKind, deskConversationId: string, event: DeskEvent): Promise<'delivered' | 'duplicate' | 'unknown_conversation'>;
}
