import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, get } from '../api/client.js';
import type { Conversation } from '../api/types.js';
import { openFeed, type ConversationState, type Feed, type FeedConnection } from '../chat/feed.js';
import { emptyTranscript, receive, type ServerMessage, type Transcript } from '../chat/transcript.js';

/** One conversation as a person sees it: details and variables, the whole transcript, live. */
export function useConversation(id: string) {
  const [conversation, setConversation] = useState<Conversation>();
  const [transcript, setTranscript] = useState<Transcript>(emptyTranscript);
  const [state, setState] = useState<ConversationState>();
  const [connection, setConnection] = useState<FeedConnection>('connecting');
  const [error, setError] = useState<unknown>();
  const feed = useRef<Feed | undefined>(undefined);
  const reloadTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const load = useCallback(() => {
    get<Conversation>(`/api/conversations/${encodeURIComponent(id)}`).then(
      (c) => {
        setConversation(c);
        setError(undefined);
      },
      (e: unknown) => setError(e),
    );
  }, [id]);

  useEffect(() => {
    setConversation(undefined);
    setTranscript(emptyTranscript);
    setState(undefined);
    setError(undefined);
    load();
    // Variables change as the flow moves: read them again shortly after messages arrive.
    const soon = () => {
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(load, 400);
    };
    feed.current = openFeed({
      conversationId: id,
      after: 0,
      onMessages: (messages, cursor) => {
        setTranscript((t) => receive(t, messages, cursor));
        soon();
      },
      onStatus: (next) => {
        setState(next);
        soon();
      },
      onConnection: setConnection,
      onGone: () => setError(new ApiError(404, 'not_found', 'This conversation does not exist or is not yours to see.')),
    });
    return () => {
      clearTimeout(reloadTimer.current);
      feed.current?.close();
      feed.current = undefined;
    };
  }, [id, load]);

  return {
    conversation,
    transcript,
    /** The live status (the stream's, else the last read). */
    status: state?.status ?? conversation?.status,
    assignee: state ? state.assignee : conversation?.assignee,
    connection,
    error,
    /** After an action: read the details and what is new now. */
    refresh() {
      load();
      void feed.current?.refresh();
    },
    /** A message this page just sent (the stream's copy will not be added twice). */
    addSent(message: ServerMessage) {
      setTranscript((t) => receive(t, [message]));
    },
  };
}
