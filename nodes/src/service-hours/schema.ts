import { z } from 'zod';
import { MAX_SERVICE_HOURS_RULES, WEEKDAYS, isValidLocalDate, isValidTimeZone } from './days.js';

export { MAX_SERVICE_HOURS_RULES, WEEKDAYS, isValidLocalDate, isValidTimeZone } from './days.js';
export type { Weekday } from './days.js';

const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;

const startTimeSchema = z
  .string()
  .regex(TIME_PATTERN, { error: 'expected a time "HH:MM" between 00:00 and 23:59' });

// "24:00" lets a window run to the end of its day without pretending to cross midnight.
const endTimeSchema = z
  .string()
  .refine((value) => value === '24:00' || TIME_PATTERN.test(value), {
    error: 'expected a time "HH:MM" between 00:00 and 24:00',
  });

// An empty window is almost certainly a typo, and reading it as "open 24 hours"
// would silently open the bot all day; "00:00"–"24:00" says that explicitly.
function rejectEmptyWindow(
  window: { start?: string | undefined; end?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (window.start !== undefined && window.start === window.end) {
    ctx.addIssue({
      code: 'custom',
      path: ['end'],
      message: `end must differ from start (${window.start}); use "00:00"–"24:00" for a whole day`,
    });
  }
}

export const weeklyRuleSchema = z
  .object({
    kind: z.literal('weekly'),
    days: z
      .array(z.enum(WEEKDAYS))
      .min(1, { error: 'pick at least one day' })
      .superRefine((days, ctx) => {
        days.forEach((day, index) => {
          if (days.indexOf(day) !== index) {
            ctx.addIssue({ code: 'custom', path: [index], message: `duplicate day "${day}" in days` });
          }
        });
      }),
    start: startTimeSchema,
    end: endTimeSchema,
  })
  .superRefine(rejectEmptyWindow);

/**
 * A one-off date. Without `closed` it adds its window to that date; with
 * `closed: true` the whole date is closed and `start`/`end` may be omitted.
 */
export const dateRuleSchema = z
  .object({
    kind: z.literal('date'),
    date: z.string().refine(isValidLocalDate, { error: 'expected a real calendar date "YYYY-MM-DD"' }),
    start: startTimeSchema.optional(),
    end: endTimeSchema.optional(),
    closed: z.boolean().optional(),
  })
  .superRefine((rule, ctx) => {
    if (rule.closed) return;
    for (const field of ['start', 'end'] as const) {
      if (rule[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `${field} is required unless the date is closed` });
      }
    }
    rejectEmptyWindow(rule, ctx);
  });

export const serviceHoursRuleSchema = z.discriminatedUnion('kind', [weeklyRuleSchema, dateRuleSchema]);

/**
 * A bot's service-hours calendar.
 * @example
 * serviceHoursSchema.parse({
 *   timezone: 'Asia/Shanghai',
 *   rules: [{ kind: 'weekly', days: ['mon', 'tue'], start: '09:00', end: '12:00' }],
 * });
 */
export const serviceHoursSchema = z.object({
  timezone: z.string().refine(isValidTimeZone, {
    error: (issue) => `unknown time zone "${String(issue.input)}"; expected an IANA name like "Asia/Shanghai"`,
  }),
  rules: z.array(serviceHoursRuleSchema).max(MAX_SERVICE_HOURS_RULES, { error: 'at most 10 rules' }),
});

export type ServiceHours = z.infer<typeof serviceHoursSchema>;
export type ServiceHoursRule = z.infer<typeof serviceHoursRuleSchema>;
export type WeeklyRule = z.infer<typeof weeklyRuleSchema>;
export type DateRule = z.infer<typeof dateRuleSchema>;
