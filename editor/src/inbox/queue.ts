// The inbox's pure logic: filters, order, what counts as waiting, what is new since the last
// update (for notifications), and how rows read.
import type { InboxItem } from '../api/types.js';

export type InboxFilter = 'all' | 'waiting' | 'mine' | 'left';

export const FILTERS: { id: InboxFilter; label: string }[] = [
  { id: 'all', label: 'All' },
  { id: 'waiting', label: 'Waiting' },
  { id: 'mine', label: 'Mine' },
  { id: 'left', label: 'Left messages' },
];

/** Someone should pick it up: queued for people, or a message left that nobody has taken. */
export function isWaiting(item: InboxItem): boolean {
  return item.status === 'queued' || (item.leftMessage && item.status !== 'agent');
}

export function matchesFilter(item: InboxItem, filter: InboxFilter, me: string | undefined): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'waiting':
      return isWaiting(item);
    case 'mine':
      return me !== undefined && item.assignee === me;
    case 'left':
      return item.leftMessage;
  }
}

export function countByFilter(items: readonly InboxItem[], me: string | undefined): Record<InboxFilter, number> {
  const counts = { all: 0, waiting: 0, mine: 0, left: 0 };
  for (const item of items) for (const { id } of FILTERS) if (matchesFilter(item, id, me)) counts[id]++;
  return counts;
}

/** When the wait began, as far as the list tells: the last message (the bot's "connecting you…"), or the last change. */
export function waitingSince(item: InboxItem): string {
  return item.lastMessage?.createdAt ?? item.updatedAt;
}

/** Waiting ones first, longest wait first; then the rest, most recent first. */
export function sortQueue(items: readonly InboxItem[]): InboxItem[] {
  const time = (iso: string) => Date.parse(iso) || 0;
  return [...items].sort((a, b) => {
    const wa = isWaiting(a);
    const wb = isWaiting(b);
    if (wa !== wb) return wa ? -1 : 1;
    return wa ? time(waitingSince(a)) - time(waitingSince(b)) : time(b.updatedAt) - time(a.updatedAt);
  });
}

export function visibleQueue(items: readonly InboxItem[], filter: InboxFilter, me: string | undefined): InboxItem[] {
  return sortQueue(items.filter((item) => matchesFilter(item, filter, me)));
}

/**
 * The conversations that started waiting since the previous list (for the notification). The
 * first list is not news: `previous` undefined gives none.
 */
export function newlyWaiting(previous: readonly InboxItem[] | undefined, next: readonly InboxItem[]): InboxItem[] {
  if (!previous) return [];
  const before = new Set(previous.filter(isWaiting).map((item) => item.id));
  return next.filter((item) => isWaiting(item) && !before.has(item.id));
}

/** "(2) Baton" while conversations wait; the plain title otherwise. */
export function titleWithCount(title: string, waiting: number): string {
  const plain = title.replace(/^\(\d+\+?\)\s+/, '');
  return waiting > 0 ? `(${waiting > 99 ? '99+' : waiting}) ${plain}` : plain;
}

/** "just now", "4 min", "2 h 5 min", "3 d". */
export function formatDuration(fromIso: string, nowMs: number): string {
  const from = Date.parse(fromIso);
  if (!Number.isFinite(from)) return '';
  const minutes = Math.floor(Math.max(0, nowMs - from) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

export function userLabel(user: { email?: string; name?: string }): string {
  if (user.name && user.email) return `${user.name} (${user.email})`;
  return user.name ?? user.email ?? 'Anonymous visitor';
}

export interface PersonName {
  id: string;
  name: string;
  email: string;
}

export function personName(id: string | undefined, people: ReadonlyMap<string, PersonName>, me?: string): string | undefined {
  if (!id) return undefined;
  if (id === me) return 'you';
  const person = people.get(id);
  return person ? person.name || person.email : 'someone';
}

export type Tone = 'ok' | 'warning' | 'danger' | undefined;

/** The status badge of a conversation (a left message is the news, unless a person has it already). */
export function statusBadge(item: { status: string; assignee?: string; leftMessage?: boolean }, people: ReadonlyMap<string, PersonName>, me?: string): { text: string; tone: Tone } {
  if (item.leftMessage && item.status !== 'agent') return { text: 'Message left', tone: 'warning' };
  switch (item.status) {
    case 'queued': {
      // Routing may have picked someone already (round robin): they are expected to take it.
      const routed = personName(item.assignee, people, me);
      return { text: routed ? `Waiting for ${routed}` : 'Waiting', tone: 'warning' };
    }
    case 'agent':
      return { text: `With ${personName(item.assignee, people, me) ?? 'a person'}`, tone: 'ok' };
    case 'closed':
      return { text: 'Closed', tone: undefined };
    default:
      return { text: 'With the bot', tone: undefined };
  }
}

const ROLE_PREFIX: Record<string, string> = { user: '', bot: 'Bot: ', agent: 'Team: ', system: '' };

export function previewText(item: InboxItem): string {
  if (!item.lastMessage) return 'No messages yet';
  const text = item.lastMessage.text.replace(/\s+/g, ' ').trim();
  return `${ROLE_PREFIX[item.lastMessage.role] ?? ''}${text}`;
}

/** The conversation's variables as rows: nested objects as dotted paths, other values as JSON. */
export function variableRows(vars: Record<string, unknown> | undefined, prefix = ''): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, value] of Object.entries(vars ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length > 0) rows.push(...variableRows(value as Record<string, unknown>, path));
    else rows.push([path, typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  return rows.sort(([a], [b]) => a.localeCompare(b));
}

/**
 * The messages the user left for people: the user's messages after the last answer from the bot
 * or a person (the list says a message was left, not which).
 */
export function leftMessageIds(messages: readonly { id: string; role: string }[], leftMessage: boolean): Set<string> {
  const ids = new Set<string>();
  if (!leftMessage) return ids;
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') ids.add(m.id);
    else if (m.role === 'agent' || ids.size > 0) break;
  }
  return ids;
}
