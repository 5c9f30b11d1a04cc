/**
 * In-process notification that a conversation changed (new messages, new status). Streams
 * re-read the database when notified; they also poll, because the worker that writes may run in
 * another process.
 */
export class ConversationEvents {
  private readonly listeners = new Map<string, Set<() => void>>();

  subscribe(conversationId: string, listener: () => void): () => void {
    const set = this.listeners.get(conversationId) ?? new Set();
    set.add(listener);
    this.listeners.set(conversationId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(conversationId);
    };
  }

  notify(conversationId: string): void {
    for (const listener of this.listeners.get(conversationId) ?? []) listener();
  }

  get subscriberCount(): number {
    let count = 0;
    for (const set of this.listeners.values()) count += set.size;
    return count;
  }
}
