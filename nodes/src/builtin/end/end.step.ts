import type { z } from 'zod';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { renderTemplate } from '../../sdk/templates.js';
import type { endActivityInput, endConfig } from './end.node.js';

export const endStep = (ctx: StepContext<z.output<typeof endConfig>, unknown>): StepResult<z.input<typeof endActivityInput>> => {
  const { config, vars } = ctx;
  const say = config.message.trim() ? [renderTemplate(config.message, vars)] : [];
  if (ctx.phase === 'enter' && config.recordUrl) {
    return { say, then: { call: { url: config.recordUrl, record: { endedAt: ctx.now, nodeId: ctx.nodeId, variables: { ...vars } } } } };
  }
  return { say: ctx.phase === 'enter' ? say : [], then: { end: true } };
};
