// The time-zone picker's list and its search.

/** Every IANA zone this browser knows, UTC included (some engines list it, some do not). */
export function allTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return zones.includes('UTC') ? [...zones] : ['UTC', ...zones];
}

export function browserTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

const normalise = (text: string) => text.toLowerCase().replace(/[_/]+/g, ' ').replace(/\s+/g, ' ').trim();

/**
 * The zones matching a search ("new york", "paris", "asia/sh"), all words anywhere, the current
 * zone always kept so the select can show it.
 */
export function filterTimeZones(zones: readonly string[], query: string, current: string): string[] {
  const words = normalise(query).split(' ').filter(Boolean);
  const matches = words.length ? zones.filter((zone) => words.every((word) => normalise(zone).includes(word))) : [...zones];
  if (current && !matches.includes(current)) matches.unshift(current);
  return matches;
}
