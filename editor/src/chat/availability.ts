// What the chat page says about the team: how many people are there, and when it opens again,
// in the user's own language and time zone.

export interface Availability {
  open: boolean;
  nextOpenAt: string | null;
  agentsOnline: number;
}

export function parseAvailability(data: unknown): Availability | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as Record<string, unknown>;
  if (typeof d['open'] !== 'boolean' || typeof d['agentsOnline'] !== 'number') return undefined;
  return { open: d['open'], agentsOnline: d['agentsOnline'], nextOpenAt: typeof d['nextOpenAt'] === 'string' ? d['nextOpenAt'] : null };
}

export function peopleAvailableText(agentsOnline: number): string {
  if (agentsOnline <= 0) return 'Nobody from the team is online';
  return agentsOnline === 1 ? '1 person available' : `${agentsOnline} people available`;
}

/** The calendar day (days since the epoch) of an instant in a time zone. */
function dayNumber(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Math.round(Date.UTC(part('year'), part('month') - 1, part('day')) / 86_400_000);
}

/** "today at 9:00 AM", "tomorrow at …", "on Monday at …", "on Monday, March 3 at …" (locale-formatted parts). */
export function formatOpening(iso: string, nowMs: number, locale: string | undefined, timeZone: string | undefined): string | undefined {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return undefined;
  const zone = timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, hour: 'numeric', minute: '2-digit' }).format(at);
  const days = dayNumber(at, zone) - dayNumber(nowMs, zone);
  if (days <= 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  if (days < 7) return `on ${new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'long' }).format(at)} at ${time}`;
  return `on ${new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'long', month: 'long', day: 'numeric' }).format(at)} at ${time}`;
}

/** The notice outside service hours, or undefined while open. */
export function closedNotice(availability: Availability, nowMs: number, locale?: string, timeZone?: string): string | undefined {
  if (availability.open) return undefined;
  const when = availability.nextOpenAt ? formatOpening(availability.nextOpenAt, nowMs, locale, timeZone) : undefined;
  return when ? `Our team is away right now. We are back ${when}.` : 'Our team is away right now.';
}
