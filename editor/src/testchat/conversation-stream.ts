// A conversation's event stream that survives network drops: on an error it closes the
// EventSource (whose own retry would not survive an error answer) and opens a new one after
// the last cursor, so nothing is lost; the transcript's merge drops anything sent twice.
import { advanceCursor, eventsUrl, parseMessageEvent, parseStatusEvent, reconnectDelayMs, type ChatMessage, type Connection, type StatusEvent } from './transcript.js';

/** The part of the browser's EventSource the stream uses (a test passes its own). */
export interface EventSourceLike {
  addEventListener(type: string, listener: (event: { data?: string; lastEventId?: string }) => void): void;
  close(): void;
}

export interface ConversationStreamOptions {
  conversationId: string;
  token: string;
  /** Start after this cursor (0: from the beginning). */
  after?: number;
  onMessage(message: ChatMessage): void;
  onStatus(status: StatusEvent): void;
  onConnection?(connection: Connection): void;
  createEventSource?: (url: string) => EventSourceLike;
  setTimer?: (callback: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

export interface ConversationStream {
  close(): void;
  /** The cursor of the last message received. */
  readonly cursor: number;
}

export function openConversationStream(options: ConversationStreamOptions): ConversationStream {
  const create = options.createEventSource ?? ((url: string) => new EventSource(url) as unknown as EventSourceLike);
  const setTimer = options.setTimer ?? ((callback: () => void, ms: number) => setTimeout(callback, ms));
  const clearTimer = options.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  let cursor = options.after ?? 0;
  let attempt = 0;
  let closed = false;
  let source: EventSourceLike | undefined;
  let timer: unknown;

  const connect = () => {
    if (closed) return;
    options.onConnection?.(attempt === 0 ? 'connecting' : 'reconnecting');
    const mine = create(eventsUrl(options.conversationId, options.token, cursor));
    source = mine;
    mine.addEventListener('open', () => {
      if (source !== mine) return;
      attempt = 0;
      options.onConnection?.('live');
    });
    mine.addEventListener('message', (event) => {
      if (source !== mine || event.data === undefined) return;
      const message = parseMessageEvent(event.data, event.lastEventId);
      if (!message) return;
      cursor = advanceCursor(cursor, event.lastEventId);
      options.onMessage(message);
    });
    mine.addEventListener('status', (event) => {
      if (source !== mine || event.data === undefined) return;
      const status = parseStatusEvent(event.data);
      if (status) options.onStatus(status);
    });
    mine.addEventListener('error', () => {
      if (source !== mine) return;
      mine.close();
      source = undefined;
      if (closed) return;
      options.onConnection?.('reconnecting');
      timer = setTimer(connect, reconnectDelayMs(attempt++));
    });
  };
  connect();

  return {
    close() {
      closed = true;
      if (timer !== undefined) clearTimer(timer);
      source?.close();
      source = undefined;
    },
    get cursor() {
      return cursor;
    },
  };
}

/**
 * Runs `task` on `trigger()`, never twice at once: triggers that arrive while it runs fold into
 * one more run after it. The test chat re-reads the conversation on every event this way.
 */
export function coalesce(task: () => Promise<void>): { trigger(): void; readonly running: boolean } {
  let running = false;
  let again = false;
  const run = () => {
    running = true;
    again = false;
    task()
      .catch(() => undefined)
      .finally(() => {
        running = false;
        if (again) run();
      });
  };
  return {
    trigger() {
      if (running) again = true;
      else run();
    },
    get running() {
      return running;
    },
  };
}
