import { describe, it, expect } from 'vitest';
import { effectiveWindows, isOpen, localDateAt, nextCloseAt, nextOpenAt, weekPreview } from './calendar.js';
import { serviceHoursSchema } from './schema.js';
import type { ServiceHours } from './schema.js';

// Instants below are worked out by hand from each zone's offset; 2026-01-05 is a Monday.
type RuleInput = Record<string, unknown>;

function calendar(timezone: string, ...rules: RuleInput[]): ServiceHours {
  return serviceHoursSchema.parse({ timezone, rules });
}
const weekly = (days: string[], start: string, end: string): RuleInput => ({ kind: 'weekly', days, start, end });
const oneOff = (date: string, start: string, end: string): RuleInput => ({ kind: 'date', date, start, end });
const holiday = (date: string): RuleInput => ({ kind: 'date', date, closed: true });
const at = (iso: string) => new Date(iso);
const iso = (date: Date | null) => date?.toISOString() ?? null;
const windows = (...pairs: [string, string][]) => pairs.map(([start, end]) => ({ start, end }));
const WORKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri'];

describe('effectiveWindows', () => {
  it('merges overlapping windows and keeps disjoint ones (design-doc example)', () => {
    const hours = calendar(
      'Asia/Shanghai',
      weekly(['mon'], '09:00', '12:00'),
      weekly(['mon'], '10:00', '12:00'),
      weekly(['mon'], '13:00', '18:00'),
      weekly(['mon'], '15:00', '17:00'),
    );
    expect(effectiveWindows(hours, '2026-01-05')).toEqual(windows(['09:00', '12:00'], ['13:00', '18:00']));
    expect(effectiveWindows(hours, '2026-01-06')).toEqual([]);
  });

  it('an empty window (end equal to start) never opens: not the whole day, not until midnight', () => {
    const hours = calendar('Asia/Shanghai', weekly(['mon'], '09:00', '09:00'), oneOff('2026-01-06', '00:00', '00:00'));
    expect(effectiveWindows(hours, '2026-01-05')).toEqual([]);
    expect(effectiveWindows(hours, '2026-01-06')).toEqual([]);
    expect(isOpen(hours, at('2026-01-05T01:30:00Z'))).toBe(false); // 09:30 +08:00
    expect(nextOpenAt(hours, at('2026-01-05T00:00:00Z'))).toBeNull();
  });

  it('merges windows that merely touch', () => {
    const hours = calendar('Asia/Shanghai', weekly(['mon'], '12:00', '13:00'), weekly(['mon'], '09:00', '12:00'));
    expect(effectiveWindows(hours, '2026-01-05')).toEqual(windows(['09:00', '13:00']));
    expect(isOpen(hours, at('2026-01-05T04:00:00Z'))).toBe(true); // 12:00 +08:00
    expect(iso(nextCloseAt(hours, at('2026-01-05T01:00:00Z')))).toBe('2026-01-05T05:00:00.000Z');
  });

  it('adds a one-off date window on a weekend and merges it into a weekday', () => {
    const hours = calendar(
      'Asia/Shanghai',
      weekly(['mon', 'tue'], '09:00', '12:00'),
      oneOff('2026-12-12', '13:00', '18:00'),
      oneOff('2026-12-14', '11:00', '14:00'),
    );
    expect(effectiveWindows(hours, '2026-12-12')).toEqual(windows(['13:00', '18:00'])); // a Saturday
    expect(effectiveWindows(hours, '2026-12-14')).toEqual(windows(['09:00', '14:00'])); // a Monday
    expect(isOpen(hours, at('2026-12-12T05:00:00Z'))).toBe(true); // Sat 13:00 +08:00
  });

  it('closes a whole holiday, overriding weekly rules and one-off windows', () => {
    const hours = calendar(
      'Asia/Shanghai',
      weekly(WORKDAYS, '09:00', '18:00'),
      holiday('2026-12-25'),
      oneOff('2026-12-25', '10:00', '11:00'),
    );
    expect(effectiveWindows(hours, '2026-12-24')).toEqual(windows(['09:00', '18:00']));
    expect(effectiveWindows(hours, '2026-12-25')).toEqual([]);
    expect(isOpen(hours, at('2026-12-25T02:00:00Z'))).toBe(false); // Fri 10:00 +08:00
    expect(iso(nextOpenAt(hours, at('2026-12-25T02:00:00Z')))).toBe('2026-12-28T01:00:00.000Z'); // Mon 09:00
  });

  it('runs to the end of the day with end "24:00"', () => {
    const hours = calendar('Asia/Shanghai', weekly(['mon'], '18:00', '24:00'));
    expect(effectiveWindows(hours, '2026-01-05')).toEqual(windows(['18:00', '24:00']));
    expect(effectiveWindows(hours, '2026-01-06')).toEqual([]);
    expect(isOpen(hours, at('2026-01-05T15:59:59.999Z'))).toBe(true); // Mon 23:59:59.999
    expect(isOpen(hours, at('2026-01-05T16:00:00Z'))).toBe(false); // Tue 00:00
    expect(iso(nextCloseAt(hours, at('2026-01-05T10:00:00Z')))).toBe('2026-01-05T16:00:00.000Z');
  });

  it('chains a "24:00" end into a window opening at 00:00 the next day', () => {
    const hours = calendar('Asia/Shanghai', weekly(['mon'], '18:00', '24:00'), weekly(['tue'], '00:00', '01:00'));
    expect(isOpen(hours, at('2026-01-05T16:30:00Z'))).toBe(true); // Tue 00:30
    expect(iso(nextCloseAt(hours, at('2026-01-05T10:00:00Z')))).toBe('2026-01-05T17:00:00.000Z'); // Tue 01:00
  });

  it('rejects a malformed local date', () => {
    const hours = calendar('Asia/Shanghai');
    expect(() => effectiveWindows(hours, '2026-02-30')).toThrow(RangeError);
  });
});

