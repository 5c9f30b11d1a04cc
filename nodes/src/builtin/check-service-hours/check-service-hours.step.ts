import type { z } from 'zod';
import type { StepContext, StepResult } from '../../sdk/step.js';
import { isOpen, nextOpenAt } from '../../service-hours/calendar.js';
import type { checkServiceHoursConfig, checkServiceHoursResult } from './check-service-hours.node.js';

type Decision = z.output<typeof checkServiceHoursResult>;

export const checkServiceHoursStep = (
  ctx: StepContext<z.output<typeof checkServiceHoursConfig>, Decision>,
): StepResult<Record<string, never>> => {
  if (ctx.phase === 'result') return decide(ctx.result);
  const hours = ctx.config.serviceHours;
  if (ctx.config.calendar === 'custom' && hours) {
    const now = Date.parse(ctx.now);
    return decide({ open: isOpen(hours, now), nextOpenAt: nextOpenAt(hours, now)?.toISOString() ?? null });
  }
  // The bot's calendar can change while the conversation runs, so it is read when needed.
  return { then: { call: {} } };
};

function decide(result: Decision): StepResult<Record<string, never>> {
  return {
    set: { 'serviceHours.open': result.open, 'serviceHours.nextOpenAt': result.nextOpenAt },
    then: { go: result.open ? 'open' : 'closed' },
  };
}
