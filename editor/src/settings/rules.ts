// Service-hour rules as the form edits them, and the preview the screen computes as you type.
import {
  MAX_SERVICE_HOURS_RULES,
  WEEKDAYS,
  isOpen,
  isValidTimeZone,
  localDateAt,
  nextOpenAt,
  serviceHoursRuleSchema,
  weekPreview,
  type DayPreview,
  type ServiceHours,
  type ServiceHoursRule,
  type Weekday,
} from '@baton/nodes';

export { MAX_SERVICE_HOURS_RULES, WEEKDAYS };
export type { Weekday };

/**
 * One rule in the form. Both kinds' fields are kept, so switching the kind back and forth
 * loses nothing; `key` identifies the row for React while rules are added and removed.
 */
export interface RuleForm {
  key: string;
  kind: 'weekly' | 'date';
  days: Weekday[];
  date: string;
  start: string;
  end: string;
  /** One-off only: the whole date is closed. */
  closed: boolean;
}

export const WEEKDAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** The end a window gets when it runs to midnight. */
export const END_OF_DAY = '24:00';

let counter = 0;
export function ruleKey(): string {
  counter += 1;
  return `rule-${counter}`;
}

export function newRule(kind: 'weekly' | 'date', today: string, key = ruleKey()): RuleForm {
  return kind === 'weekly'
    ? { key, kind, days: ['mon', 'tue', 'wed', 'thu', 'fri'], date: today, start: '09:00', end: '17:00', closed: false }
    : { key, kind, days: [], date: today, start: '09:00', end: '17:00', closed: true };
}

export function ruleFromDocument(rule: ServiceHoursRule, key = ruleKey()): RuleForm {
  if (rule.kind === 'weekly') return { key, kind: 'weekly', days: [...rule.days], date: '', start: rule.start, end: rule.end, closed: false };
  return { key, kind: 'date', days: [], date: rule.date, start: rule.start ?? '', end: rule.end ?? '', closed: rule.closed === true };
}

/** The rule as the settings document holds it: only the fields of its kind. */
export function ruleToDocument(rule: RuleForm): ServiceHoursRule {
  if (rule.kind === 'weekly') return { kind: 'weekly', days: WEEKDAYS.filter((d) => rule.days.includes(d)), start: rule.start, end: rule.end };
  if (rule.closed) return { kind: 'date', date: rule.date, closed: true };
  return { kind: 'date', date: rule.date, start: rule.start, end: rule.end };
}

/** Adds or removes a day, keeping the week's order. */
export function toggleDay(rule: RuleForm, day: Weekday): RuleForm {
  const days = rule.days.includes(day) ? rule.days.filter((d) => d !== day) : [...rule.days, day];
  return { ...rule, days: WEEKDAYS.filter((d) => days.includes(d)) };
}

export function canAddRule(rules: readonly RuleForm[]): boolean {
  return rules.length < MAX_SERVICE_HOURS_RULES;
}

export function addRule(rules: readonly RuleForm[], rule: RuleForm): RuleForm[] {
  return canAddRule(rules) ? [...rules, rule] : [...rules];
}

export function updateRule(rules: readonly RuleForm[], index: number, change: Partial<Omit<RuleForm, 'key'>>): RuleForm[] {
  return rules.map((rule, i) => (i === index ? { ...rule, ...change } : rule));
}

export function removeRule(rules: readonly RuleForm[], index: number): RuleForm[] {
  return rules.filter((_, i) => i !== index);
}

/** Moves a rule up (-1) or down (+1); order does not change the calendar but helps reading it. */
export function moveRule(rules: readonly RuleForm[], index: number, delta: -1 | 1): RuleForm[] {
  const target = index + delta;
  if (target < 0 || target >= rules.length) return [...rules];
  const next = [...rules];
  [next[index], next[target]] = [next[target]!, next[index]!];
  return next;
}