describe('windows across midnight (Fri 22:00–02:00, Asia/Shanghai +08:00)', () => {
  const hours = calendar('Asia/Shanghai', weekly(['fri'], '22:00', '02:00'));

  it('splits the window over Friday and Saturday', () => {
    expect(effectiveWindows(hours, '2026-01-08')).toEqual([]);
    expect(effectiveWindows(hours, '2026-01-09')).toEqual(windows(['22:00', '24:00']));
    expect(effectiveWindows(hours, '2026-01-10')).toEqual(windows(['00:00', '02:00']));
  });

  it('is open from Friday 22:00 until Saturday 02:00', () => {
    expect(isOpen(hours, at('2026-01-09T13:59:59.999Z'))).toBe(false); // Fri 21:59:59.999
    expect(isOpen(hours, at('2026-01-09T14:00:00Z'))).toBe(true); // Fri 22:00
    expect(isOpen(hours, at('2026-01-09T16:00:00Z'))).toBe(true); // Sat 00:00
    expect(isOpen(hours, at('2026-01-09T17:00:00Z'))).toBe(true); // Sat 01:00
    expect(isOpen(hours, at('2026-01-09T18:00:00Z'))).toBe(false); // Sat 02:00
  });

  it('closes at Saturday 02:00 and next opens the Friday after', () => {
    expect(iso(nextCloseAt(hours, at('2026-01-09T14:00:00Z')))).toBe('2026-01-09T18:00:00.000Z');
    expect(iso(nextOpenAt(hours, at('2026-01-09T19:00:00Z')))).toBe('2026-01-16T14:00:00.000Z');
  });

  it('does not spill into a closed Saturday', () => {
    const withHoliday = calendar('Asia/Shanghai', weekly(['fri'], '22:00', '02:00'), holiday('2026-01-10'));
    expect(effectiveWindows(withHoliday, '2026-01-10')).toEqual([]);
    expect(isOpen(withHoliday, at('2026-01-09T17:00:00Z'))).toBe(false);
    expect(iso(nextCloseAt(withHoliday, at('2026-01-09T14:00:00Z')))).toBe('2026-01-09T16:00:00.000Z');
  });
});

describe('isOpen', () => {
  const hours = calendar('Asia/Shanghai', weekly(['mon'], '09:00', '12:00'));

  it('includes the start and excludes the end of a window', () => {
    expect(isOpen(hours, at('2026-01-05T00:59:59.999Z'))).toBe(false);
    expect(isOpen(hours, at('2026-01-05T01:00:00Z'))).toBe(true);
    expect(isOpen(hours, Date.parse('2026-01-05T03:59:59.999Z'))).toBe(true);
    expect(isOpen(hours, at('2026-01-05T04:00:00Z'))).toBe(false);
  });

  it('is closed without rules and at a closed-for-the-day local time', () => {
    expect(isOpen(calendar('Asia/Shanghai'), at('2026-01-05T02:00:00Z'))).toBe(false);
    expect(isOpen(hours, at('2026-01-06T02:00:00Z'))).toBe(false); // Tuesday
  });
});

