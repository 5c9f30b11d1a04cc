// One conversation, live: the transcript from the cursor on (the stream, reconnected after a drop
// and read by HTTP when streaming keeps failing), merged by message id; who has the conversation;
// the messages this page sends, shown at once and replaced by the server's copy, tried again with
// the same clientMessageId (so the server stores each once) and held while the network is down.
// Framework-free: the chat page, the test chat and the inbox follow it through use-conversation-feed.ts.
import { ApiError, api, asEndUser, ok } from '../api/client.js';
import type { Conversation } from '../api/types.js';
import { openLiveStream, type LiveConnection, type LiveStream } from '../api/live-stream.js';
import { newClientMessageId, parseConversationState, parseJson, parseServerMessage, userMessageId, type ConversationState, type MessageRole, type ServerMessage } from './messages.js';
import { addPending, emptyTranscript, heldForNetwork, markPending, receive, unseen, type Transcript } from './transcript.js';

export interface SendPolicy {
  /** Tries of one message before giving up on a network or server error (5xx, 429); the n-th waits n seconds first. */
  attempts: number;
  /** After the last try, hold the message and send it again once the network is back (`offline`), or show it failed. */
  holdWhenOffline: boolean;
  /** What a message refused because the conversation is closed says (default: the API's words). */
  closedText?: string;
}

export interface ConversationFeedOptions {
  conversationId: string;
  /** The end user's conversation token; people use their session cookie instead. */
  token?: string;
  sending?: SendPolicy;
  /**
   * Also read the whole conversation (for people: where the flow is, its variables) at the start,
   * after each change the stream shows (`settleMs` later, to let the flow's writes land), and on
   * `refresh()`.
   */
  details?: { settleMs: number };
  /** Messages new to the transcript (each once, whatever the stream repeats); `history` for those before the first status. */
  onMessages?(messages: ServerMessage[], context: { history: boolean }): void;
  onStatus?(next: ConversationState, previous: ConversationState | undefined): void;
}

export interface FeedState {
  transcript: Transcript;
  /** Who has the conversation, as the stream last said; undefined until it says. */
  conversation: ConversationState | undefined;
  connection: LiveConnection;
  /** The conversation is not there any more, or not ours to see (401, 403, 404). */
  gone: boolean;
  /** The whole conversation, with the `details` option. */
  details?: Conversation;
  detailsError?: unknown;
}

export interface ConversationFeed {
  readonly state: FeedState;
  /** Calls `listener` after each change of `state` (a new object each time). */
  subscribe(listener: () => void): () => void;
  /** Sends the user's message: shown at once, then as the server stored it. */
  send(text: string): void;
  /** Sends a failed or held message again, under its clientMessageId. */
  retry(messageId: string): void;
  /** A message this page stored by another way (a person's reply): shown now, in its place once the stream brings it. */
  addSent(message: { id: string; role: MessageRole; text: string }): void;
  /** The server refused an action because the conversation is closed: show it closed now. */
  markClosed(): void;
  /** Reads what is new now, when the stream is not delivering, and the details (after an action). */
  refresh(): Promise<void>;
  close(): void;
}

export const initialFeedState: FeedState = { transcript: emptyTranscript, conversation: undefined, connection: 'connecting', gone: false };

/** Who has the conversation: as the stream last said, else as the details read said. */
export function currentConversation(state: FeedState): ConversationState | undefined {
  if (state.conversation || !state.details) return state.conversation;
  const { status, assignee } = state.details;
  return { status, ...(assignee ? { assignee } : {}) };
}

export const CHAT_SENDING: SendPolicy = { attempts: 3, holdWhenOffline: true };
const PAGE = 500;
const RETRY_STEP_MS = 1000;