/** One line describing a rule, for its heading: "Mon–Fri 09:00–17:00", "2026-12-25 closed". */
export function describeRule(rule: RuleForm): string {
  const window = `${rule.start || '?'}–${rule.end === END_OF_DAY ? 'midnight' : rule.end || '?'}`;
  if (rule.kind === 'date') return `${rule.date || 'no date'} ${rule.closed ? 'closed all day' : window}`;
  return `${describeDays(rule.days)} ${window}`;
}

/** "Mon–Fri", "Mon, Wed, Sat–Sun", "no days". */
export function describeDays(days: readonly Weekday[]): string {
  const indexes = WEEKDAYS.map((d, i) => (days.includes(d) ? i : -1)).filter((i) => i >= 0);
  if (indexes.length === 0) return 'no days';
  if (indexes.length === 7) return 'Every day';
  const short = (i: number) => WEEKDAY_NAMES[WEEKDAYS[i]!].slice(0, 3);
  const runs: string[] = [];
  let start = indexes[0]!;
  let previous = start;
  for (const i of [...indexes.slice(1), -2]) {
    if (i === previous + 1) {
      previous = i;
      continue;
    }
    runs.push(start === previous ? short(start) : previous === start + 1 ? `${short(start)}, ${short(previous)}` : `${short(start)}–${short(previous)}`);
    start = previous = i;
  }
  return runs.join(', ');
}

export interface Preview {
  /** The coming week, day by day, after merging every valid rule. */
  days: DayPreview[];
  /** Rules left out of the preview because they are not complete yet, with why. */
  skipped: { index: number; message: string }[];
  open: boolean;
  nextOpenAt: Date | null;
  /** The local date (in the bot's zone) the preview starts on. */
  today: string;
}

/**
 * The preview of the coming week, computed in the browser as the rules are edited. Rules that
 * do not validate yet are left out (and listed), so a half-typed rule does not hide the rest.
 * Null when the time zone is unknown.
 */
export function previewOf(timezone: string, rules: readonly RuleForm[], now: Date): Preview | null {
  if (!timezone || !isValidTimeZone(timezone)) return null;
  const valid: ServiceHoursRule[] = [];
  const skipped: Preview['skipped'] = [];
  rules.forEach((rule, index) => {
    const parsed = serviceHoursRuleSchema.safeParse(ruleToDocument(rule));
    // Valid (the server takes it), but almost certainly a typo: say so rather than show a closed day.
    if (parsed.success && !(rule.kind === 'date' && rule.closed) && rule.start === rule.end) {
      skipped.push({ index, message: `end: the window ends when it starts (${rule.start}), so it never opens; a whole day is 00:00–24:00` });
    } else if (parsed.success) valid.push(parsed.data);
    else {
      const issue = parsed.error.issues[0]!;
      const where = issue.path.length ? `${issue.path.map(String).join('.')}: ` : '';
      skipped.push({ index, message: `${where}${issue.message}` });
    }
  });
  const hours: ServiceHours = { timezone, rules: valid };
  const today = localDateAt(timezone, now);
  return { days: weekPreview(hours, today), skipped, open: isOpen(hours, now), nextOpenAt: nextOpenAt(hours, now), today };
}

/** "Mon 8 Dec, 09:00" in the given zone. */
export function formatInZone(at: Date, timeZone: string, locale?: string): string {
  return new Intl.DateTimeFormat(locale ?? 'en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);
}

/** "Open now" or "Closed now · opens Mon 8 Dec, 09:00 (Asia/Shanghai)". */
export function openStateText(preview: Pick<Preview, 'open' | 'nextOpenAt'>, timezone: string, locale?: string): string {
  if (preview.open) return 'Open now';
  if (!preview.nextOpenAt) return 'Closed now · no opening in the coming year';
  return `Closed now · opens next ${formatInZone(preview.nextOpenAt, timezone, locale)} (${timezone})`;
}

/** "09:00–12:00, 13:00–18:00" or "Closed". */
export function describeWindows(day: DayPreview): string {
  if (day.windows.length === 0) return 'Closed';
  return day.windows.map((w) => (w.start === '00:00' && w.end === END_OF_DAY ? 'All day' : `${w.start}–${w.end === END_OF_DAY ? '24:00' : w.end}`)).join(', ');
}
