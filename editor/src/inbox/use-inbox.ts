import { useEffect, useState } from 'react';
import { api, ok } from '../api/client.js';
import { openLiveStream } from '../api/live-stream.js';
import type { InboxItem } from '../api/types.js';
import { parseJson } from '../conversation/messages.js';

const parseInbox = (data: unknown): InboxItem[] | undefined => {
  const conversations = (data as { conversations?: unknown } | null)?.conversations;
  return Array.isArray(conversations) ? (conversations as InboxItem[]) : undefined;
};

/** The inbox: read once, then kept current by `/api/inbox/events` (each event is the whole list), or by reading it again while streaming fails. */
export function useInbox(): { items: InboxItem[] | undefined; error: unknown; live: boolean } {
  const [items, setItems] = useState<InboxItem[]>();
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(false);
  useEffect(() => {
    let closed = false;
    const show = (list: InboxItem[] | undefined) => {
      if (closed || !list) return;
      setItems(list);
      setError(undefined);
    };
    ok(api.GET('/api/inbox')).then(
      (data) => !closed && setItems((current) => current ?? parseInbox(data)),
      (e: unknown) => !closed && setError(e),
    );
    const stream = openLiveStream({
      url: () => '/api/inbox/events',
      on: {
        // A malformed event is skipped: the next one carries the whole list again.
        inbox: (data) => show(parseJson(data, parseInbox)),
      },
      poll: async () => {
        show(parseInbox(await ok(api.GET('/api/inbox'))));
        return false;
      },
      onConnection: (connection) => setLive(connection === 'live' || connection === 'polling'),
      onGone: () => setLive(false),
    });
    return () => {
      closed = true;
      stream.close();
    };
  }, []);
  return { items, error, live };
}
