import { implementActivity } from '../../sdk/implement-activity.js';
import { isOpen, nextOpenAt } from '../../service-hours/index.js';
import { checkServiceHoursNode } from './check-service-hours.node.js';

export const checkServiceHoursActivity = implementActivity(checkServiceHoursNode, async (_input, ctx) => {
  const hours = await ctx.bot.serviceHours();
  // A bot without a calendar is always open.
  if (!hours) return { open: true, nextOpenAt: null };
  const now = Date.now();
  return { open: isOpen(hours, now), nextOpenAt: nextOpenAt(hours, now)?.toISOString() ?? null };
});
