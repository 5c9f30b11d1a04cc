import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { ConversationEvents } from '../features/conversations/conversation-events.js';

const KEEP_ALIVE_MS = 15_000;

/**
 * A server-sent events stream that re-reads its source whenever `events` says `key` changed, and
 * at least every `pollMs` (the write may have come from a worker in another process). `tick`
 * writes what is new, answering whether it wrote and whether more is waiting already; a comment
 * keeps an idle connection open through proxies.
 */
export function changeStream(
  c: Context,
  options: {
    events: ConversationEvents;
    key: string;
    pollMs: number;
    tick(stream: SSEStreamingApi): Promise<{ wrote: boolean; more?: boolean }>;
  },
): Response {
  return streamSSE(c, async (stream) => {
    let wake: (() => void) | undefined;
    const unsubscribe = options.events.subscribe(options.key, () => wake?.());
    stream.onAbort(() => wake?.());
    try {
      let lastWrite = Date.now();
      while (!stream.aborted) {
        const { wrote, more } = await options.tick(stream);
        if (wrote) lastWrite = Date.now();
        if (more) continue;
        if (Date.now() - lastWrite > KEEP_ALIVE_MS) {
          await stream.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        if (stream.aborted) break;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    } finally {
      unsubscribe();
    }
  });
}
