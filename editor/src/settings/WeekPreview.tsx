import { useEffect, useState } from 'react';
import { describeWindows, formatInZone, openStateText, previewOf, WEEKDAY_NAMES, type RuleForm } from './rules.js';
import { browserTimeZone } from './time-zones.js';

/** "21 Nov" for a local date (noon UTC names the same day everywhere). */
function shortDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${date}T12:00:00Z`));
}

/** Re-renders every minute, so "open now" stays true while the screen is open. */
function useNow(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The effective opening windows of the coming week after merging the rules, as you edit them. */
export function WeekPreview({ timezone, rules }: { timezone: string; rules: readonly RuleForm[] }) {
  const now = useNow();
  const preview = previewOf(timezone, rules, now);
  if (!preview) return <p className="muted">Choose a time zone to see the preview.</p>;
  const mine = browserTimeZone();
  return (
    <div className="week-preview" data-testid="service-hours-preview">
      <p className={`open-state ${preview.open ? 'open' : 'closed'}`} role="status" data-testid="service-hours-open-state">
        <span className="dot" aria-hidden="true" /> {openStateText(preview, timezone)}
        {!preview.open && preview.nextOpenAt && mine !== timezone ? <span className="muted"> · {formatInZone(preview.nextOpenAt, mine)} your time</span> : null}
      </p>
      <table className="preview-table">
        <caption>The coming week in {timezone}, after merging the rules</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">Open</th>
          </tr>
        </thead>
        <tbody>
          {preview.days.map((day) => (
            <tr key={day.date} className={day.date === preview.today ? 'today' : undefined}>
              <th scope="row">
                {WEEKDAY_NAMES[day.weekday]} <span className="muted">{shortDate(day.date)}</span>
                {day.date === preview.today ? <span className="muted"> (today)</span> : null}
              </th>
              <td className={day.windows.length ? 'windows' : 'muted'}>{describeWindows(day)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {preview.skipped.length ? (
        <ul className="skipped">
          {preview.skipped.map((s) => (
            <li key={s.index}>
              Rule {s.index + 1} is not in the preview yet: {s.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
