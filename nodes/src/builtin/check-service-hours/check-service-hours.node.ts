import { z } from 'zod';
import { defineNode } from '../../sdk/define-node.js';
import { ui } from '../../sdk/ui.js';
import { serviceHoursSchema } from '../../service-hours/index.js';
import { checkServiceHoursStep } from './check-service-hours.step.js';

export const checkServiceHoursResult = z.object({ open: z.boolean(), nextOpenAt: z.string().nullable() });

export const checkServiceHoursConfig = z
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
  });

export const checkServiceHoursNode = defineNode({
  type: 'check_service_hours',
  version: 1,
  title: 'Check service hours',
  description:
    'Goes to "open" during service hours and to "closed" outside them. Uses the bot\'s calendar (Settings → Service hours) unless you give this node its own. The next opening time is in {{serviceHours.nextOpenAt}}.',
  category: 'logic',
  icon: 'clock',
  config: checkServiceHoursConfig,
  ports: [
    { id: 'open', label: 'Open' },
    { id: 'closed', label: 'Closed' },
  ],
  activity: { input: z.object({}), result: checkServiceHoursResult, timeoutSeconds: 10, maxAttempts: 3 },
  step: checkServiceHoursStep,
  setsVariables: () => ['serviceHours.open', 'serviceHours.nextOpenAt'],
});
