import { useEffect, useMemo, useRef, useState } from 'react';
import { initialFeedState, openConversationFeed, type ConversationFeed, type ConversationFeedOptions, type FeedState } from './feed.js';

export interface FeedTarget {
  conversationId: string;
  /** The end user's conversation token; people use their session cookie instead. */
  token?: string;
}

export type ConversationFeedView = FeedState & Omit<ConversationFeed, 'state' | 'subscribe' | 'close'>;

/**
 * Follows one conversation (see feed.ts) while `target` names it; nothing while it is undefined.
 * `sending` and `details` are read when the conversation opens; the callbacks are always the
 * latest ones given.
 */
export function useConversationFeed(target: FeedTarget | undefined, options: Omit<ConversationFeedOptions, 'conversationId' | 'token'> = {}): ConversationFeedView {
  // Kept with the conversation it is about: a render for another conversation never shows this one's.
  const [snapshot, setSnapshot] = useState<{ conversationId?: string; state: FeedState }>({ state: initialFeedState });
  const feed = useRef<ConversationFeed | undefined>(undefined);
  const latest = useRef(options);
  latest.current = options;
  const conversationId = target?.conversationId;
  const token = target?.token;

  useEffect(() => {
    if (!conversationId) return;
    const { sending, details } = latest.current;
    const opened = openConversationFeed({
      conversationId,
      token,
      sending,
      details,
      onMessages: (messages, context) => latest.current.onMessages?.(messages, context),
      onStatus: (next, previous) => latest.current.onStatus?.(next, previous),
    });
    feed.current = opened;
    const show = () => setSnapshot({ conversationId, state: opened.state });
    show();
    const unsubscribe = opened.subscribe(show);
    return () => {
      unsubscribe();
      opened.close();
      if (feed.current === opened) feed.current = undefined;
    };
  }, [conversationId, token]);

  const actions = useMemo(
    () => ({
      send: (text: string) => feed.current?.send(text),
      retry: (messageId: string) => feed.current?.retry(messageId),
      addSent: (message: Parameters<ConversationFeed['addSent']>[0]) => feed.current?.addSent(message),
      markClosed: () => feed.current?.markClosed(),
      refresh: async () => feed.current?.refresh(),
    }),
    [],
  );
  const state = conversationId !== undefined && snapshot.conversationId === conversationId ? snapshot.state : initialFeedState;
  return useMemo(() => ({ ...state, ...actions }), [state, actions]);
}
