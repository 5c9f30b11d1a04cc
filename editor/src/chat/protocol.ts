// The messages between the widget on a customer's page and the chat page in its iframe. Both
// sides accept only these shapes, and only from each other (checked by the receivers).

export interface WidgetUser {
  email?: string;
  name?: string;
  externalId?: string;
}

/** From the page embedding the widget to the chat page. */
export type HostMessage =
  | { type: 'baton:set-user'; user: WidgetUser }
  /** The chat was opened (focus the message box) or hidden (count unread messages). */
  | { type: 'baton:visibility'; visible: boolean };

/** From the chat page to the widget. */
export type ChatMessageOut =
  | { type: 'baton:ready'; conversationId: string }
  | { type: 'baton:close' }
  | { type: 'baton:unread'; count: number };

const text = (value: unknown, max: number): string | undefined => (typeof value === 'string' && value.trim() && value.length <= max ? value.trim() : undefined);

export function parseWidgetUser(value: unknown): WidgetUser | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const v = value as Record<string, unknown>;
  const email = text(v['email'], 254);
  const name = text(v['name'], 200);
  const externalId = text(v['externalId'], 200);
  if (!email && !name && !externalId) return undefined;
  return { ...(email ? { email } : {}), ...(name ? { name } : {}), ...(externalId ? { externalId } : {}) };
}

export function parseHostMessage(data: unknown): HostMessage | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (d['type'] === 'baton:set-user') {
    const user = parseWidgetUser(d['user']);
    return user ? { type: 'baton:set-user', user } : undefined;
  }
  if (d['type'] === 'baton:visibility' && typeof d['visible'] === 'boolean') return { type: 'baton:visibility', visible: d['visible'] };
  return undefined;
}

export function parseChatMessage(data: unknown): ChatMessageOut | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (d['type'] === 'baton:ready' && typeof d['conversationId'] === 'string') return { type: 'baton:ready', conversationId: d['conversationId'] };
  if (d['type'] === 'baton:close') return { type: 'baton:close' };
  if (d['type'] === 'baton:unread' && typeof d['count'] === 'number' && Number.isInteger(d['count']) && d['count'] >= 0) return { type: 'baton:unread', count: d['count'] };
  return undefined;
}
