import { useEffect, useState } from 'react';
import { get } from '../api/client.js';
import type { InboxItem } from '../api/types.js';

const RETRY_MS = 5000;

/** The inbox: read once, then kept current by `/api/inbox/events` (each event is the whole list). */
export function useInbox(): { items: InboxItem[] | undefined; error: unknown; live: boolean } {
  const [items, setItems] = useState<InboxItem[]>();
  const [error, setError] = useState<unknown>();
  const [live, setLive] = useState(false);
  useEffect(() => {
    let closed = false;
    let source: EventSource | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    get<{ conversations: InboxItem[] }>('/api/inbox').then(
      (r) => !closed && setItems((current) => current ?? r.conversations),
      (e: unknown) => !closed && setError(e),
    );
    const connect = () => {
      source = new EventSource('/api/inbox/events');
      source.addEventListener('open', () => setLive(true));
      source.addEventListener('inbox', (event) => {
        try {
          const data = JSON.parse((event as MessageEvent<string>).data) as { conversations?: InboxItem[] };
          if (Array.isArray(data.conversations)) {
            setItems(data.conversations);
            setError(undefined);
          }
        } catch {
          // The next event carries the whole list again.
        }
      });
      source.addEventListener('error', () => {
        setLive(false);
        // The browser retries dropped connections itself; an answer that was not a stream (a
        // restart, a 5xx) closes it for good: start over.
        if (source?.readyState === EventSource.CLOSED && !closed) timer = setTimeout(connect, RETRY_MS);
      });
    };
    connect();
    return () => {
      closed = true;
      clearTimeout(timer);
      source?.close();
    };
  }, []);
  return { items, error, live };
}
