import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { isOpen, nextOpenAt, serviceHoursSchema } from '../../service-hours/index.js';

const resultSchema = z.object({ open: z.boolean(), nextOpenAt: z.string().nullable() });

export const checkServiceHoursNode = defineNode({
  type: 'check_service_hours',
  version: 1,
  title: 'Check service hours',
  description:
    'Goes to "open" during service hours and to "closed" outside them. Uses the bot\'s calendar (Settings → Service hours) unless you give this node its own. The next opening time is in {{serviceHours.nextOpenAt}}.',
  category: 'logic',
  icon: 'clock',
  config: z
    .object({
      calendar: z
        .enum(['bot', 'custom'])
        .default('bot')
        .meta(ui({ label: 'Calendar', widget: 'select', help: '"bot" follows the bot\'s settings, also when they change later.' })),
      serviceHours: serviceHoursSchema.optional().meta(ui({ label: 'Service hours', visibleWhen: { field: 'calendar', equals: 'custom' } })),
    })
    .superRefine((config, ctx) => {
      if (config.calendar === 'custom' && !config.serviceHours) {
        ctx.addIssue({ code: 'custom', path: ['serviceHours'], message: 'is required when the calendar is custom' });
      }
    }),
  ports: [
    { id: 'open', label: 'Open' },
    { id: 'closed', label: 'Closed' },
  ],
  activity: { input: z.object({}), result: resultSchema, timeoutSeconds: 10, maxAttempts: 3 },
  step: (ctx) => {
    if (ctx.phase === 'result') return decide(ctx.result);
    const hours = ctx.config.serviceHours;
    if (ctx.config.calendar === 'custom' && hours) {
      const now = Date.parse(ctx.now);
      return decide({ open: isOpen(hours, now), nextOpenAt: nextOpenAt(hours, now)?.toISOString() ?? null });
    }
    // The bot's calendar can change while the conversation runs, so it is read when needed.
    return { then: { call: {} } };
  },
  setsVariables: () => ['serviceHours.open', 'serviceHours.nextOpenAt'],
});

function decide(result: z.output<typeof resultSchema>) {
  return {
    set: { 'serviceHours.open': result.open, 'serviceHours.nextOpenAt': result.nextOpenAt },
    then: { go: result.open ? 'open' : 'closed' },
  };
}
