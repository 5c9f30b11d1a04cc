import { describe, expect, it } from 'vitest';
import { runStep } from '../../testing/index.js';
import { checkServiceHoursNode } from './check-service-hours.node.js';

// Monday to Friday, 09:00–18:00 in Shanghai (UTC+8, no daylight saving); 2026-01-05 is a Monday.
const custom = {
  calendar: 'custom' as const,
  serviceHours: { timezone: 'Asia/Shanghai', rules: [{ kind: 'weekly' as const, days: ['mon' as const, 'tue' as const, 'wed' as const, 'thu' as const, 'fri' as const], start: '09:00', end: '18:00' }] },
};

describe('check_service_hours', () => {
  it('with a custom calendar, goes to open from now, without an activity', () => {
    const out = runStep(checkServiceHoursNode, { config: custom, now: '2026-01-05T02:00:00.000Z' }); // Mon 10:00 local
    expect(out).toEqual({
      say: [],
      set: { 'serviceHours.open': true, 'serviceHours.nextOpenAt': '2026-01-05T02:00:00.000Z' },
      then: { go: 'open' },
    });
  });

  it('with a custom calendar, goes to closed and gives the next opening', () => {
    const out = runStep(checkServiceHoursNode, { config: custom, now: '2026-01-09T11:00:00.000Z' }); // Fri 19:00 local
    expect(out).toEqual({
      say: [],
      set: { 'serviceHours.open': false, 'serviceHours.nextOpenAt': '2026-01-12T01:00:00.000Z' }, // Mon 09:00 local
      then: { go: 'closed' },
    });
  });

  it('with a custom calendar that never opens, saves a null next opening', () => {
    const never = { calendar: 'custom' as const, serviceHours: { timezone: 'UTC', rules: [] } };
    const out = runStep(checkServiceHoursNode, { config: never });
    expect(out.set).toEqual({ 'serviceHours.open': false, 'serviceHours.nextOpenAt': null });
    expect(out.then).toEqual({ go: 'closed' });
  });

  it('with the bot calendar, calls the activity', () => {
    expect(runStep(checkServiceHoursNode, { config: {} })).toEqual({ say: [], then: { call: {} } });
  });

  it('routes the activity result to open or closed and saves it', () => {
    const open = runStep(checkServiceHoursNode, { config: {}, result: { open: true, nextOpenAt: null } });
    expect(open).toEqual({ say: [], set: { 'serviceHours.open': true, 'serviceHours.nextOpenAt': null }, then: { go: 'open' } });
    const closed = runStep(checkServiceHoursNode, { config: {}, result: { open: false, nextOpenAt: '2026-01-06T01:00:00.000Z' } });
    expect(closed).toEqual({
      say: [],
      set: { 'serviceHours.open': false, 'serviceHours.nextOpenAt': '2026-01-06T01:00:00.000Z' },
      then: { go: 'closed' },
    });
  });

  it('requires service hours for a custom calendar and checks them', () => {
    expect(() => runStep(checkServiceHoursNode, { config: { calendar: 'custom' } })).toThrow(/serviceHours: is required when the calendar is custom/);
    expect(() => runStep(checkServiceHoursNode, { config: { calendar: 'custom', serviceHours: { timezone: 'Mars/Olympus', rules: [] } } })).toThrow(
      /serviceHours\.timezone: unknown time zone/,
    );
  });

  it('declares the variables it writes', () => {
    expect(checkServiceHoursNode.setsVariables?.(checkServiceHoursNode.config.parse({}))).toEqual(['serviceHours.open', 'serviceHours.nextOpenAt']);
  });
});
