// The test chat's transcript as pure data: merging what the stream, a reconnect and our own
// optimistic sends deliver, so each message shows once and in the server's order.
import type { ConversationStatus, Message } from '../api/types.js';

export interface ChatMessage extends Message {
  /** The stream cursor of a message the server has stored; absent while ours is on its way. */
  seq?: number;
  /** Only for the builder's own messages not yet seen on the stream. */
  delivery?: 'sending' | 'sent' | 'failed';
  /** Kept so a failed send can be retried under the same id (the server dedupes on it). */
  clientMessageId?: string;
  error?: string;
}

/** The id the server gives a user message sent with `clientMessageId` (see the messages route). */
export function userMessageId(conversationId: string, clientMessageId: string): string {
  return `${conversationId}-u-${clientMessageId}`;
}

/**
 * Merges incoming messages into the transcript: one entry per id, stored messages ordered by
 * their cursor, our unconfirmed ones after them. Returns `current` itself when nothing changed,
 * so React skips the render.
 */
export function mergeMessages(current: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return current as ChatMessage[];
  const byId = new Map(current.map((message) => [message.id, message]));
  let changed = false;
  for (const message of incoming) {
    const existing = byId.get(message.id);
    if (existing && !replaces(message, existing)) continue;
    // A stored copy of our own message keeps nothing of the optimistic one but its place.
    byId.set(message.id, message.seq !== undefined ? stripDelivery(message) : message);
    changed = true;
  }
  if (!changed) return current as ChatMessage[];
  const all = [...byId.values()];
  const stored = all.filter((m) => m.seq !== undefined).sort((a, b) => a.seq! - b.seq!);
  const pending = all.filter((m) => m.seq === undefined);
  return [...stored, ...pending];
}

function replaces(next: ChatMessage, existing: ChatMessage): boolean {
  if (existing.seq !== undefined) return false; // the stored copy is final
  if (next.seq !== undefined) return true;
  return next.delivery !== existing.delivery || next.error !== existing.error;
}

function stripDelivery(message: ChatMessage): ChatMessage {
  const { delivery: _delivery, error: _error, clientMessageId: _client, ...rest } = message;
  return rest;
}

/** Marks one of our messages as sent or failed; a stored message is left alone. */
export function setDelivery(messages: readonly ChatMessage[], id: string, delivery: 'sending' | 'sent' | 'failed', error?: string): ChatMessage[] {
  const message = messages.find((m) => m.id === id);
  if (!message || message.seq !== undefined) return messages as ChatMessage[];
  const next: ChatMessage = { ...message, delivery };
  if (error) next.error = error;
  else delete next.error;
  return mergeMessages(messages, [next]);
}

/** The highest cursor seen: an event id that is not a cursor, or an older one, changes nothing. */
export function advanceCursor(cursor: number, eventId: string | undefined): number {
  if (eventId === undefined || !/^\d+$/.test(eventId)) return cursor;
  return Math.max(cursor, Number(eventId));
}

/** The stream's URL; a reconnect passes the cursor so the server resends only what is missing. */
export function eventsUrl(conversationId: string, token: string, after: number): string {
  const query = new URLSearchParams({ token });
  if (after > 0) query.set('after', String(after));
  return `/api/conversations/${encodeURIComponent(conversationId)}/events?${query.toString()}`;
}

/** Waits 0.5 s, 1 s, 2 s… up to 10 s between reconnects. */
export function reconnectDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.max(0, attempt), 10_000);
}

const ROLES = new Set(['user', 'bot', 'agent', 'system']);

/** A `message` event's data, or null when it is not a transcript message. */
export function parseMessageEvent(data: string, eventId: string | undefined): ChatMessage | null {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const m = value as Record<string, unknown>;
  if (typeof m.id !== 'string' || typeof m.text !== 'string' || typeof m.role !== 'string' || !ROLES.has(m.role)) return null;
  const message: ChatMessage = {
    id: m.id,
    role: m.role as Message['role'],
    text: m.text,
    createdAt: typeof m.createdAt === 'string' ? m.createdAt : new Date(0).toISOString(),
  };
  if (Array.isArray(m.quickReplies)) message.quickReplies = m.quickReplies.filter((r): r is string => typeof r === 'string');
  if (eventId !== undefined && /^\d+$/.test(eventId)) message.seq = Number(eventId);
  return message;
}

export interface StatusEvent {
  status: ConversationStatus;
  assignee?: string;
}

const STATUSES = new Set(['bot', 'queued', 'agent', 'closed']);

export function parseStatusEvent(data: string): StatusEvent | null {
  try {
    const value = JSON.parse(data) as { status?: unknown; assignee?: unknown };
    if (typeof value.status !== 'string' || !STATUSES.has(value.status)) return null;
    return { status: value.status as ConversationStatus, ...(typeof value.assignee === 'string' ? { assignee: value.assignee } : {}) };
  } catch {
    return null;
  }
}

/** What the status line says, for people who do not know the engine's words. */
export function statusText(status: ConversationStatus | undefined, assignee?: string, me?: string): string {
  switch (status) {
    case undefined:
      return 'Starting…';
    case 'bot':
      return 'The bot is answering';
    case 'queued':
      return 'Waiting for a person to take over';
    case 'agent':
      return assignee && assignee === me ? 'You are answering as the person' : 'A person is answering';
    case 'closed':
      return 'The conversation has ended';
  }
}

export type Connection = 'connecting' | 'live' | 'reconnecting';

export function connectionText(connection: Connection): string {
  return connection === 'live' ? 'Connected' : connection === 'connecting' ? 'Connecting…' : 'Connection lost, reconnecting…';
}

/** The buttons to offer: the quick replies of the bot's last message while it is the latest. */
export function currentQuickReplies(messages: readonly ChatMessage[], status: ConversationStatus | undefined): string[] {
  if (status === 'closed') return [];
  const last = messages.at(-1);
  return last && last.role !== 'user' && last.quickReplies?.length ? last.quickReplies : [];
}

/** Which parts of the human side the builder can use now. */
export function humanActions(status: ConversationStatus | undefined, assignee: string | undefined, me: string | undefined) {
  const withPeople = status === 'queued' || status === 'agent';
  return {
    visible: withPeople,
    canTakeOver: status === 'queued' || (status === 'agent' && assignee !== me),
    canReply: withPeople,
    canComplete: withPeople,
    canRequestHuman: status === 'bot',
  };
}
