import { useMemo, useState } from 'react';
import { Button, Field } from '../ui/components.js';
import { allTimeZones, browserTimeZone, filterTimeZones } from './time-zones.js';

const offsets = new Map<string, string>();
/** "GMT+8" for a zone, now; cached, as formatters are slow to build. */
function offsetOf(zone: string): string {
  let offset = offsets.get(zone);
  if (offset === undefined) {
    try {
      const part = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(new Date()).find((p) => p.type === 'timeZoneName');
      offset = part?.value ?? '';
    } catch {
      offset = '';
    }
    offsets.set(zone, offset);
  }
  return offset;
}

/** The time zone: a search box over the browser's list of IANA zones, and the list itself. */
export function TimeZoneSelect(props: { value: string; onChange(zone: string): void; error?: string | undefined }) {
  const zones = useMemo(allTimeZones, []);
  const [query, setQuery] = useState('');
  const shown = useMemo(() => filterTimeZones(zones, query, props.value), [zones, query, props.value]);
  const mine = browserTimeZone();
  return (
    <div className="tz-select">
      <Field label="Search time zones" help="Type a city or region, like “new york” or “paris”.">
        {(id, describedBy) => <input id={id} type="search" aria-describedby={describedBy} value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />}
      </Field>
      <Field label="Time zone" error={props.error} help={`${shown.length === zones.length ? zones.length : `${shown.length} of ${zones.length}`} zones`}>
        {(id, describedBy) => (
          <select id={id} size={6} aria-describedby={describedBy} value={props.value} onChange={(e) => props.onChange(e.target.value)}>
            {shown.map((zone) => (
              <option key={zone} value={zone}>
                {zone.replace(/_/g, ' ')} {offsetOf(zone) ? `(${offsetOf(zone)})` : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
      {mine !== props.value ? (
        <Button small onClick={() => props.onChange(mine)}>
          Use my time zone ({mine})
        </Button>
      ) : null}
    </div>
  );
}
