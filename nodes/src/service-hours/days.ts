// The zod-free parts of the calendar's language: the workflow sandbox evaluates `calendar.ts`,
// which needs these, and must not load zod (see nodes/src/runtime.ts).

/** Days of the week in the order the editor lists them (ISO order, Monday first). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const MAX_SERVICE_HOURS_RULES = 10;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `zone` is an IANA time zone this runtime's Intl knows. */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** True for a "YYYY-MM-DD" string naming a day that exists (rejects 2026-02-30). */
export function isValidLocalDate(date: string): boolean {
  const match = DATE_PATTERN.exec(date);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
