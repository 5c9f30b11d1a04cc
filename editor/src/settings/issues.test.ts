import { describe, expect, it } from 'vitest';
import type { ApiIssue } from '../api/client.js';
import type { DeskType } from '../api/types.js';
import { countUnder, dropUnder, errorAt, issueLocation, issuesAt } from './issues.js';

const issues: ApiIssue[] = [
  { path: ['body', 'serviceHours', 'rules', 0, 'end'], message: 'end must differ from start (09:00)' },
  { path: ['body', 'serviceHours', 'rules', 1, 'days', 2], message: 'duplicate day "mon" in days' },
  { path: ['body', 'serviceHours', 'timezone'], message: 'unknown time zone "Mars/Base"' },
  { path: ['body', 'desks', 'intercom', 'accessToken'], message: 'is required' },
  { path: ['body', 'widget', 'allowedOrigins', '3'], message: 'must be an origin' },
];

describe('issues on fields', () => {
  it('finds the issue of one field by its document path', () => {
    expect(errorAt(issues, ['serviceHours', 'rules', 0, 'end'])).toBe('end must differ from start (09:00)');
    expect(errorAt(issues, ['serviceHours', 'rules', 0, 'start'])).toBeUndefined();
    expect(errorAt(issues, ['serviceHours', 'rules', 1, 'end'])).toBeUndefined();
  });

  it('collects issues inside a group with nested', () => {
    expect(errorAt(issues, ['serviceHours', 'rules', 1, 'days'])).toBeUndefined();
    expect(errorAt(issues, ['serviceHours', 'rules', 1, 'days'], { nested: true })).toBe('duplicate day "mon" in days');
    expect(countUnder(issues, ['serviceHours'])).toBe(3);
    expect(countUnder(issues, ['desks'])).toBe(1);
  });

  it('matches indexes sent as strings or numbers', () => {
    expect(issuesAt(issues, ['widget', 'allowedOrigins', 3])).toHaveLength(1);
  });

  it('joins different messages of one field and drops repeats', () => {
    const twice: ApiIssue[] = [
      { path: ['body', 'enabled'], message: 'a' },
      { path: ['body', 'enabled'], message: 'a' },
      { path: ['body', 'enabled'], message: 'b' },
    ];
    expect(errorAt(twice, ['enabled'])).toBe('a; b');
  });

  it('drops the issues under a part of the document', () => {
    expect(dropUnder(issues, ['serviceHours', 'rules']).map((i) => i.path.at(-1))).toEqual(['timezone', 'accessToken', '3']);
  });

  it('names where an issue is in the screen\'s words', () => {
    expect(issues.map((issue) => issueLocation(issue))).toEqual([
      'Service hours › rule 1 › end',
      'Service hours › rule 2 › day 3',
      'Service hours › time zone',
      'Desks › intercom › access token',
      'Widget › allowed origin 4',
    ]);
  });

  it('names a desk field as its form does, from the desk types', () => {
    const deskTypes: DeskType[] = [
      {
        kind: 'intercom',
        title: 'Intercom',
        description: '',
        configSchema: { type: 'object', properties: { accessToken: { type: 'string', format: 'password', 'x-ui': { label: 'Intercom access token' } }, apiBaseUrl: { type: 'string' } } },
        webhooks: [],
      },
    ];
    const at = (...path: string[]) => issueLocation({ path: ['body', 'desks', ...path], message: 'x' }, deskTypes);
    expect(at('intercom', 'accessToken')).toBe('Desks › Intercom access token');
    expect(at('intercom', 'apiBaseUrl')).toBe('Desks › Intercom › api base url');
    expect(at('intercom')).toBe('Desks › Intercom');
  });
});
