import type { z } from 'zod';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { renderTemplate } from '../../sdk/templates.js';
import { handoffRequest } from '../handoff-request.js';
import type { assignToUserConfig } from './assign-to-user.node.js';

export const assignToUserStep = (ctx: StepContext<z.output<typeof assignToUserConfig>>): StepResult => {
  const { config, vars } = ctx;
  if (ctx.phase === 'handoff_ended') {
    if (ctx.outcome === 'off_hours') return { say: [renderTemplate(config.offHoursMessage, vars)], then: { go: 'off_hours' } };
    return { then: { go: ctx.outcome === 'resolved' ? 'resolved' : 'no_agent' } };
  }
  const target = {
    kind: 'inbox',
    assignTo: config.assignTo,
    ...(config.userId ? { userId: config.userId } : {}),
    ...(config.teamId ? { teamId: config.teamId } : {}),
    rerouteAfterSeconds: config.rerouteAfterSeconds,
  };
  return { then: { handoff: handoffRequest(target, config) } };
};
