import type { z } from 'zod';
import type { StepContext, StepResult } from '../../sdk/step.js';
import type { waitForReplyConfig } from './wait-for-reply.node.js';

export const waitForReplyStep = (ctx: StepContext<z.output<typeof waitForReplyConfig>>): StepResult => {
  if (ctx.phase === 'reply') {
    return {
      set: ctx.config.saveAs ? { [ctx.config.saveAs]: ctx.reply.text } : {},
      then: { go: 'replied' },
    };
  }
  return { then: { wait: { timeoutSeconds: ctx.config.timeoutSeconds, timeoutPort: 'timeout' } } };
};
