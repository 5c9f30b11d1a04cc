import type { JsonObject } from '@baton/nodes';
import type { Db } from '../../db/database.js';
import type { BotsService } from '../../features/bots/bots.service.js';
import type { ConversationProjection } from '../../features/conversations/conversation-projection.js';
import type { Logger } from '../../log.js';
import type { SeenSignatures } from './seen-signatures.js';

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
  /** Where the flow asked the conversation to go (a person, a team…), for desks that route; plain JSON. */
  target?: JsonObject;
}

/** What we keep about a desk's side of a handoff, to relay messages and close it. */
export interface DeskSession {
  /** The desk's id of the conversation (Intercom conversation id, LiveChat chat id, ours for the webhook desk and the inbox). */
  deskConversationId: string;
  /**
   * Anything else the desk needs later (contact id, customer token…); plain JSON, stored
   * server-side, never shown to the engine. `leaveMessage: true` in it means nobody can answer
   * now: the user is told they may leave a message.
   */
  data: Record<string, unknown>;
}

export type DeskCloseReason = 'TIMEOUT' | 'USER_CLOSED' | 'BOT_RESUMED';

/**
 * A desk failed. `retryable` failures (429, 5xx, network) are tried again by the engine, after
 * `retryAfterMs` when the desk says how long to wait; the others (4xx: bad credentials, not
 * found) are final and the handoff takes its `unavailable` exit. The code `no_agent` says the
 * desk works but nobody can take the conversation: the handoff takes its `no_agent` exit.
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

/** The outbound half of a desk: a real HTTP client of the provider's API (or, for Baton's inbox, its routing). */
export interface DeskClient<Config> {
  /** Checks the credentials and reachability with a cheap call (the settings screen's "test connection"). */
  testConnection(config: Config): Promise<{ ok: true } | { ok: false; message: string }>;
  /** Opens the desk's side of the conversation with the history; safe to retry with the same idempotency key. */
  establish(config: Config, request: EstablishRequest): Promise<DeskSession>;
  /** Forwards a user message; `messageId` is stable across retries. The client may update `session.data` (it is saved). */
  relay(config: Config, session: DeskSession, message: { messageId: string; text: string }): Promise<void>;
  /** Ends the desk's side (timeout, the user left, the bot took over again). Closing twice is not an error. */
  close(config: Config, session: DeskSession, reason: DeskCloseReason): Promise<void>;
  /** The person the conversation waits for stayed silent: ask someone else (desks that route people themselves leave it out). */
  reroute?(config: Config, session: DeskSession, target: JsonObject): Promise<void>;
}

/** What an inbound desk webhook reports, once verified and parsed. */
export type DeskEvent =
  | { type: 'agent_message'; eventId: string; text: string; agentName?: string; agentId?: string }
  | { type: 'closed'; eventId: string }
  /** Intercom "snoozed" or "read": shown in the inbox, no change to the handoff. */
  | { type: 'activity'; eventId: string; what: 'snoozed' | 'read' };

export type DeskDelivery = 'delivered' | 'duplicate' | 'unknown_conversation';

/**
 * Where verified desk webhooks go. Looks the conversation up by the desk's conversation id;
 * idempotent by `eventId` (desks deliver at least once).
 */
export interface DeskInbound {
  deliver(botId: string, desk: string, deskConversationId: string, event: DeskEvent): Promise<DeskDelivery>;
}

/** What Baton gives a desk's client: the desks of other services need none of it, Baton's inbox all. */
export interface DeskRuntime {
  db: Db;
  bots: BotsService;
  projection: ConversationProjection;
  log: Logger;
  /** In assist mode, drafts the next reply for the person who has the conversation. */
  draftReply?: (conversationId: string) => Promise<void>;
}

/** What a desk's webhook routes get. */
export interface DeskRouteDeps<Config> {
  /** The bot's settings of this desk, secrets in clear; undefined for an unknown bot or a bot without this desk. */
  config(botId: string): Config | undefined;
  /** Where verified events go (for this desk). */
  inbound: { deliver(botId: string, deskConversationId: string, event: DeskEvent): Promise<DeskDelivery> };
  log: Logger;
  /** Signatures already accepted, shared by every API process: a replay sent to any of them is refused. */
  seenSignatures: SeenSignatures;
}
