import { WEEKDAYS, isValidLocalDate, type Weekday } from './days.js';
import type { ServiceHours } from './schema.js';

/** An opening window of one local day; `end` is exclusive and may be "24:00". */
export interface ServiceWindow {
  start: string;
  end: string;
}

export interface DayPreview {
  date: string;
  weekday: Weekday;
  windows: ServiceWindow[];
}

const SECOND_MS = 1_000;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const MINUTES_PER_DAY = 1_440;
const SEARCH_HORIZON_DAYS = 366;

/** Minutes since local midnight; `end` may be below `start` for a rule crossing midnight. */
interface MinuteWindow {
  start: number;
  end: number;
}

interface InstantWindow {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------
// Local calendar days are handled as day numbers (days since 1970-01-01), and
// wall-clock times as "wall ms": the epoch ms the wall clock would be in UTC.

function dayNumberOf(year: number, month: number, day: number): number {
  // setUTCFullYear, unlike Date.UTC, does not map years 0–99 to 1900–1999.
  return new Date(0).setUTCFullYear(year, month - 1, day) / DAY_MS;
}

function parseLocalDate(date: string): number {
  if (!isValidLocalDate(date)) throw new RangeError(`expected a local date "YYYY-MM-DD", got "${date}"`);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  return dayNumberOf(year, month, day);
}

function formatLocalDate(dayNumber: number): string {
  const midnight = new Date(dayNumber * DAY_MS);
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(midnight.getUTCFullYear(), 4)}-${pad(midnight.getUTCMonth() + 1, 2)}-${pad(midnight.getUTCDate(), 2)}`;
}

function weekdayOf(dayNumber: number): Weekday {
  // Day 0, 1970-01-01, was a Thursday: index 3 in the Monday-first list.
  return WEEKDAYS[(((dayNumber + 3) % 7) + 7) % 7]!;
}

function parseTime(time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  return hours * 60 + minutes;
}

function formatTime(minutes: number): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function toEpochMs(at: Date | number): number {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('expected a valid instant');
  return ms;
}

// ---------------------------------------------------------------------------
// Time-zone arithmetic. Formatters are expensive to build and hold no state
// beyond their zone, so they are shared across all calls.

const formattersByZone = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formattersByZone.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formattersByZone.set(timeZone, formatter);
  }
  return formatter;
}

function wallClockAt(timeZone: string, instant: number): number {
  const wholeSecond = instant - (((instant % SECOND_MS) + SECOND_MS) % SECOND_MS);
  const parts = formatterFor(timeZone).formatToParts(wholeSecond);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const day = dayNumberOf(part('year'), part('month'), part('day'));
  // Some ICU versions still print midnight as "24" despite h23.
  const secondOfDay = (part('hour') % 24) * 3_600 + part('minute') * 60 + part('second');
  return day * DAY_MS + secondOfDay * SECOND_MS + (instant - wholeSecond);
}

function offsetAt(timeZone: string, instant: number): number {
  return wallClockAt(timeZone, instant) - instant;
}

function localDayAt(timeZone: string, instant: number): number {
  return Math.floor(wallClockAt(timeZone, instant) / DAY_MS);
}

/**
 * The instant a wall-clock time occurs. In a fall-back overlap the earlier
 * instant wins; a time skipped by a spring-forward gap maps to the first
 * instant after the gap (the transition itself), so a window that "starts at
 * 02:30" opens when the clocks show 03:00.
 */
function wallClockToInstant(timeZone: string, wall: number): number {
  // Assumes at most one offset change within a day of `wall`, true of every real zone today.
  const offsetBefore = offsetAt(timeZone, wall - DAY_MS);
  const offsetAfter = offsetAt(timeZone, wall + DAY_MS);
  const candidates = [wall - offsetBefore, wall - offsetAfter].filter(
    (instant) => offsetAt(timeZone, instant) === wall - instant,
  );
  if (candidates.length > 0) return Math.min(...candidates);

  // In a gap: the transition lies between the two candidates; find it to the second.
  let stillBefore = wall - offsetAfter;
  let alreadyAfter = wall - offsetBefore;
  while (alreadyAfter - stillBefore > SECOND_MS) {
    const middle = stillBefore + Math.floor((alreadyAfter - stillBefore) / (2 * SECOND_MS)) * SECOND_MS;
    if (offsetAt(timeZone, middle) === offsetAfter) alreadyAfter = middle;
    else stillBefore = middle;
  }
  return alreadyAfter;
}

// ---------------------------------------------------------------------------
// Rules → windows.

function isClosedDate(hours: ServiceHours, date: string): boolean {
  return hours.rules.some((rule) => rule.kind === 'date' && rule.date === date && rule.closed === true);
}

/** The windows rules open on `dayNumber`, as written (crossing windows not yet split). */
function ruleWindowsOf(hours: ServiceHours, dayNumber: number): MinuteWindow[] {
  const date = formatLocalDate(dayNumber);
  if (isClosedDate(hours, date)) return [];
  const weekday = weekdayOf(dayNumber);
  const windows: MinuteWindow[] = [];
  for (const rule of hours.rules) {
    const applies = rule.kind === 'weekly' ? rule.days.includes(weekday) : rule.date === date;
    // An empty window (end equal to start) never opens.
    if (applies && rule.start !== undefined && rule.end !== undefined && rule.start !== rule.end) {
      windows.push({ start: parseTime(rule.start), end: parseTime(rule.end) });
    }
  }
  return windows;
}

/**
 * Windows touching end-to-start (09:00–12:00 and 12:00–13:00) merge as well
 * as overlapping ones: the bot never closes between them, so showing two
 * windows and a zero-length closure would only confuse users.
 */
function mergeWindows(windows: MinuteWindow[]): MinuteWindow[] {
  const merged: MinuteWindow[] = [];
  for (const window of [...windows].sort((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && window.start <= last.end) last.end = Math.max(last.end, window.end);
    else merged.push({ ...window });
  }
  return merged;
}

/** Merged windows of one local day, each within 00:00–24:00. */
function dayWindowsOf(hours: ServiceHours, dayNumber: number): MinuteWindow[] {
  if (isClosedDate(hours, formatLocalDate(dayNumber))) return [];
  const ownParts = ruleWindowsOf(hours, dayNumber).map((w) => ({
    start: w.start,
    end: w.end > w.start ? w.end : MINUTES_PER_DAY,
  }));
  const carriedOver = ruleWindowsOf(hours, dayNumber - 1)
    .filter((w) => w.end < w.start && w.end > 0)
    .map((w) => ({ start: 0, end: w.end }));
  return mergeWindows([...ownParts, ...carriedOver]);
}

function instantWindowsOf(hours: ServiceHours, dayNumber: number): InstantWindow[] {
  const toInstant = (minutes: number) =>
    wallClockToInstant(hours.timezone, dayNumber * DAY_MS + minutes * MINUTE_MS);
  return dayWindowsOf(hours, dayNumber)
    .map((w) => ({ start: toInstant(w.start), end: toInstant(w.end) }))
    .filter((w) => w.end > w.start); // a window lying wholly in a DST gap never opens
}

// ---------------------------------------------------------------------------
// Public API.

/**
 * The local calendar date ("YYYY-MM-DD") of an instant in a time zone.
 * @example localDateAt('Asia/Shanghai', Date.parse('2026-01-04T16:30:00Z')) // '2026-01-05'
 */
export function localDateAt(timeZone: string, at: Date | number): string {
  return formatLocalDate(localDayAt(timeZone, toEpochMs(at)));
}

/**
 * The merged opening windows of one local day, sorted. Includes the
 * after-midnight part of windows crossing midnight from the day before.
 * @example
 * effectiveWindows(hours, '2026-01-05') // [{ start: '09:00', end: '12:00' }, { start: '13:00', end: '18:00' }]
 */
export function effectiveWindows(hours: ServiceHours, localDate: string): ServiceWindow[] {
  return dayWindowsOf(hours, parseLocalDate(localDate)).map((w) => ({
    start: formatTime(w.start),
    end: formatTime(w.end),
  }));
}

/**
 * Whether the bot is within service hours at an instant (window start
 * inclusive, end exclusive).
 * @example isOpen(hours, new Date('2026-01-05T01:00:00Z')) // true: Monday 09:00 in Shanghai
 */
export function isOpen(hours: ServiceHours, at: Date | number): boolean {
  const instant = toEpochMs(at);
  const today = localDayAt(hours.timezone, instant);
  return instantWindowsOf(hours, today).some((w) => w.start <= instant && instant < w.end);
}

/**
 * The first instant at or after `at` within service hours (`at` itself when
 * open), or null when closed for the next 366 days.
 * @example nextOpenAt(hours, new Date('2026-01-05T11:00:00Z')) // 2026-01-06T01:00:00.000Z
 */
export function nextOpenAt(hours: ServiceHours, at: Date | number): Date | null {
  const instant = toEpochMs(at);
  const today = localDayAt(hours.timezone, instant);
  for (let day = today; day <= today + SEARCH_HORIZON_DAYS; day++) {
    const window = instantWindowsOf(hours, day).find((w) => w.end > instant);
    if (window) return new Date(Math.max(window.start, instant));
  }
  return null;
}

/**
 * When open, the instant service hours end, following windows that continue
 * across midnight. Null when closed at `at`, or open through the next 366 days.
 * @example nextCloseAt(hours, new Date('2026-01-09T14:00:00Z')) // Fri 22:00–02:00 → 2026-01-09T18:00:00.000Z
 */
export function nextCloseAt(hours: ServiceHours, at: Date | number): Date | null {
  const instant = toEpochMs(at);
  const today = localDayAt(hours.timezone, instant);
  let closeAt: number | null = null;
  for (let day = today; day <= today + SEARCH_HORIZON_DAYS; day++) {
    let extended = false;
    for (const w of instantWindowsOf(hours, day)) {
      const reaches =
        closeAt === null ? w.start <= instant && instant < w.end : w.start <= closeAt && w.end > closeAt;
      if (reaches) {
        closeAt = w.end;
        extended = true;
      }
    }
    if (!extended) return closeAt === null ? null : new Date(closeAt);
  }
  return null;
}

/**
 * Effective windows for `days` consecutive local dates, for the editor's preview.
 * @example weekPreview(hours, '2026-01-05', 2) // [{ date: '2026-01-05', weekday: 'mon', windows: [...] }, { date: '2026-01-06', ... }]
 */
export function weekPreview(hours: ServiceHours, fromLocalDate: string, days = 7): DayPreview[] {
  const firstDay = parseLocalDate(fromLocalDate);
  return Array.from({ length: days }, (_, index) => {
    const date = formatLocalDate(firstDay + index);
    return { date, weekday: weekdayOf(firstDay + index), windows: effectiveWindows(hours, date) };
  });
}