const retryable = (error: unknown) => !(error instanceof ApiError) || error.status >= 500 || error.status === 429;
const failureText = (error: unknown) => (error instanceof Error ? error.message : 'Not sent.');
const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function openConversationFeed(options: ConversationFeedOptions): ConversationFeed {
  const base = `/api/conversations/${encodeURIComponent(options.conversationId)}`;
  const auth = options.token ? { headers: asEndUser(options.token) } : {};
  const conversation = { path: { id: options.conversationId } };
  const sending = options.sending ?? CHAT_SENDING;
  const listeners = new Set<() => void>();
  let state = initialFeedState;
  let closed = false;
  let sawStatus = false;

  const update = (next: Partial<FeedState>) => {
    if (closed) return;
    state = { ...state, ...next };
    for (const listener of listeners) listener();
  };
  const updateTranscript = (change: (transcript: Transcript) => Transcript) => {
    const transcript = change(state.transcript);
    if (transcript !== state.transcript) update({ transcript });
  };

  const messagesArrived = (incoming: ServerMessage[], cursor: number) => {
    if (closed) return;
    const fresh = unseen(state.transcript, incoming);
    updateTranscript((t) => receive(t, fresh, cursor));
    if (fresh.length === 0) return;
    options.onMessages?.(fresh, { history: !sawStatus });
    details.soon();
  };

  const statusArrived = (next: ConversationState) => {
    if (closed) return;
    sawStatus = true;
    const previous = state.conversation;
    if (previous && JSON.stringify(previous) === JSON.stringify(next)) return;
    update({ conversation: next });
    options.onStatus?.(next, previous);
    details.soon();
  };

  /** One catch-up read: messages after the cursor, then the status. True when more is waiting. */
  const readOn = async (): Promise<boolean> => {
    const page = await ok(api.GET('/api/conversations/{id}/messages', { params: { ...conversation, query: { after: state.transcript.cursor, limit: PAGE } }, ...auth }));
    const messages = (page.messages ?? []).map(parseServerMessage).filter((m): m is ServerMessage => m !== undefined);
    messagesArrived(messages, Number(page.cursor));
    const status = parseConversationState(await ok(api.GET('/api/conversations/{id}', { params: conversation, ...auth })));
    if (status) statusArrived(status);
    return messages.length === PAGE;
  };

  const details = detailsReader(options.details, () => ok(api.GET('/api/conversations/{id}', { params: conversation })), (result) => update(result));

  const live: LiveStream = openLiveStream({
    // From the cursor: a reconnect brings only what is missing.
    url: () => `${base}/events?${new URLSearchParams({ after: String(state.transcript.cursor), ...(options.token ? { token: options.token } : {}) })}`,
    on: {
      message(data, id) {
        const message = parseJson(data, parseServerMessage);
        const cursor = Number(id);
        // A cursor moves on past a message this page cannot read: it will not come again.
        messagesArrived(message ? [message] : [], Number.isInteger(cursor) ? cursor : Number.NaN);
      },
      status(data) {
        const status = parseJson(data, parseConversationState);
        if (status) statusArrived(status);
      },
    },
    poll: readOn,
    onConnection(connection) {
      if (connection === state.connection) return;
      update({ connection });
      // The network is back: what was held goes out now, in order.
      if (connection === 'live' || connection === 'polling') void resendHeld();
    },
    onGone: () => update({ gone: true }),
  });

  const markClosed = () => statusArrived({ status: 'closed' });

  const deliver = async (id: string, text: string, clientMessageId: string) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await ok(api.POST('/api/conversations/{id}/messages', { params: conversation, body: { text, clientMessageId }, ...auth }));
        // The stream brings the stored copy, which takes this one's place.
        updateTranscript((t) => markPending(t, id, 'sent'));
        void live.refresh();
        return;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'conversation_closed') {
          markClosed();
          updateTranscript((t) => markPending(t, id, 'failed', sending.closedText ?? error.message));
          return;
        }
        if (!retryable(error) || (attempt >= sending.attempts && !sending.holdWhenOffline)) {
          updateTranscript((t) => markPending(t, id, 'failed', failureText(error)));
          return;
        }
        if (attempt >= sending.attempts) {
          // Sent again when the network is back (the same clientMessageId: stored once).
          updateTranscript((t) => markPending(t, id, 'offline'));
          return;
        }
        await wait(attempt * RETRY_STEP_MS);
        if (closed) return;
      }
    }
  };

  let resending = false;
  const resendHeld = async () => {
    if (resending || closed) return;
    resending = true;
    try {
      for (const message of heldForNetwork(state.transcript)) {
        updateTranscript((t) => markPending(t, message.id, 'sending'));
        await deliver(message.id, message.text, message.clientMessageId!);
      }
    } finally {
      resending = false;
    }
  };
  const online = () => void resendHeld();
  window.addEventListener('online', online);
  details.now();

  return {
    get state() {
      return state;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    send(raw) {
      const text = raw.trim();
      if (!text || closed) return;
      const clientMessageId = newClientMessageId();
      const id = userMessageId(options.conversationId, clientMessageId);
      // Behind messages held for the network, so the order the user wrote them in is kept.
      const held = heldForNetwork(state.transcript).length > 0;
      updateTranscript((t) => addPending(t, { id, text, clientMessageId, createdAt: new Date().toISOString(), delivery: held ? 'offline' : 'sending' }));
      if (!held) void deliver(id, text, clientMessageId);
    },
    retry(messageId) {
      const message = state.transcript.messages.find((m) => m.id === messageId);
      if (!message?.clientMessageId || (message.delivery !== 'failed' && message.delivery !== 'offline')) return;
      updateTranscript((t) => markPending(t, messageId, 'sending'));
      void deliver(messageId, message.text, message.clientMessageId);
    },
    addSent(message) {
      updateTranscript((t) => addPending(t, { ...message, createdAt: new Date().toISOString(), delivery: 'sent' }));
    },
    markClosed,
    async refresh() {
      details.now();
      await live.refresh();
    },
    close() {
      closed = true;
      listeners.clear();
      live.close();
      details.close();
      window.removeEventListener('online', online);
    },
  };
}

/**
 * Reads the whole conversation when asked, never twice at once: asks that come while a read runs
 * fold into one more read after it. Without `settings`, it never reads.
 */
function detailsReader(settings: { settleMs: number } | undefined, read: () => Promise<Conversation>, done: (result: Pick<FeedState, 'details' | 'detailsError'>) => void) {
  let running = false;
  let again = false;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    again = false;
    read()
      .then(
        (details) => !closed && done({ details, detailsError: undefined }),
        (error: unknown) => !closed && done({ detailsError: error }),
      )
      .finally(() => {
        running = false;
        if (again) run();
      });
  };
  return {
    now() {
      if (settings) run();
    },
    soon() {
      if (!settings) return;
      if (settings.settleMs <= 0) return run();
      clearTimeout(timer);
      timer = setTimeout(run, settings.settleMs);
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
