import { z } from 'zod';
import { MAX_SERVICE_HOURS_RULES, WEEKDAYS, isValidTimeZone } from './days.js';

export { MAX_SERVICE_HOURS_RULES, WEEKDAYS, isValidLocalDate, isValidTimeZone } from './days.js';
export type { Weekday } from './days.js';

/** The JSON Schema `format` of a time zone: an IANA name this runtime's Intl knows. */
export const TIME_ZONE_FORMAT = 'iana-time-zone';

const TIME_PATTERN = /^([01]\d|2[0-3]):[0-5]\d$/;
const END_TIME_PATTERN = /^(?:([01]\d|2[0-3]):[0-5]\d|24:00)$/;

const startTimeSchema = z
  .string()
  .regex(TIME_PATTERN, { error: 'expected a time "HH:MM" between 00:00 and 23:59' });

// "24:00" lets a window run to the end of its day without pretending to cross midnight.
const endTimeSchema = z
  .string()
  .regex(END_TIME_PATTERN, { error: 'expected a time "HH:MM" between 00:00 and 24:00' });

// Every rule below is written so that its JSON Schema says all it checks (the HTTP API's
// document is held to the server by a fuzzer): no refinement that JSON Schema cannot express.
export const weeklyRuleSchema = z.object({
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
    })
    .meta({ uniqueItems: true }),
  start: startTimeSchema,
  /**
   * Exclusive. Below `start`: the window crosses midnight. Equal to `start`: an empty window
   * that never opens (a whole day is "00:00"–"24:00").
   */
  end: endTimeSchema,
});

/**
 * A one-off date. Without `closed` it adds its window to that date (`start` and `end` are then
 * required); with `closed: true` the whole date is closed and `start`/`end` may be omitted.
 */
export const dateRuleSchema = z
  .object({
    kind: z.literal('date'),
    date: z.iso.date({ error: 'expected a real calendar date "YYYY-MM-DD"' }),
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
  })
  .meta({ anyOf: [{ required: ['closed'], properties: { closed: { const: true } } }, { required: ['start', 'end'] }] });

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
  // `format` names the check for the document's readers (no regex can say which zones exist).
  timezone: z
    .string()
    .refine(isValidTimeZone, {
      error: (issue) => `unknown time zone "${String(issue.input)}"; expected an IANA name like "Asia/Shanghai"`,
    })
    .meta({ format: TIME_ZONE_FORMAT }),
  rules: z.array(serviceHoursRuleSchema).max(MAX_SERVICE_HOURS_RULES, { error: 'at most 10 rules' }),
});

export type ServiceHours = z.infer<typeof serviceHoursSchema>;
export type ServiceHoursRule = z.infer<typeof serviceHoursRuleSchema>;
export type WeeklyRule = z.infer<typeof weeklyRuleSchema>;
export type DateRule = z.infer<typeof dateRuleSchema>;
