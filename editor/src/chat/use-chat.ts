// The chat page's controller: starts or resumes the conversation, follows it (the shared feed
// sends, retries and holds messages), and carries out the buttons. Rendering is in the components.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, api, asEndUser, ok } from '../api/client.js';
import type { LiveConnection } from '../api/live-stream.js';
import { CHAT_SENDING } from '../conversation/feed.js';
import type { ConversationState } from '../conversation/messages.js';
import type { Transcript } from '../conversation/transcript.js';
import { useConversationFeed } from '../conversation/use-conversation-feed.js';
import { parseAvailability, type Availability } from './availability.js';
import type { ChatParams } from './params.js';
import type { WidgetUser } from './protocol.js';
import { browserStorage, clearStoredChat, readStoredChat, writeStoredChat, type StoredChat } from './session-store.js';
import { nextHumanRequest, noHumanRequest, type HumanRequest, type HumanRequestEvent } from './human-request.js';

export type ChatPhase = { kind: 'starting' } | { kind: 'ready' } | { kind: 'unavailable'; message: string; retry: boolean };

interface Started extends StoredChat {
  email?: string;
}

const AVAILABILITY_EVERY_MS = 60_000;
const SENDING = { ...CHAT_SENDING, closedText: 'This chat has ended. Start a new chat to send it.' };

/** One start per bot at a time (React's strict mode runs effects twice in development). */
const starting = new Map<string, Promise<Started>>();

async function start(params: ChatParams, fresh: boolean): Promise<Started> {
  const storage = browserStorage();
  if (fresh) clearStoredChat(storage, params.botId);
  const stored = readStoredChat(storage, params.botId);
  if (stored) {
    try {
      const conversation = await ok(api.GET('/api/conversations/{id}', { params: { path: { id: stored.conversationId } }, headers: asEndUser(stored.token) }));
      // A closed conversation is over: a reload starts a new one.
      if (conversation.status !== 'closed') {
        const known = conversation.user?.email;
        if (params.email && !known) {
          // The page knows the user now (?email=): tell the conversation that started without.
          await ok(api.PUT('/api/conversations/{id}/user', { params: { path: { id: stored.conversationId } }, body: { email: params.email }, headers: asEndUser(stored.token) })).catch(() => undefined);
          return { ...stored, email: params.email.toLowerCase() };
        }
        return { ...stored, ...(known ? { email: known } : {}) };
      }
    } catch (error) {
      // Not there any more (or another token): start afresh. Anything else (offline): keep it,
      // the feed retries.
      if (!(error instanceof ApiError) || ![401, 403, 404].includes(error.status)) return stored;
    }
    clearStoredChat(storage, params.botId);
  }
  const created = await ok(
    api.POST('/api/bots/{botId}/conversations', { params: { path: { botId: params.botId } }, body: params.email ? { user: { email: params.email } } : {} }),
  );
  const chat = { conversationId: created.conversationId, token: created.token };
  writeStoredChat(storage, params.botId, chat);
  return { ...chat, ...(params.email ? { email: params.email } : {}) };
}

function startOnce(params: ChatParams, fresh: boolean): Promise<Started> {
  const key = params.botId;
  const running = starting.get(key);
  if (running && !fresh) return running;
  const promise = start(params, fresh).finally(() => {
    if (starting.get(key) === promise) starting.delete(key);
  });
  starting.set(key, promise);
  return promise;
}

function unavailable(error: unknown): ChatPhase {
  if (error instanceof ApiError) {
    if (error.code === 'not_published' || error.code === 'bot_disabled') return { kind: 'unavailable', message: 'This chat is not available right now. Please come back later.', retry: false };
    if (error.status === 404) return { kind: 'unavailable', message: 'This chat does not exist.', retry: false };
    if (error.status === 403) return { kind: 'unavailable', message: 'This chat cannot be used on this website.', retry: false };
  }
  return { kind: 'unavailable', message: 'We could not connect to the chat. Check your connection and try again.', retry: true };
}

