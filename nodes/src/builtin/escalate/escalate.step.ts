import type { z } from 'zod';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { renderTemplate } from '../../sdk/templates.js';
import { handoffRequest } from '../handoff-request.js';
import type { escalateConfig } from './escalate.node.js';

export const escalateStep = (ctx: StepContext<z.output<typeof escalateConfig>>): StepResult => {
  const { config, vars } = ctx;
  if (ctx.phase === 'handoff_ended') {
    if (ctx.outcome === 'off_hours') return { say: [renderTemplate(config.offHoursMessage, vars)], then: { go: 'off_hours' } };
    return { then: { go: ctx.outcome } };
  }
  return { then: { handoff: handoffRequest({ kind: 'desk', provider: config.provider }, config) } };
};