describe('nextOpenAt', () => {
  const hours = calendar('Asia/Shanghai', weekly(WORKDAYS, '09:00', '18:00'));

  it('returns the same instant when open', () => {
    expect(iso(nextOpenAt(hours, at('2026-01-05T02:15:30.123Z')))).toBe('2026-01-05T02:15:30.123Z');
    expect(iso(nextOpenAt(hours, Date.parse('2026-01-05T01:00:00Z')))).toBe('2026-01-05T01:00:00.000Z');
  });

  it('finds the opening later the same day', () => {
    expect(iso(nextOpenAt(hours, at('2026-01-04T23:00:00Z')))).toBe('2026-01-05T01:00:00.000Z'); // Mon 07:00
  });

  it('finds the next day after closing', () => {
    expect(iso(nextOpenAt(hours, at('2026-01-05T10:00:00Z')))).toBe('2026-01-06T01:00:00.000Z'); // Mon 18:00
    expect(iso(nextOpenAt(hours, at('2026-01-05T11:00:00Z')))).toBe('2026-01-06T01:00:00.000Z'); // Mon 19:00
  });

  it('skips the weekend', () => {
    expect(iso(nextOpenAt(hours, at('2026-01-09T10:30:00Z')))).toBe('2026-01-12T01:00:00.000Z'); // Fri 18:30
  });

  it('crosses a year boundary, skipping a New Year holiday', () => {
    // Thu 2026-12-31 18:00 local
    expect(iso(nextOpenAt(hours, at('2026-12-31T10:00:00Z')))).toBe('2027-01-01T01:00:00.000Z');
    const withNewYear = calendar('Asia/Shanghai', weekly(WORKDAYS, '09:00', '18:00'), holiday('2027-01-01'));
    expect(iso(nextOpenAt(withNewYear, at('2026-12-31T10:00:00Z')))).toBe('2027-01-04T01:00:00.000Z');
  });

  it('returns null with no rules or only past dates', () => {
    expect(nextOpenAt(calendar('Asia/Shanghai'), at('2026-01-05T00:00:00Z'))).toBeNull();
    const past = calendar('Asia/Shanghai', oneOff('2025-06-01', '09:00', '18:00'));
    expect(nextOpenAt(past, at('2026-01-05T00:00:00Z'))).toBeNull();
  });

  it('looks ahead up to 366 days', () => {
    const inOctober = calendar('Asia/Shanghai', oneOff('2026-10-01', '10:00', '11:00'));
    expect(iso(nextOpenAt(inOctober, at('2026-01-05T00:00:00Z')))).toBe('2026-10-01T02:00:00.000Z');
    const beyondHorizon = calendar('Asia/Shanghai', oneOff('2027-03-01', '10:00', '11:00'));
    expect(nextOpenAt(beyondHorizon, at('2026-01-05T00:00:00Z'))).toBeNull();
  });
});

describe('zones with non-hour offsets', () => {
  it('handles Asia/Kolkata (+05:30)', () => {
    const hours = calendar('Asia/Kolkata', weekly(['mon'], '09:00', '17:30'));
    expect(isOpen(hours, at('2026-01-05T03:29:59.999Z'))).toBe(false);
    expect(isOpen(hours, at('2026-01-05T03:30:00Z'))).toBe(true);
    expect(isOpen(hours, at('2026-01-05T11:59:59.999Z'))).toBe(true);
    expect(isOpen(hours, at('2026-01-05T12:00:00Z'))).toBe(false);
    expect(iso(nextOpenAt(hours, at('2026-01-05T00:00:00Z')))).toBe('2026-01-05T03:30:00.000Z');
    expect(localDateAt('Asia/Kolkata', at('2026-01-04T18:29:59Z'))).toBe('2026-01-04');
    expect(localDateAt('Asia/Kolkata', at('2026-01-04T18:30:00Z'))).toBe('2026-01-05');
  });

  it('handles Asia/Kathmandu (+05:45)', () => {
    const hours = calendar('Asia/Kathmandu', weekly(['mon'], '09:00', '17:00'));
    expect(isOpen(hours, at('2026-01-05T03:14:59.999Z'))).toBe(false);
    expect(isOpen(hours, at('2026-01-05T03:15:00Z'))).toBe(true);
    expect(iso(nextOpenAt(hours, at('2026-01-04T20:00:00Z')))).toBe('2026-01-05T03:15:00.000Z'); // Mon 01:45
    expect(iso(nextCloseAt(hours, at('2026-01-05T03:15:00Z')))).toBe('2026-01-05T11:15:00.000Z');
  });
});