export interface Chat {
  phase: ChatPhase;
  conversationId: string | undefined;
  transcript: Transcript;
  state: ConversationState | undefined;
  availability: Availability | undefined;
  connection: LiveConnection;
  email: string | undefined;
  humanRequest: HumanRequest;
  /** A person handed the chat back to the bot; until the user writes again. */
  backWithBot: boolean;
  messageLeft: boolean;
  /** Who wrote each person's message, where known. */
  authors: ReadonlyMap<string, string>;
  lastSentMs: number | undefined;
  /** The last action that failed, for the user. */
  notice: string | undefined;
  send(text: string): void;
  retry(messageId: string): void;
  requestHuman(): Promise<void>;
  leaveHumans(): Promise<void>;
  leaveMessage(input: { email?: string; text: string }): Promise<void>;
  setUser(user: WidgetUser): Promise<void>;
  restart(): void;
}

export function useChat(params: ChatParams, callbacks: { onReady?(conversationId: string): void; onIncoming?(count: number): void } = {}): Chat {
  const [phase, setPhase] = useState<ChatPhase>({ kind: 'starting' });
  const [chat, setChat] = useState<Started>();
  const [availability, setAvailability] = useState<Availability>();
  const [humanRequest, setHumanRequest] = useState<HumanRequest>(noHumanRequest);
  const [backWithBot, setBackWithBot] = useState(false);
  const [messageLeft, setMessageLeft] = useState(false);
  const [lastSentMs, setLastSentMs] = useState<number>();
  const [notice, setNotice] = useState<string>();
  const [generation, setGeneration] = useState(0);
  const pendingUser = useRef<WidgetUser | undefined>(undefined);
  const chatRef = useRef<Started | undefined>(undefined);
  chatRef.current = chat;
  // Messages do not carry their author: the person who had the conversation when each arrived.
  const [authors, setAuthors] = useState<ReadonlyMap<string, string>>(new Map());
  const assigneeName = useRef<string | undefined>(undefined);
  const agentIds = useRef<string[]>([]);
  const onHumanRequest = useCallback((event: HumanRequestEvent) => setHumanRequest((r) => nextHumanRequest(r, event)), []);
  const cb = useRef(callbacks);
  cb.current = callbacks;

  const feed = useConversationFeed(chat, {
    sending: SENDING,
    onMessages(messages, { history }) {
      const name = assigneeName.current;
      const byAgent = messages.filter((m) => m.role === 'agent');
      agentIds.current.push(...byAgent.map((m) => m.id));
      if (name && byAgent.length) setAuthors((a) => new Map([...a, ...byAgent.map((m) => [m.id, name] as const)]));
      // The history replayed at the start is not news.
      if (history) return;
      const incoming = messages.filter((m) => m.role === 'bot' || m.role === 'agent').length;
      if (incoming) onHumanRequest({ type: 'answered' });
      cb.current.onIncoming?.(incoming);
    },
    onStatus(next, previous) {
      assigneeName.current = next.assigneeName;
      // A reply can arrive in the same beat as the takeover, before the status naming its author.
      const name = next.assigneeName;
      if (name) {
        setAuthors((a) => {
          const unnamed = agentIds.current.filter((id) => !a.has(id));
          return unnamed.length ? new Map([...a, ...unnamed.map((id) => [id, name] as const)]) : a;
        });
      }
      if (previous?.status === 'agent' && next.status === 'bot') setBackWithBot(true);
      else if (next.status !== 'bot') setBackWithBot(false);
      onHumanRequest({ type: 'status', status: next.status });
    },
  });
  const state = useMemo<ConversationState | undefined>(() => (feed.gone ? { status: 'closed' } : feed.conversation), [feed.gone, feed.conversation]);
  const statusRef = useRef<ConversationState['status'] | undefined>(undefined);
  statusRef.current = state?.status;

  const putUser = useCallback(async (current: Started, user: WidgetUser) => {
    await ok(api.PUT('/api/conversations/{id}/user', { params: { path: { id: current.conversationId } }, body: user, headers: asEndUser(current.token) }));
    if (user.email) setChat((c) => (c && c.conversationId === current.conversationId ? { ...c, email: user.email!.toLowerCase() } : c));
  }, []);

  // Start or resume; the feed follows the conversation once it is known.
  useEffect(() => {
    let cancelled = false;
    setPhase({ kind: 'starting' });
    setChat(undefined);
    agentIds.current = [];
    startOnce(params, generation > 0).then(
      (started) => {
        if (cancelled) return;
        setChat(started);
        setPhase({ kind: 'ready' });
        const user = pendingUser.current;
        if (user) {
          pendingUser.current = undefined;
          putUser(started, user).catch(() => setNotice('We could not save your details.'));
        }
        cb.current.onReady?.(started.conversationId);
      },
      (error: unknown) => {
        if (!cancelled) setPhase(unavailable(error));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [params.botId, generation]);

  // Who is there, and when the team is back; again whenever the conversation changes hands.
  const status = state?.status;
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      ok(api.GET('/api/bots/{botId}/availability', { params: { path: { botId: params.botId } } })).then(
        (data) => {
          const parsed = parseAvailability(data);
          if (!cancelled && parsed) setAvailability(parsed);
        },
        () => undefined,
      );
    void load();
    const timer = setInterval(load, AVAILABILITY_EVERY_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [params.botId, status]);

  // A request for a person that nothing answers is one nobody takes (see human-request.ts).
  const asking = humanRequest.phase === 'asking';
  useEffect(() => {
    if (!asking) return;
    const timer = setInterval(() => onHumanRequest({ type: 'tick', nowMs: Date.now() }), 1000);
    return () => clearInterval(timer);
  }, [asking, onHumanRequest]);
  useEffect(() => {
    if (status !== 'queued') setMessageLeft(false);
    // The typing dots are for the bot's answers: not for what was written to a person.
    if (status !== 'bot') setLastSentMs(undefined);
  }, [status]);

  const { send: feedSend, retry: feedRetry, refresh, markClosed } = feed;
  const send = useCallback(
    (raw: string) => {
      if (!chatRef.current || !raw.trim()) return;
      feedSend(raw);
      if (statusRef.current === 'bot') setLastSentMs(Date.now());
      setBackWithBot(false);
      onHumanRequest({ type: 'user_wrote' });
    },
    [feedSend, onHumanRequest],
  );

  const retry = useCallback(
    (messageId: string) => {
      feedRetry(messageId);
      if (statusRef.current === 'bot') setLastSentMs(Date.now());
    },
    [feedRetry],
  );

  const action = useCallback(
    async (path: 'request-human' | 'leave-humans', failure: string) => {
      const current = chatRef.current;
      if (!current) return false;
      setNotice(undefined);
      try {
        await ok(api.POST(`/api/conversations/{id}/${path}`, { params: { path: { id: current.conversationId } }, headers: asEndUser(current.token) }));
        void refresh();
        return true;
      } catch (error) {
        if (error instanceof ApiError && error.code === 'conversation_closed') markClosed();
        else setNotice(failure);
        return false;
      }
    },
    [refresh, markClosed],
  );

  return useMemo<Chat>(
    () => ({
      phase,
      conversationId: chat?.conversationId,
      transcript: feed.transcript,
      state,
      availability,
      connection: feed.connection,
      email: chat?.email,
      humanRequest,
      backWithBot,
      messageLeft,
      authors,
      lastSentMs,
      notice,
      send,
      retry,
      async requestHuman() {
        onHumanRequest({ type: 'asked', nowMs: Date.now() });
        if (!(await action('request-human', 'We could not reach the team. Please try again.'))) onHumanRequest({ type: 'failed' });
      },
      async leaveHumans() {
        await action('leave-humans', 'That did not work. Please try again.');
      },
      async leaveMessage(input) {
        const current = chatRef.current;
        if (!current) return;
        if (input.email && input.email.toLowerCase() !== current.email) await putUser(current, { email: input.email });
        send(input.text);
        setMessageLeft(true);
      },
      async setUser(user) {
        const current = chatRef.current;
        if (!current) {
          pendingUser.current = { ...pendingUser.current, ...user };
          return;
        }
        try {
          await putUser(current, user);
        } catch {
          // The page's setUser is best effort; the conversation goes on.
        }
      },
      restart() {
        setHumanRequest(noHumanRequest);
        setBackWithBot(false);
        setMessageLeft(false);
        setNotice(undefined);
        setGeneration((g) => g + 1);
      },
    }),
    [phase, chat, feed.transcript, feed.connection, state, availability, humanRequest, backWithBot, messageLeft, authors, lastSentMs, notice, send, retry, action, putUser, onHumanRequest],
  );
}
