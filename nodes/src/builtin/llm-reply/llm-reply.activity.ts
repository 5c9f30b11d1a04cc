import { NodeError, type LlmMessage } from '../../sdk/activity.js';
import { implementActivity } from '../../sdk/implement-activity.js';
import { llmReplyNode } from './llm-reply.node.js';

/** The tool the model calls to hand the conversation to a human. */
export const HANDOFF_TOOL = 'handoff_to_human';

export const llmReplyActivity = implementActivity(llmReplyNode, async (input, ctx) => {
  const messages: LlmMessage[] = input.history.map((entry) => ({
    role: entry.role === 'user' ? 'user' : 'assistant',
    content: entry.text,
  }));
  const tools = input.escalationHint
    ? [
        {
          name: HANDOFF_TOOL,
          description: `Hand the conversation over to a human agent. Use it when: ${input.escalationHint}`,
          parameters: {
            type: 'object',
            properties: { reason: { type: 'string', description: 'Why a human is needed, in one sentence.' } },
            required: ['reason'],
            additionalProperties: false,
          },
        },
      ]
    : [];
  const response = await ctx.llm.complete({
    ...(input.model ? { model: input.model } : {}),
    system: input.instructions,
    messages,
    tools,
    ...(input.temperature === undefined ? {} : { temperature: input.temperature }),
    signal: ctx.signal,
  });
  const handoff = response.toolCalls.find((call) => call.name === HANDOFF_TOOL);
  if (handoff) {
    const reason = handoff.arguments['reason'];
    return { text: response.text, escalate: true, ...(typeof reason === 'string' ? { reason } : {}) };
  }
  if (response.text.trim() === '') {
    throw new NodeError('empty_completion', 'The model returned an empty answer', { retryable: true });
  }
  return { text: response.text, escalate: false };
});