describe('daylight saving time', () => {
  // Sunday opening and closing instants of a 09:00–17:00 window.
  function sundayWindow(hours: ServiceHours, midnightUtc: string) {
    const opensAt = nextOpenAt(hours, at(midnightUtc));
    return [iso(opensAt), iso(opensAt && nextCloseAt(hours, opensAt))];
  }

  describe('Europe/Paris (CET +01:00, CEST +02:00)', () => {
    const hours = calendar('Europe/Paris', weekly(['sun'], '09:00', '17:00'));

    it('keeps a 09:00–17:00 window at 8 real hours on normal and transition days', () => {
      expect(sundayWindow(hours, '2026-03-22T00:00:00Z')).toEqual(['2026-03-22T08:00:00.000Z', '2026-03-22T16:00:00.000Z']);
      expect(sundayWindow(hours, '2026-03-29T00:00:00Z')).toEqual(['2026-03-29T07:00:00.000Z', '2026-03-29T15:00:00.000Z']);
      expect(sundayWindow(hours, '2026-10-18T00:00:00Z')).toEqual(['2026-10-18T07:00:00.000Z', '2026-10-18T15:00:00.000Z']);
      expect(sundayWindow(hours, '2026-10-25T00:00:00Z')).toEqual(['2026-10-25T08:00:00.000Z', '2026-10-25T16:00:00.000Z']);
    });

    it('opens a 02:30 start in the spring-forward gap at 03:00 local', () => {
      // 2026-03-29: 02:00 CET jumps to 03:00 CEST at 01:00Z.
      const gap = calendar('Europe/Paris', oneOff('2026-03-29', '02:30', '05:00'));
      expect(isOpen(gap, at('2026-03-29T00:30:00Z'))).toBe(false); // 01:30 CET
      expect(isOpen(gap, at('2026-03-29T00:59:59.999Z'))).toBe(false);
      expect(isOpen(gap, at('2026-03-29T01:00:00Z'))).toBe(true); // 03:00 CEST
      expect(iso(nextOpenAt(gap, at('2026-03-28T23:00:00Z')))).toBe('2026-03-29T01:00:00.000Z');
      expect(iso(nextCloseAt(gap, at('2026-03-29T01:00:00Z')))).toBe('2026-03-29T03:00:00.000Z');
    });

    it('opens an ambiguous 02:30 on the fall-back day at the first 02:30', () => {
      // 2026-10-25: 03:00 CEST falls back to 02:00 CET at 01:00Z; 02:30 happens at 00:30Z and 01:30Z.
      const overlap = calendar('Europe/Paris', oneOff('2026-10-25', '02:30', '04:00'));
      expect(iso(nextOpenAt(overlap, at('2026-10-24T22:00:00Z')))).toBe('2026-10-25T00:30:00.000Z');
      expect(iso(nextCloseAt(overlap, at('2026-10-25T00:30:00Z')))).toBe('2026-10-25T03:00:00.000Z');
    });

    it('measures a window across midnight into the spring-forward day in real hours', () => {
      // Sat 22:00 CET (21:00Z) until Sun 04:00 CEST (02:00Z): 5 real hours.
      const overnight = calendar('Europe/Paris', weekly(['sat'], '22:00', '04:00'));
      expect(iso(nextOpenAt(overnight, at('2026-03-28T12:00:00Z')))).toBe('2026-03-28T21:00:00.000Z');
      expect(iso(nextCloseAt(overnight, at('2026-03-28T21:00:00Z')))).toBe('2026-03-29T02:00:00.000Z');
    });
  });

  describe('America/New_York (EST −05:00, EDT −04:00)', () => {
    const hours = calendar('America/New_York', weekly(['sun'], '09:00', '17:00'));

    it('keeps a 09:00–17:00 window at 8 real hours on normal and transition days', () => {
      expect(sundayWindow(hours, '2026-03-01T00:00:00Z')).toEqual(['2026-03-01T14:00:00.000Z', '2026-03-01T22:00:00.000Z']);
      expect(sundayWindow(hours, '2026-03-08T00:00:00Z')).toEqual(['2026-03-08T13:00:00.000Z', '2026-03-08T21:00:00.000Z']);
      expect(sundayWindow(hours, '2026-10-25T00:00:00Z')).toEqual(['2026-10-25T13:00:00.000Z', '2026-10-25T21:00:00.000Z']);
      expect(sundayWindow(hours, '2026-11-01T00:00:00Z')).toEqual(['2026-11-01T14:00:00.000Z', '2026-11-01T22:00:00.000Z']);
    });

    it('opens a 02:30 start in the spring-forward gap at 03:00 local', () => {
      // 2026-03-08: 02:00 EST jumps to 03:00 EDT at 07:00Z.
      const gap = calendar('America/New_York', oneOff('2026-03-08', '02:30', '04:00'));
      expect(isOpen(gap, at('2026-03-08T06:59:59.999Z'))).toBe(false);
      expect(isOpen(gap, at('2026-03-08T07:00:00Z'))).toBe(true);
      expect(iso(nextOpenAt(gap, at('2026-03-08T05:00:00Z')))).toBe('2026-03-08T07:00:00.000Z');
      expect(iso(nextCloseAt(gap, at('2026-03-08T07:00:00Z')))).toBe('2026-03-08T08:00:00.000Z');
    });

    it('never opens a window lying wholly inside the gap', () => {
      const lost = calendar('America/New_York', oneOff('2026-03-08', '02:10', '02:50'));
      expect(effectiveWindows(lost, '2026-03-08')).toEqual(windows(['02:10', '02:50']));
      expect(nextOpenAt(lost, at('2026-03-08T05:00:00Z'))).toBeNull();
    });

    it('opens a 01:30 start on the fall-back day at the first 01:30', () => {
      // 2026-11-01: 02:00 EDT falls back to 01:00 EST at 06:00Z; 01:30 happens at 05:30Z and 06:30Z.
      const overlap = calendar('America/New_York', oneOff('2026-11-01', '01:30', '03:00'));
      expect(isOpen(overlap, at('2026-11-01T05:29:59.999Z'))).toBe(false);
      expect(isOpen(overlap, at('2026-11-01T05:30:00Z'))).toBe(true);
      expect(iso(nextOpenAt(overlap, at('2026-11-01T04:00:00Z')))).toBe('2026-11-01T05:30:00.000Z');
      expect(iso(nextCloseAt(overlap, at('2026-11-01T05:30:00Z')))).toBe('2026-11-01T08:00:00.000Z'); // 03:00 EST
    });
  });
});

