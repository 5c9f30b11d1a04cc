import { describe, expect, it } from 'vitest';
import type { BotSettings } from '../api/types.js';
import { defaultDeskMissing, deskChanged, formFromSettings, isDirty, SECRET_MASK, settingsFromForm, tabOf } from './settings-form.js';

const stored: BotSettings = {
  enabled: true,
  aiMode: 'assist',
  defaultDesk: 'webhook',
  serviceHours: {
    timezone: 'Asia/Shanghai',
    rules: [
      { kind: 'weekly', days: ['mon', 'tue'], start: '09:00', end: '12:00' },
      { kind: 'date', date: '2026-12-25', closed: true },
      { kind: 'date', date: '2026-12-12', start: '13:00', end: '18:00' },
    ],
  },
  desks: {
    webhook: { baseUrl: 'https://desk.example.com/baton', secret: SECRET_MASK, username: 'baton', password: SECRET_MASK },
    intercom: { accessToken: SECRET_MASK, clientSecret: SECRET_MASK, apiBaseUrl: 'https://api.eu.intercom.io' },
    livechat: { organizationId: 'org-1', accessToken: SECRET_MASK, secretKey: SECRET_MASK },
  },
  widget: { allowedOrigins: ['https://shop.example.com'], greeting: 'Hello!', color: '#112233' },
};

const form = () => formFromSettings(stored, { timezone: 'Europe/Paris' });

describe('settings form ⇄ document', () => {
  it('gives back the same document when nothing was edited (masked secrets kept as sent)', () => {
    expect(settingsFromForm(form())).toEqual(stored);
    expect(isDirty(form(), stored)).toBe(false);
  });

  it('keeps masked secrets as the mask: the server keeps what it stored', () => {
    expect(form().desks['webhook']).toEqual(stored.desks['webhook']);
  });

  it('sends a typed secret instead of the mask, and leaves out emptied fields', () => {
    const f = form();
    f.desks['webhook'] = { ...f.desks['webhook'], secret: 'new-signing-secret', password: undefined, username: '' };
    const doc = settingsFromForm(f);
    expect(doc.desks['webhook']).toEqual({ baseUrl: 'https://desk.example.com/baton', secret: 'new-signing-secret' });
    expect(isDirty(f, stored)).toBe(true);
  });

  it('removes a desk by leaving it out of the document', () => {
    const f = form();
    f.desks['livechat'] = null;
    expect(settingsFromForm(f).desks).not.toHaveProperty('livechat');
  });

  it('a new desk sends only what was typed, so the server can say what is missing', () => {
    const f = formFromSettings({ ...stored, desks: {} }, { timezone: 'UTC' });
    f.desks['intercom'] = { accessToken: 'tok' };
    expect(settingsFromForm(f).desks).toEqual({ intercom: { accessToken: 'tok' } });
  });

  it('the order fields were typed in does not make a form dirty', () => {
    const f = form();
    const { baseUrl, ...rest } = f.desks['webhook']!;
    f.desks['webhook'] = { ...rest, baseUrl };
    expect(isDirty(f, stored)).toBe(false);
    expect(deskChanged(f, stored, 'webhook')).toBe(false);
  });

  it('keeps the rules while service hours are switched off, and drops them from the document', () => {
    const f = form();
    f.serviceHours.limited = false;
    expect(settingsFromForm(f)).not.toHaveProperty('serviceHours');
    f.serviceHours.limited = true;
    expect(settingsFromForm(f).serviceHours).toEqual(stored.serviceHours);
  });

  it('starts a bot without service hours in the browser time zone, always open', () => {
    const f = formFromSettings({ enabled: false, aiMode: 'hosted', defaultDesk: 'inbox', desks: {}, widget: { allowedOrigins: [] } }, { timezone: 'Europe/Paris' });
    expect(f.serviceHours).toEqual({ limited: false, timezone: 'Europe/Paris', rules: [] });
    expect(settingsFromForm(f)).toEqual({ enabled: false, aiMode: 'hosted', defaultDesk: 'inbox', desks: {}, widget: { allowedOrigins: [] } });
  });

  it('leaves out an empty greeting and the default colour', () => {
    const f = form();
    f.widget.greeting = '  ';
    f.widget.color = null;
    expect(settingsFromForm(f).widget).toEqual({ allowedOrigins: ['https://shop.example.com'] });
  });

  it('notices a default desk that is not set up (the inbox needs no setting up)', () => {
    const needsSettings = (kind: string) => kind !== 'inbox';
    const f = form();
    expect(defaultDeskMissing(f, needsSettings)).toBe(false);
    f.desks['webhook'] = null;
    expect(defaultDeskMissing(f, needsSettings)).toBe(true);
    f.defaultDesk = 'inbox';
    expect(defaultDeskMissing(f, needsSettings)).toBe(false);
  });
});

describe('desk changes and tabs', () => {
  it('tells whether a desk differs from the saved one', () => {
    const f = form();
    expect(deskChanged(f, stored, 'webhook')).toBe(false);
    f.desks['webhook'] = { ...f.desks['webhook'], baseUrl: 'https://other.example.com' };
    expect(deskChanged(f, stored, 'webhook')).toBe(true);
    expect(deskChanged(f, stored, 'intercom')).toBe(false);
  });

  it('maps an issue path to the tab that shows it', () => {
    expect(tabOf(['serviceHours', 'rules', 0])).toBe('hours');
    expect(tabOf(['desks', 'intercom'])).toBe('desks');
    expect(tabOf(['widget', 'color'])).toBe('widget');
    expect(tabOf(['aiMode'])).toBe('general');
  });
});
