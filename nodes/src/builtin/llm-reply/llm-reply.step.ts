import type { z } from 'zod';
import type { HistoryEntry, StepContext, StepResult } from '../../sdk/step.js';
import { renderTemplate } from '../../sdk/templates.js';
import type { llmReplyConfig, llmReplyInput, llmReplyResult } from './llm-reply.node.js';

export const llmReplyStep = (
  ctx: StepContext<z.output<typeof llmReplyConfig>, z.output<typeof llmReplyResult>>,
): StepResult<z.input<typeof llmReplyInput>> => {
  if (ctx.phase === 'result') {
    const { text, escalate } = ctx.result;
    return {
      say: text.trim() ? [text.trim()] : [],
      set: ctx.config.saveAs ? { [ctx.config.saveAs]: text } : {},
      then: { go: escalate ? 'escalate' : 'next' },
    };
  }
  return {
    then: {
      call: {
        model: ctx.config.model,
        instructions: renderTemplate(ctx.config.instructions, ctx.vars),
        escalationHint: renderTemplate(ctx.config.escalationHint, ctx.vars),
        ...(ctx.config.temperature === undefined ? {} : { temperature: ctx.config.temperature }),
        history: lastRounds(ctx.history, ctx.config.historyRounds),
      },
    },
  };
};

/**
 * The latest user turn plus the `rounds` exchanges before it. A round starts at a user message.
 *
 * @example
 * lastRounds([{ role: 'user', text: 'a' }, { role: 'bot', text: 'b' }, { role: 'user', text: 'c' }], 0)
 * // [{ role: 'user', text: 'c' }]
 */
export function lastRounds(history: readonly HistoryEntry[], rounds: number): HistoryEntry[] {
  let seenUserTurns = 0;
  for (let i = history.length - 1; i >= 0; i--) {
    if (history[i]!.role === 'user' && ++seenUserTurns > rounds) return history.slice(i);
  }
  return [...history];
}
