/** The inbox for people: presence, the queue, a conversation. */
export function InboxScreen({ conversationId }: { conversationId?: string }) {
  return <main className="page">Inbox {conversationId ?? ''}</main>;
}
