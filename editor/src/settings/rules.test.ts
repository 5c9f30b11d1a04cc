import { describe, expect, it } from 'vitest';
import {
  addRule,
  canAddRule,
  describeDays,
  describeRule,
  describeWindows,
  MAX_SERVICE_HOURS_RULES,
  moveRule,
  newRule,
  openStateText,
  previewOf,
  removeRule,
  ruleFromDocument,
  ruleToDocument,
  toggleDay,
  updateRule,
  type RuleForm,
} from './rules.js';

const weekly = (days: RuleForm['days'], start: string, end: string, key = 'w'): RuleForm => ({ key, kind: 'weekly', days, date: '', start, end, closed: false });
const oneOff = (date: string, start: string, end: string, closed = false, key = 'd'): RuleForm => ({ key, kind: 'date', days: [], date, start, end, closed });
// 2026-12-07 is a Monday; 02:00Z is 10:00 in Shanghai (+08:00).
const monday10am = new Date('2026-12-07T02:00:00Z');

describe('rule editing', () => {
  it('toggles days and keeps the week order', () => {
    let rule = weekly(['fri'], '09:00', '17:00');
    rule = toggleDay(rule, 'mon');
    expect(rule.days).toEqual(['mon', 'fri']);
    expect(toggleDay(rule, 'fri').days).toEqual(['mon']);
  });

  it('writes only the fields of the rule kind', () => {
    const rule = oneOff('2026-12-25', '09:00', '17:00', true);
    expect(ruleToDocument(rule)).toEqual({ kind: 'date', date: '2026-12-25', closed: true });
    expect(ruleToDocument({ ...rule, closed: false })).toEqual({ kind: 'date', date: '2026-12-25', start: '09:00', end: '17:00' });
    expect(ruleToDocument({ ...rule, kind: 'weekly', days: ['sun', 'mon'] })).toEqual({ kind: 'weekly', days: ['mon', 'sun'], start: '09:00', end: '17:00' });
  });

  it('reads document rules back', () => {
    expect(ruleFromDocument({ kind: 'date', date: '2026-12-25', closed: true }, 'k')).toEqual(oneOff('2026-12-25', '', '', true, 'k'));
    expect(ruleToDocument(ruleFromDocument({ kind: 'weekly', days: ['sat'], start: '10:00', end: '24:00' }))).toEqual({ kind: 'weekly', days: ['sat'], start: '10:00', end: '24:00' });
  });

  it('allows at most ten rules', () => {
    let rules: RuleForm[] = [];
    for (let i = 0; i < MAX_SERVICE_HOURS_RULES + 2; i++) rules = addRule(rules, newRule('weekly', '2026-12-07', `k${i}`));
    expect(rules).toHaveLength(10);
    expect(canAddRule(rules)).toBe(false);
    expect(canAddRule(removeRule(rules, 0))).toBe(true);
  });

  it('updates, removes and moves a rule by position', () => {
    const rules = [weekly(['mon'], '09:00', '12:00', 'a'), weekly(['tue'], '09:00', '12:00', 'b'), weekly(['wed'], '09:00', '12:00', 'c')];
    expect(updateRule(rules, 1, { end: '13:00' })[1]!.end).toBe('13:00');
    expect(removeRule(rules, 1).map((r) => r.key)).toEqual(['a', 'c']);
    expect(moveRule(rules, 2, -1).map((r) => r.key)).toEqual(['a', 'c', 'b']);
    expect(moveRule(rules, 0, -1).map((r) => r.key)).toEqual(['a', 'b', 'c']);
    expect(moveRule(rules, 2, 1).map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });

  it('describes rules for their headings', () => {
    expect(describeDays(['mon', 'tue', 'wed', 'thu', 'fri'])).toBe('Mon–Fri');
    expect(describeDays(['mon', 'wed', 'sat', 'sun'])).toBe('Mon, Wed, Sat, Sun');
    expect(describeDays(['mon', 'tue', 'wed', 'fri', 'sat', 'sun'])).toBe('Mon–Wed, Fri–Sun');
    expect(describeDays([])).toBe('no days');
    expect(describeDays(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'])).toBe('Every day');
    expect(describeRule(weekly(['sat'], '18:00', '24:00'))).toBe('Sat 18:00–midnight');
    expect(describeRule(oneOff('2026-12-25', '', '', true))).toBe('2026-12-25 closed all day');
  });
});

describe('preview of the coming week', () => {
  it('merges overlapping rules, adds one-off dates and closes holidays', () => {
    const preview = previewOf(
      'Asia/Shanghai',
      [
        weekly(['mon', 'tue', 'wed', 'thu', 'fri'], '09:00', '12:00'),
        weekly(['mon'], '11:00', '14:00'),
        oneOff('2026-12-12', '13:00', '18:00'),
        oneOff('2026-12-09', '', '', true),
      ],
      monday10am,
    )!;
    expect(preview.today).toBe('2026-12-07');
    expect(preview.days.map((day) => `${day.weekday} ${describeWindows(day)}`)).toEqual([
      'mon 09:00–14:00',
      'tue 09:00–12:00',
      'wed Closed',
      'thu 09:00–12:00',
      'fri 09:00–12:00',
      'sat 13:00–18:00',
      'sun Closed',
    ]);
    expect(preview.skipped).toEqual([]);
    expect(preview.open).toBe(true);
  });

  it('leaves out a half-typed rule and says why, keeping the others', () => {
    const preview = previewOf('Asia/Shanghai', [weekly(['mon'], '09:00', '12:00'), weekly(['tue'], '10:00', '10:00'), weekly([], '09:00', '17:00')], monday10am)!;
    expect(preview.days[0]!.windows).toEqual([{ start: '09:00', end: '12:00' }]);
    expect(preview.days[1]!.windows).toEqual([]);
    expect(preview.skipped.map((s) => s.index)).toEqual([1, 2]);
    expect(preview.skipped[0]!.message).toMatch(/never opens/);
    expect(preview.skipped[1]!.message).toMatch(/pick at least one day/);
  });

  it('says when it opens next, in the bot time zone', () => {
    const preview = previewOf('Asia/Shanghai', [weekly(['tue'], '09:00', '17:00')], monday10am)!;
    expect(preview.open).toBe(false);
    expect(preview.nextOpenAt?.toISOString()).toBe('2026-12-08T01:00:00.000Z');
    expect(openStateText(preview, 'Asia/Shanghai')).toBe('Closed now · opens next Tue 8 Dec, 09:00 (Asia/Shanghai)');
    expect(openStateText({ open: true, nextOpenAt: null }, 'UTC')).toBe('Open now');
    expect(openStateText({ open: false, nextOpenAt: null }, 'UTC')).toMatch(/no opening/);
  });

  it('shows a day open around the clock as all day', () => {
    const preview = previewOf('UTC', [weekly(['mon'], '00:00', '24:00')], monday10am)!;
    expect(describeWindows(preview.days[0]!)).toBe('All day');
  });

  it('has no preview for an unknown time zone', () => {
    expect(previewOf('Mars/Base', [], monday10am)).toBeNull();
    expect(previewOf('', [], monday10am)).toBeNull();
  });
});
