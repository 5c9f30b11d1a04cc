// The transcript as the screens keep it: messages from the server (the stream, catch-up reads,
// possibly both, possibly twice after a reconnect) merged by id in the order the server stored
// them, then the messages this page sent that the server has not shown back yet. Pure data.
import type { MessageRole, ServerMessage } from './messages.js';

/**
 * Where a message this page sent stands until the server's copy arrives: on its way, accepted
 * (`sent`: the stream will bring it), refused (`failed`, with why), or held until the network is
 * back (`offline`: sent again on its own).
 */
export type PendingDelivery = 'sending' | 'sent' | 'failed' | 'offline';

export interface TranscriptMessage extends ServerMessage {
  /** Set until the server's copy of a message this page sent arrives. */
  delivery?: PendingDelivery;
  /** The id the message was sent with (retries reuse it, so the server stores it once). */
  clientMessageId?: string;
  /** Why sending failed, for the user. */
  error?: string;
}

export interface Transcript {
  /** Stored messages in the server's order, then pending ones in the order they were written. */
  messages: TranscriptMessage[];
  /** The last message cursor seen (the stream's event id; `after=` when reading on). */
  cursor: number;
}

export const emptyTranscript: Transcript = { messages: [], cursor: 0 };

/** Of `incoming`, the messages the transcript has not stored yet (each once). */
export function unseen(transcript: Transcript, incoming: readonly ServerMessage[]): ServerMessage[] {
  const known = new Set(transcript.messages.filter((m) => m.delivery === undefined).map((m) => m.id));
  return incoming.filter((m) => !known.has(m.id) && known.add(m.id));
}

/**
 * Adds messages from the server. A message already there is not added again; a pending one with
 * the same id is replaced by the server's copy, in the server's place. `cursor` moves forward only.
 * Returns `transcript` itself when nothing changed, so React skips the render.
 */
export function receive(transcript: Transcript, incoming: readonly ServerMessage[], cursor?: number): Transcript {
  const fresh = unseen(transcript, incoming);
  const nextCursor = cursor !== undefined && Number.isFinite(cursor) ? Math.max(transcript.cursor, cursor) : transcript.cursor;
  if (fresh.length === 0 && nextCursor === transcript.cursor) return transcript;
  const confirmed = transcript.messages.filter((m) => m.delivery === undefined);
  const replaced = new Set(fresh.map((m) => m.id));
  const pending = transcript.messages.filter((m) => m.delivery !== undefined && !replaced.has(m.id));
  return { messages: [...confirmed, ...fresh.map(toMessage), ...pending], cursor: nextCursor };
}

/** A message this page sends, shown at once (`sending`) until the server's copy replaces it. */
export function addPending(
  transcript: Transcript,
  message: { id: string; text: string; createdAt: string; clientMessageId?: string; role?: MessageRole; delivery?: PendingDelivery },
): Transcript {
  if (transcript.messages.some((m) => m.id === message.id)) return transcript;
  const { role = 'user', delivery = 'sending', ...rest } = message;
  return { ...transcript, messages: [...transcript.messages, { ...rest, role, delivery }] };
}

/** Marks a pending message as sent, failed (with why), held for the network, or sending again. */
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

/** The quick replies to offer: those of the last message, when it is the bot's and stored. */
export function currentQuickReplies(transcript: Transcript): string[] {
  const last = transcript.messages.at(-1);
  if (!last || last.delivery !== undefined || last.role !== 'bot') return [];
  return last.quickReplies ?? [];
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
