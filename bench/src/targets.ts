import { call, openConversation, transcript, type Conversation } from './api.js';
import { FLOOR_REPLY } from './floor/workflow.js';
import { GREETING, llmAnswer } from './flows.js';
import { sleep } from './processes.js';

/** Something that answers chat messages over HTTP: Baton, or the floor. Driven the same way. */
export interface Target {
  /** `baseline`: Baton from another checkout (`pnpm bench --baseline=<dir>`), e.g. the code before a change. */
  name: 'baton' | 'floor' | 'floorActivity' | 'baseline';
  url: string;
  /** A new conversation, ready for its first message (Baton: greeted). */
  open(): Promise<Conversation>;
  messagesPath(conversation: Conversation): string;
  bearer(conversation: Conversation): string | undefined;
  /** The replies this target must give to `text`. */
  expected(text: string): string[];
  /** Temporal workflow id of a conversation (for its history). */
  workflowId(conversation: Conversation): string;
}

export function batonTarget(url: string, botId: string, name: 'baton' | 'baseline' = 'baton'): Target {
  return {
    name,
    url,
    async open() {
      const conversation = await openConversation(url, botId);
      // The first workflow task (load the flow, greet, arm the wait) finishes before the first message.
      const deadline = Date.now() + 10_000;
      while (!(await transcript(url, conversation)).some((m) => m.role === 'bot' && m.text === GREETING)) {
        if (Date.now() > deadline) throw new Error(`conversation ${conversation.id} was not greeted within 10 s`);
        await sleep(10);
      }
      return conversation;
    },
    messagesPath: (c) => `/api/conversations/${c.id}/messages`,
    bearer: (c) => c.token,
    expected: (text) => [llmAnswer(text)],
    workflowId: (c) => `conversation-${c.id}`,
  };
}

/** The bare floor (a fixed reply), or with `withActivity` the floor whose reply comes from one activity asking the fake LLM. */
export function floorTarget(url: string, withActivity = false): Target {
  const prefix = withActivity ? '/with-activity' : '';
  return {
    name: withActivity ? 'floorActivity' : 'floor',
    url,
    async open() {
      const opened = await call(url, 'POST', `${prefix}/conversations`, {});
      if (opened.status !== 201) throw new Error(`floor: could not open a conversation: HTTP ${opened.status}`);
      // Its first workflow task (register the handler) is done almost at once.
      await sleep(20);
      return { id: String(opened.body.conversationId), token: '' };
    },
    messagesPath: (c) => `${prefix}/conversations/${c.id}/messages`,
    bearer: () => undefined,
    expected: (text) => (withActivity ? [llmAnswer(text)] : [FLOOR_REPLY]),
    workflowId: (c) => `floor${prefix.replace('/', '-')}-${c.id}`,
  };
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await fn(items[i]!, i);
      }
    }),
  );
  return results;
}
