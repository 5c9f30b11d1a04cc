// A conversation's messages and status as the API sends them (the transcript, the event stream),
// read defensively: stream data is text, and a malformed event is skipped rather than trusted.
import type { ConversationStatus, Message } from '../api/types.js';

export type { ConversationStatus };
export type ServerMessage = Message;
export type MessageRole = Message['role'];

/** Who has the conversation: the `status` event of the stream, or the conversation read by HTTP. */
export interface ConversationState {
  status: ConversationStatus;
  assignee?: string;
  assigneeName?: string;
}

const ROLES: readonly string[] = ['user', 'bot', 'agent', 'system'] satisfies MessageRole[];
const STATUSES: readonly string[] = ['bot', 'queued', 'agent', 'closed'] satisfies ConversationStatus[];

const record = (data: unknown): Record<string, unknown> | undefined => (typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : undefined);

/** One message of the transcript, with the documented fields only; undefined for anything else. */
export function parseServerMessage(data: unknown): ServerMessage | undefined {
  const m = record(data);
  if (!m || typeof m['id'] !== 'string' || typeof m['text'] !== 'string' || typeof m['createdAt'] !== 'string') return undefined;
  const role = m['role'];
  if (typeof role !== 'string' || !ROLES.includes(role)) return undefined;
  const quickReplies = Array.isArray(m['quickReplies']) ? m['quickReplies'].filter((q): q is string => typeof q === 'string') : [];
  return { id: m['id'], role: role as MessageRole, text: m['text'], createdAt: m['createdAt'], ...(quickReplies.length ? { quickReplies } : {}) };
}

export function parseConversationState(data: unknown): ConversationState | undefined {
  const d = record(data);
  const status = d?.['status'];
  if (!d || typeof status !== 'string' || !STATUSES.includes(status)) return undefined;
  return {
    status: status as ConversationStatus,
    ...(typeof d['assignee'] === 'string' ? { assignee: d['assignee'] } : {}),
    ...(typeof d['assigneeName'] === 'string' && d['assigneeName'] ? { assigneeName: d['assigneeName'] } : {}),
  };
}

/** JSON text (an event's data) read by `parse`; undefined when it is not JSON. */
export function parseJson<T>(text: string, parse: (data: unknown) => T | undefined): T | undefined {
  try {
    return parse(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/** The id the server gives a user message sent with `clientMessageId` (see the conversations service). */
export function userMessageId(conversationId: string, clientMessageId: string): string {
  return `${conversationId}-u-${clientMessageId}`;
}

/** A `clientMessageId` the API accepts (`[A-Za-z0-9_.:-]{1,100}`), without needing a secure context. */
export function newClientMessageId(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): string {
  const bytes = random(new Uint8Array(12));
  return `c${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
