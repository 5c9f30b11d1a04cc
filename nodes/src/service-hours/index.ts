export {
  WEEKDAYS,
  MAX_SERVICE_HOURS_RULES,
  TIME_ZONE_FORMAT,
  serviceHoursSchema,
  serviceHoursRuleSchema,
  weeklyRuleSchema,
  dateRuleSchema,
  isValidTimeZone,
  isValidLocalDate,
} from './schema.js';
export type { Weekday, ServiceHours, ServiceHoursRule, WeeklyRule, DateRule } from './schema.js';
export { effectiveWindows, isOpen, nextOpenAt, nextCloseAt, weekPreview, localDateAt } from './calendar.js';
export type { ServiceWindow, DayPreview } from './calendar.js';
