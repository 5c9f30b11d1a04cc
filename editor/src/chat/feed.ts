// A conversation's live feed: the SSE stream from the last cursor seen, reconnected after a drop,
// and polling when streaming keeps failing (decisions in feed-policy.ts). Used by the chat page
// (with the conversation token) and the inbox (with the session cookie).
import { initialFeedState, nextFeedStep, type FeedAction, type FeedInput } from './feed-policy.js';
import { parseServerMessage, type ServerMessage } from './transcript.js';

export interface ConversationState {
  status: 'bot' | 'queued' | 'agent' | 'closed';
  assignee?: string;
  assigneeName?: string;
}

export type FeedConnection = 'connecting' | 'live' | 'reconnecting' | 'polling';

export interface FeedOptions {
  conversationId: string;
  /** The end user's conversation token; people use their session cookie instead. */
  token?: string;
  /** Start after this cursor (0: the whole transcript). */
  after?: number;
  onMessages(messages: ServerMessage[], cursor: number): void;
  onStatus(state: ConversationState): void;
  onConnection?(connection: FeedConnection): void;
  /** The conversation is not there (or not ours) any more: 401, 403 or 404. */
  onGone?(): void;
}

export interface Feed {
  /** Reads what is new now (after sending while the stream is down, say). */
  refresh(): Promise<void>;
  close(): void;
}

/** No first event this long after opening the stream counts as a failure (the server sends the status at once). */
const CONNECT_TIMEOUT_MS = 10_000;
const PAGE = 500;

export function parseConversationState(data: unknown): ConversationState | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  const status = d['status'];
  if (status !== 'bot' && status !== 'queued' && status !== 'agent' && status !== 'closed') return undefined;
  return {
    status,
    ...(typeof d['assignee'] === 'string' ? { assignee: d['assignee'] } : {}),
    ...(typeof d['assigneeName'] === 'string' && d['assigneeName'] ? { assigneeName: d['assigneeName'] } : {}),
  };
}

export function openFeed(options: FeedOptions): Feed {
  const base = `/api/conversations/${encodeURIComponent(options.conversationId)}`;
  const headers: Record<string, string> = options.token ? { authorization: `Bearer ${options.token}` } : {};
  let cursor = options.after ?? 0;
  let policy = initialFeedState;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;
  let healthy = false;
  let closed = false;
  let polling = false;

  const connection = (c: FeedConnection) => options.onConnection?.(c);

  const step = (input: FeedInput) => {
    const wasPollingFine = policy.mode === 'polling' && policy.pollFailures === 0;
    const next = nextFeedStep(policy, input, Math.random());
    policy = next.state;
    if (closed) return;
    // Polling that works is a working connection, only slower; a failed retry of the stream
    // while polling works changes nothing for the user.
    const working = input === 'poll_done' || (input === 'stream_error' && wasPollingFine);
    connection(input === 'stream_event' ? 'live' : working ? 'polling' : 'reconnecting');
    schedule(next.action);
  };

  const schedule = (action: FeedAction) => {
    if (closed) return;
    clearTimeout(timer);
    timer = undefined;
    if (action.kind === 'none') return;
    timer = setTimeout(() => (action.kind === 'stream' ? stream() : void poll()), action.delayMs);
  };

  const stopStream = () => {
    clearTimeout(connectTimer);
    source?.close();
    source = undefined;
    healthy = false;
  };

  const stream = () => {
    stopStream();
    if (closed) return;
    const query = new URLSearchParams({ after: String(cursor), ...(options.token ? { token: options.token } : {}) });
    const es = new EventSource(`${base}/events?${query}`);
    source = es;
    const failed = () => {
      if (source !== es) return;
      stopStream();
      step('stream_error');
    };
    const alive = () => {
      if (source !== es || healthy) return;
      healthy = true;
      clearTimeout(connectTimer);
      step('stream_event');
    };
    connectTimer = setTimeout(failed, CONNECT_TIMEOUT_MS);
    es.addEventListener('message', (event) => {
      if (source !== es) return;
      alive();
      const seq = Number(event.lastEventId);
      let message: ServerMessage | undefined;
      try {
        message = parseServerMessage(JSON.parse(event.data));
      } catch {
        message = undefined;
      }
      if (Number.isInteger(seq) && seq > cursor) cursor = seq;
      if (message) options.onMessages([message], cursor);
    });
    es.addEventListener('status', (event) => {
      if (source !== es) return;
      alive();
      try {
        const state = parseConversationState(JSON.parse(event.data));
        if (state) options.onStatus(state);
      } catch {
        // A malformed event is skipped; the next one says the same again.
      }
    });
    // The browser would retry on its own, from its own idea of where it was; we retry ourselves
    // from our cursor, with backoff, and switch to polling when streaming keeps failing.
    es.addEventListener('error', failed);
  };

  const fetchJson = async (path: string): Promise<unknown> => {
    const response = await fetch(path, { headers, credentials: 'same-origin', cache: 'no-store' });
    if (response.status === 401 || response.status === 403 || response.status === 404) {
      const gone = new Error(`HTTP ${response.status}`);
      (gone as Error & { gone?: boolean }).gone = true;
      throw gone;
    }
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  };

  /** One catch-up read: messages after the cursor, then the status. */
  const readOnce = async (): Promise<boolean> => {
    const page = (await fetchJson(`${base}/messages?after=${cursor}&limit=${PAGE}`)) as { messages?: unknown[]; cursor?: string };
    const messages = (page.messages ?? []).map(parseServerMessage).filter((m): m is ServerMessage => m !== undefined);
    const next = Number(page.cursor);
    if (Number.isInteger(next) && next > cursor) cursor = next;
    if (messages.length) options.onMessages(messages, cursor);
    const state = parseConversationState(await fetchJson(base));
    if (state) options.onStatus(state);
    return messages.length === PAGE;
  };

  const poll = async () => {
    if (closed || polling) return;
    polling = true;
    try {
      const more = await readOnce();
      if (closed) return;
      if (more) return schedule({ kind: 'poll', delayMs: 0 });
      step('poll_done');
    } catch (error) {
      if (closed) return;
      if ((error as { gone?: boolean }).gone) {
        closed = true;
        stopStream();
        options.onGone?.();
        return;
      }
      step('poll_failed');
    } finally {
      polling = false;
    }
  };

  const online = () => {
    if (!healthy) step('online');
  };
  window.addEventListener('online', online);
  connection('connecting');
  stream();

  return {
    async refresh() {
      if (closed || healthy) return;
      try {
        await readOnce();
      } catch {
        // The regular retries will catch up.
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      stopStream();
      window.removeEventListener('online', online);
    },
  };
}