describe('nextCloseAt', () => {
  it('returns null when closed, and when open around the clock for the whole horizon', () => {
    const hours = calendar('Asia/Shanghai', weekly(['mon'], '09:00', '12:00'));
    expect(nextCloseAt(hours, at('2026-01-05T05:00:00Z'))).toBeNull();
    const always = calendar('UTC', weekly(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], '00:00', '24:00'));
    expect(nextCloseAt(always, at('2026-01-05T05:00:00Z'))).toBeNull();
  });
});

describe('weekPreview', () => {
  const hours = calendar(
    'Asia/Shanghai',
    weekly(['mon', 'tue'], '09:00', '12:00'),
    oneOff('2026-12-12', '13:00', '18:00'),
  );

  it('lists the coming week day by day', () => {
    expect(weekPreview(hours, '2026-12-07')).toEqual([
      { date: '2026-12-07', weekday: 'mon', windows: windows(['09:00', '12:00']) },
      { date: '2026-12-08', weekday: 'tue', windows: windows(['09:00', '12:00']) },
      { date: '2026-12-09', weekday: 'wed', windows: [] },
      { date: '2026-12-10', weekday: 'thu', windows: [] },
      { date: '2026-12-11', weekday: 'fri', windows: [] },
      { date: '2026-12-12', weekday: 'sat', windows: windows(['13:00', '18:00']) },
      { date: '2026-12-13', weekday: 'sun', windows: [] },
    ]);
  });

  it('crosses a year boundary', () => {
    expect(weekPreview(hours, '2026-12-30', 4).map((day) => `${day.date} ${day.weekday}`)).toEqual([
      '2026-12-30 wed',
      '2026-12-31 thu',
      '2027-01-01 fri',
      '2027-01-02 sat',
    ]);
  });
});
