import { implementActivity } from '../../sdk/implement-activity.js';
import { NodeError } from '../../sdk/activity.js';
import { endNode } from './end.node.js';

export const endActivity = implementActivity(endNode, async (input, ctx) => {
  const body = JSON.stringify({ conversationId: ctx.conversation.id, botId: ctx.conversation.botId, ...input.record });
  const lastAttempt = ctx.attempt >= (endNode.activity?.maxAttempts ?? 1);
  try {
    const response = await ctx.http.request({
      method: 'POST',
      url: input.url,
      headers: { 'content-type': 'application/json', 'idempotency-key': `${ctx.conversation.id}:end` },
      body,
      timeoutMs: 10_000,
      signal: ctx.signal,
    });
    if (response.status >= 200 && response.status < 300) return { delivered: true, status: response.status };
    if ((response.status === 429 || response.status >= 500) && !lastAttempt) {
      throw new NodeError('record_not_accepted', `the record URL answered ${response.status}`, { retryable: true });
    }
    ctx.log.warn('end-of-conversation record refused', { status: response.status });
    return { delivered: false, status: response.status };
  } catch (error) {
    // The conversation ends either way; a lost record must not turn into an error message.
    if (lastAttempt || (error instanceof NodeError && !error.retryable)) {
      ctx.log.warn('end-of-conversation record not delivered', { error: String(error) });
      return { delivered: false };
    }
    throw error;
  }
});
