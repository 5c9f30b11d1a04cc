// The transcript as the chat page and the inbox keep it: messages from the server (SSE or
// polling, possibly both, possibly twice after a reconnect) merged by id, plus the user's own
// messages that are still on their way.

export type MessageRole = 'user' | 'bot' | 'agent' | 'system';

export interface ServerMessage {
  id: string;
  role: MessageRole;
  text: string;
  quickReplies?: string[];
  createdAt: string;
}

export interface TranscriptMessage extends ServerMessage {
  /**
   * Set while the user's message has not been confirmed by the server: on its way, refused
   * (`failed`, with why), or held until the network is back (`offline`: sent again on its own).
   */
  delivery?: PendingDelivery;
  /** The id the message was sent with (retries reuse it, so the server stores it once). */
  clientMessageId?: string;
  /** Why sending failed, for the user. */
  error?: string;
}

export type PendingDelivery = 'sending' | 'failed' | 'offline';

export interface Transcript {
  /** Confirmed messages in the server's order, then pending ones in the order they were written. */
  messages: TranscriptMessage[];
  /** The last message cursor seen (the SSE event id; `after=` on reconnect). */
  cursor: number;
}

export const emptyTranscript: Transcript = { messages: [], cursor: 0 };

/** The id the server gives a user message sent with `clientMessageId` (see `conversations.service`). */
export function userMessageId(conversationId: string, clientMessageId: string): string {
  return `${conversationId}-u-${clientMessageId}`;
}

/**
 * Adds messages from the server. A message already there is not added again; a pending one with
 * the same id is confirmed in place of the optimistic copy. `cursor` moves forward only.
 */
export function receive(transcript: Transcript, incoming: readonly ServerMessage[], cursor?: number): Transcript {
  const confirmed = transcript.messages.filter((m) => m.delivery === undefined);
  let pending = transcript.messages.filter((m) => m.delivery !== undefined);
  const known = new Set(confirmed.map((m) => m.id));
  let changed = false;
  for (const message of incoming) {
    if (known.has(message.id)) continue;
    known.add(message.id);
    pending = pending.filter((p) => p.id !== message.id);
    confirmed.push(toMessage(message));
    changed = true;
  }
  const nextCursor = cursor !== undefined && Number.isFinite(cursor) ? Math.max(transcript.cursor, cursor) : transcript.cursor;
  if (!changed && nextCursor === transcript.cursor) return transcript;
  return { messages: [...confirmed, ...pending], cursor: nextCursor };
}

/** The user's message, shown at once while it is being sent. */
export function addPending(transcript: Transcript, message: { id: string; text: string; clientMessageId: string; createdAt: string }): Transcript {
  if (transcript.messages.some((m) => m.id === message.id)) return transcript;
  return { ...transcript, messages: [...transcript.messages, { id: message.id, role: 'user', text: message.text, createdAt: message.createdAt, clientMessageId: message.clientMessageId, delivery: 'sending' }] };
}

/** Marks a pending message as failed (with why), held for the network, or sending again. */
export function markPending(transcript: Transcript, id: string, delivery: PendingDelivery, error?: string): Transcript {
  let changed = false;
  const messages = transcript.messages.map((m) => {
    if (m.id !== id || m.delivery === undefined) return m;
    changed = true;
    const { error: _previous, ...rest } = m;
    return { ...rest, delivery, ...(error ? { error } : {}) };
  });
  return changed ? { ...transcript, messages } : transcript;
}

/** The user's messages held while the network was down, in the order they were written: to send again once it is back. */
export function heldForNetwork(transcript: Transcript): TranscriptMessage[] {
  return transcript.messages.filter((m) => m.delivery === 'offline' && m.clientMessageId !== undefined);
}

/** The quick replies to offer: those of the last message, when it is the bot's. */
export function currentQuickReplies(transcript: Transcript): string[] {
  const last = transcript.messages.filter((m) => m.delivery === undefined).at(-1);
  if (!last || last.role !== 'bot' || transcript.messages.at(-1) !== last) return [];
  return last.quickReplies ?? [];
}

/**
 * Whether the bot is working on an answer: the bot has the conversation, the last message is the
 * user's, and the user sent something less than `maxMs` ago (by this browser's clock: the
 * server's may differ).
 */
export function botIsTyping(transcript: Transcript, conversationStatus: string | undefined, lastSentMs: number | undefined, nowMs: number, maxMs = 20_000): boolean {
  if (conversationStatus !== 'bot' || lastSentMs === undefined) return false;
  const last = transcript.messages.at(-1);
  if (!last || last.role !== 'user' || last.delivery === 'failed' || last.delivery === 'offline') return false;
  return nowMs - lastSentMs < maxMs;
}

function toMessage(message: ServerMessage): TranscriptMessage {
  return {
    id: message.id,
    role: message.role,
    text: message.text,
    createdAt: message.createdAt,
    ...(message.quickReplies?.length ? { quickReplies: message.quickReplies } : {}),
  };
}

/** Reads one message of the API defensively (SSE data is text). */
export function parseServerMessage(data: unknown): ServerMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const m = data as Record<string, unknown>;
  if (typeof m['id'] !== 'string' || typeof m['text'] !== 'string' || typeof m['createdAt'] !== 'string') return undefined;
  const role = m['role'];
  if (role !== 'user' && role !== 'bot' && role !== 'agent' && role !== 'system') return undefined;
  const quickReplies = Array.isArray(m['quickReplies']) ? m['quickReplies'].filter((q): q is string => typeof q === 'string') : [];
  return { id: m['id'], role, text: m['text'], createdAt: m['createdAt'], ...(quickReplies.length ? { quickReplies } : {}) };
}
