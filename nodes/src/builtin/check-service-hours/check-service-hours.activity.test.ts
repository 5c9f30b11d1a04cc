import { describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../service-hours/index.js';
import { runActivity } from '../../testing/index.js';
import { checkServiceHoursActivity } from './check-service-hours.activity.js';

describe('check_service_hours activity', () => {
  it('is open when the bot has no calendar', async () => {
    expect(await runActivity(checkServiceHoursActivity, {}, { serviceHours: null })).toEqual({ open: true, nextOpenAt: null });
  });

  it('follows the bot calendar: open all week means open now', async () => {
    const always = { timezone: 'UTC', rules: [{ kind: 'weekly' as const, days: [...WEEKDAYS], start: '00:00', end: '24:00' }] };
    const before = Date.now();
    const result = await runActivity(checkServiceHoursActivity, {}, { serviceHours: always });
    expect(result.open).toBe(true);
    // When open, the next opening is the moment of the check.
    const nextOpenAt = Date.parse(result.nextOpenAt ?? '');
    expect(nextOpenAt).toBeGreaterThanOrEqual(before);
    expect(nextOpenAt).toBeLessThanOrEqual(Date.now());
  });

  it('follows the bot calendar: never open', async () => {
    expect(await runActivity(checkServiceHoursActivity, {}, { serviceHours: { timezone: 'UTC', rules: [] } })).toEqual({ open: false, nextOpenAt: null });
  });

  it('reads the calendar through the bot settings, not the flow', async () => {
    await expect(runActivity(checkServiceHoursActivity, {})).rejects.toThrow(/serviceHours was not provided in this test/);
  });
});
