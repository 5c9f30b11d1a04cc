// A server-sent events stream of the API that survives network drops: on an error it closes the
// EventSource and opens a new one itself (at the address `url()` gives then: a conversation's
// carries its cursor, so nothing is lost), with backoff, and reads by plain HTTP instead when
// streaming keeps failing (a proxy that buffers or cuts it). The decisions are in live-policy.ts.
// The one reconnect loop of the editor: conversations (conversation/feed.ts) and the inbox use it.
import { ApiError } from './client.js';
import { initialLiveState, nextLiveStep, type LiveAction, type LiveInput } from './live-policy.js';

export type LiveConnection = 'connecting' | 'live' | 'reconnecting' | 'polling';

export interface LiveStreamOptions {
  /** The stream's address, asked again at each reconnect. */
  url(): string;
  /** Handlers of the stream's named events, with the event's data and id. Any of them shows the stream works. */
  on: Record<string, (data: string, id: string) => void>;
  /** Reads by plain HTTP what the stream would have brought; resolves true when more is waiting already. */
  poll(): Promise<boolean>;
  onConnection?(connection: LiveConnection): void;
  /** A read was refused (401, 403, 404): what the stream follows is gone, or no longer ours. The stream stops. */
  onGone?(): void;
}

export interface LiveStream {
  /** Reads what is new now, unless the stream is delivering (after an action whose effect should show at once). */
  refresh(): Promise<void>;
  close(): void;
}

/** No first event this long after opening the stream counts as a failure (the server sends one at once). */
export const CONNECT_TIMEOUT_MS = 10_000;

const isGone = (error: unknown) => error instanceof ApiError && [401, 403, 404].includes(error.status);

export function openLiveStream(options: LiveStreamOptions): LiveStream {
  let policy = initialLiveState;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let connectTimer: ReturnType<typeof setTimeout> | undefined;
  let healthy = false;
  let closed = false;
  let polling = false;

  const step = (input: LiveInput) => {
    const wasPollingFine = policy.mode === 'polling' && policy.pollFailures === 0;
    const next = nextLiveStep(policy, input, Math.random());
    policy = next.state;
    if (closed) return;
    // Polling that works is a working connection, only slower; a failed retry of the stream
    // while polling works changes nothing for the user.
    const working = input === 'poll_done' || (input === 'stream_error' && wasPollingFine);
    options.onConnection?.(input === 'stream_event' ? 'live' : working ? 'polling' : 'reconnecting');
    schedule(next.action);
  };

  const schedule = (action: LiveAction) => {
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
    const es = new EventSource(options.url());
    source = es;
    const failed = () => {
      if (source !== es) return;
      stopStream();
      step('stream_error');
    };
    connectTimer = setTimeout(failed, CONNECT_TIMEOUT_MS);
    for (const [name, handle] of Object.entries(options.on)) {
      es.addEventListener(name, (event) => {
        if (source !== es) return;
        if (!healthy) {
          healthy = true;
          clearTimeout(connectTimer);
          step('stream_event');
        }
        const { data, lastEventId } = event as MessageEvent<unknown>;
        handle(typeof data === 'string' ? data : '', lastEventId ?? '');
      });
    }
    // The browser would retry on its own, from its own idea of where it was; we retry ourselves
    // from our cursor, with backoff, and switch to polling when streaming keeps failing.
    es.addEventListener('error', failed);
  };

  const poll = async () => {
    if (closed || polling) return;
    polling = true;
    try {
      const more = await options.poll();
      if (closed) return;
      if (more) return schedule({ kind: 'poll', delayMs: 0 });
      step('poll_done');
    } catch (error) {
      if (closed) return;
      if (isGone(error)) {
        close();
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

  const close = () => {
    closed = true;
    clearTimeout(timer);
    stopStream();
    window.removeEventListener('online', online);
  };

  window.addEventListener('online', online);
  options.onConnection?.('connecting');
  stream();

  return {
    async refresh() {
      if (closed || healthy) return;
      try {
        await options.poll();
      } catch {
        // The regular retries will catch up.
      }
    },
    close,
  };
}
