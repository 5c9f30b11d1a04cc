import { z } from 'zod';
import { describe, it, expect } from 'vitest';
import { serviceHoursSchema } from './schema.js';

const weekly = { kind: 'weekly', days: ['mon'], start: '09:00', end: '12:00' };

/** Issues of a failed parse as "path: message" lines, so assertions can name the field. */
function issuesOf(input: unknown): string[] {
  const result = serviceHoursSchema.safeParse(input);
  if (result.success) throw new Error('expected the input to be rejected');
  return result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

function withRule(rule: Record<string, unknown>) {
  return { timezone: 'Asia/Shanghai', rules: [rule] };
}

describe('serviceHoursSchema', () => {
  it('accepts the design-doc example', () => {
    const input = {
      timezone: 'Asia/Shanghai',
      rules: [
        { kind: 'weekly', days: ['mon', 'tue'], start: '09:00', end: '12:00' },
        { kind: 'date', date: '2026-12-12', start: '13:00', end: '18:00' },
      ],
    };
    expect(serviceHoursSchema.parse(input)).toEqual(input);
  });

  it('accepts an end of 24:00, a window crossing midnight and a closed date without a window', () => {
    const result = serviceHoursSchema.safeParse({
      timezone: 'Europe/Paris',
      rules: [
        { kind: 'weekly', days: ['sat'], start: '18:00', end: '24:00' },
        { kind: 'weekly', days: ['fri'], start: '22:00', end: '02:00' },
        { kind: 'date', date: '2026-12-25', closed: true },
        { kind: 'date', date: '2028-02-29', start: '00:00', end: '24:00' },
      ],
    });
    expect(result.success).toBe(true);
  });

  it('rejects an unknown time zone, naming it', () => {
    const issues = issuesOf({ timezone: 'Mars/Olympus', rules: [] });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^timezone: .*"Mars\/Olympus"/);
  });

  it('allows 10 rules and rejects 11', () => {
    const rules = (count: number) => Array.from({ length: count }, () => weekly);
    expect(serviceHoursSchema.safeParse({ timezone: 'UTC', rules: rules(10) }).success).toBe(true);
    expect(issuesOf({ timezone: 'UTC', rules: rules(11) })).toEqual(['rules: at most 10 rules']);
  });

  it.each([
    ['start', '25:00'],
    ['start', '24:00'],
    ['start', '9:00'],
    ['end', '24:01'],
    ['end', '12:60'],
  ])('rejects %s "%s"', (field, value) => {
    const issues = issuesOf(withRule({ ...weekly, [field]: value }));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(new RegExp(`^rules\\.0\\.${field}: expected a time "HH:MM"`));
  });

  it.each(['2026-02-30', '2026-02-29', '2026-13-01', '2026-1-05'])('rejects the date %s', (date) => {
    const issues = issuesOf(withRule({ kind: 'date', date, start: '09:00', end: '12:00' }));
    expect(issues).toEqual(['rules.0.date: expected a real calendar date "YYYY-MM-DD"']);
  });

  it('rejects duplicate days, pointing at the repeat', () => {
    const issues = issuesOf(withRule({ ...weekly, days: ['mon', 'tue', 'mon'] }));
    expect(issues).toEqual(['rules.0.days.2: duplicate day "mon" in days']);
  });

  it('rejects an empty day list and unknown day names', () => {
    expect(issuesOf(withRule({ ...weekly, days: [] }))).toEqual(['rules.0.days: pick at least one day']);
    expect(issuesOf(withRule({ ...weekly, days: ['monday'] }))[0]).toMatch(/^rules\.0\.days\.0: /);
  });

  it('takes an empty window (start === end) on both rule kinds: it never opens (a JSON Schema could not refuse it)', () => {
    expect(serviceHoursSchema.safeParse(withRule({ ...weekly, start: '09:00', end: '09:00' })).success).toBe(true);
    expect(serviceHoursSchema.safeParse(withRule({ kind: 'date', date: '2026-05-01', start: '00:00', end: '00:00' })).success).toBe(true);
  });

  it('says in its JSON Schema everything it checks', () => {
    const json = JSON.stringify(z.toJSONSchema(serviceHoursSchema, { io: 'input' }));
    expect(json).toContain('"uniqueItems":true');
    expect(json).toContain('"format":"iana-time-zone"');
    expect(json).toContain('"anyOf":[{"required":["closed"]');
    expect(json).toContain('"format":"date"');
  });

  it('requires a window on a date that is not closed', () => {
    expect(issuesOf(withRule({ kind: 'date', date: '2026-05-01' }))).toEqual([
      'rules.0.start: start is required unless the date is closed',
      'rules.0.end: end is required unless the date is closed',
    ]);
  });

  it('rejects an unknown rule kind', () => {
    expect(issuesOf(withRule({ ...weekly, kind: 'monthly' }))[0]).toMatch(/^rules\.0/);
  });
});
