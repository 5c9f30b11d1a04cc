// The settings screen's form and the settings document the API stores, both ways. PUT replaces
// the whole document, so the form keeps everything, and a secret nobody retyped goes back as the
// mask the server sent (the server then keeps the stored value).
import type { BotSettings, DeskKind } from '../api/types.js';
import { ruleFromDocument, ruleToDocument, type RuleForm } from './rules.js';

/** What GET shows instead of a stored secret. */
export const SECRET_MASK = '********';

/** A write-only field: whether a value is stored, and what was typed to replace it. */
export interface SecretField {
  stored: boolean;
  value: string;
}

export type IntercomRegion = 'us' | 'eu' | 'au' | 'custom';
export const INTERCOM_REGIONS: Record<Exclude<IntercomRegion, 'custom'>, { label: string; url: string | undefined }> = {
  us: { label: 'United States (default)', url: undefined },
  eu: { label: 'Europe', url: 'https://api.eu.intercom.io' },
  au: { label: 'Australia', url: 'https://api.au.intercom.io' },
};

export interface IntercomForm {
  accessToken: SecretField;
  clientSecret: SecretField;
  region: IntercomRegion;
  /** Used when the region is "custom" (a test double, a proxy). */
  apiBaseUrl: string;
}

export interface LivechatForm {
  organizationId: string;
  accessToken: SecretField;
  secretKey: SecretField;
  apiBaseUrl: string;
}

export interface WebhookForm {
  baseUrl: string;
  secret: SecretField;
  username: string;
  password: SecretField;
}

export interface SettingsForm {
  enabled: boolean;
  aiMode: 'hosted' | 'assist';
  defaultDesk: 'inbox' | DeskKind;
  /** `limited: false` means always open; the rules are kept meanwhile so switching back loses nothing. */
  serviceHours: { limited: boolean; timezone: string; rules: RuleForm[] };
  desks: { intercom: IntercomForm | null; livechat: LivechatForm | null; webhook: WebhookForm | null };
  widget: { allowedOrigins: string[]; greeting: string; color: string | null };
}

const secretFrom = (value: string | undefined): SecretField => ({ stored: value === SECRET_MASK, value: value && value !== SECRET_MASK ? value : '' });

/** The secret to send: what was typed, else the mask to keep the stored one, else nothing. */
export function secretOut(field: SecretField): string | undefined {
  if (field.value !== '') return field.value;
  return field.stored ? SECRET_MASK : undefined;
}

export function intercomRegionOf(apiBaseUrl: string | undefined): IntercomRegion {
  const url = apiBaseUrl?.replace(/\/+$/, '');
  if (!url || url === 'https://api.intercom.io') return 'us';
  if (url === INTERCOM_REGIONS.eu.url) return 'eu';
  if (url === INTERCOM_REGIONS.au.url) return 'au';
  return 'custom';
}

export const emptyIntercom = (): IntercomForm => ({ accessToken: secretFrom(undefined), clientSecret: secretFrom(undefined), region: 'us', apiBaseUrl: '' });
export const emptyLivechat = (): LivechatForm => ({ organizationId: '', accessToken: secretFrom(undefined), secretKey: secretFrom(undefined), apiBaseUrl: '' });
export const emptyWebhook = (): WebhookForm => ({ baseUrl: '', secret: secretFrom(undefined), username: '', password: secretFrom(undefined) });

export function formFromSettings(settings: BotSettings, defaults: { timezone: string }): SettingsForm {
  const { intercom, livechat, webhook } = settings.desks;
  return {
    enabled: settings.enabled,
    aiMode: settings.aiMode,
    defaultDesk: settings.defaultDesk,
    serviceHours: {
      limited: settings.serviceHours !== undefined,
      timezone: settings.serviceHours?.timezone ?? defaults.timezone,
      rules: (settings.serviceHours?.rules ?? []).map((rule) => ruleFromDocument(rule)),
    },
    desks: {
      intercom: intercom
        ? {
            accessToken: secretFrom(intercom.accessToken),
            clientSecret: secretFrom(intercom.clientSecret),
            region: intercomRegionOf(intercom.apiBaseUrl),
            apiBaseUrl: intercomRegionOf(intercom.apiBaseUrl) === 'custom' ? (intercom.apiBaseUrl ?? '') : '',
          }
        : null,
      livechat: livechat
        ? { organizationId: livechat.organizationId, accessToken: secretFrom(livechat.accessToken), secretKey: secretFrom(livechat.secretKey), apiBaseUrl: livechat.apiBaseUrl ?? '' }
        : null,
      webhook: webhook
        ? { baseUrl: webhook.baseUrl, secret: secretFrom(webhook.secret), username: webhook.username ?? '', password: secretFrom(webhook.password) }
        : null,
    },
    widget: { allowedOrigins: [...settings.widget.allowedOrigins], greeting: settings.widget.greeting ?? '', color: settings.widget.color ?? null },
  };
}

/** Adds `key: value` only when the value is set (the document leaves optional fields out). */
function optional<K extends string, V>(key: K, value: V | undefined | ''): Partial<Record<K, V>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, V>);
}

/** The whole settings document to PUT. */
export function settingsFromForm(form: SettingsForm): BotSettings {
  const { intercom, livechat, webhook } = form.desks;
  const desks: BotSettings['desks'] = {};
  if (intercom) {
    const url = intercom.region === 'custom' ? intercom.apiBaseUrl.trim() : INTERCOM_REGIONS[intercom.region].url;
    desks.intercom = { ...optional('accessToken', secretOut(intercom.accessToken)), ...optional('clientSecret', secretOut(intercom.clientSecret)), ...optional('apiBaseUrl', url) };
  }
  if (livechat) {
    desks.livechat = {
      organizationId: livechat.organizationId.trim(),
      ...optional('accessToken', secretOut(livechat.accessToken)),
      ...optional('secretKey', secretOut(livechat.secretKey)),
      ...optional('apiBaseUrl', livechat.apiBaseUrl.trim()),
    };
  }
  if (webhook) {
    desks.webhook = {
      baseUrl: webhook.baseUrl.trim(),
      ...optional('secret', secretOut(webhook.secret)),
      ...optional('username', webhook.username.trim()),
      ...optional('password', secretOut(webhook.password)),
    };
  }
  return {
    enabled: form.enabled,
    aiMode: form.aiMode,
    defaultDesk: form.defaultDesk,
    ...(form.serviceHours.limited ? { serviceHours: { timezone: form.serviceHours.timezone, rules: form.serviceHours.rules.map(ruleToDocument) } } : {}),
    desks,
    widget: {
      allowedOrigins: [...form.widget.allowedOrigins],
      ...optional('greeting', form.widget.greeting.trim()),
      ...optional('color', form.widget.color ?? undefined),
    },
  };
}

/** Whether the form says something other than the saved document. */
export function isDirty(form: SettingsForm, saved: BotSettings): boolean {
  return JSON.stringify(settingsFromForm(form)) !== JSON.stringify(normalise(saved));
}

/** The saved document in the form's canonical shape (key order, optional fields left out). */
function normalise(saved: BotSettings): BotSettings {
  return settingsFromForm(formFromSettings(saved, { timezone: saved.serviceHours?.timezone ?? 'UTC' }));
}

/** A desk the default desk points to but that is not set up. */
export function defaultDeskMissing(form: SettingsForm): boolean {
  return form.defaultDesk !== 'inbox' && form.desks[form.defaultDesk] === null;
}

/** Whether a desk's part of the form differs from what is saved (a connection test uses the saved one). */
export function deskChanged(form: SettingsForm, saved: BotSettings, desk: DeskKind): boolean {
  return JSON.stringify(settingsFromForm(form).desks[desk]) !== JSON.stringify(normalise(saved).desks[desk]);
}

/** Which tab of the screen shows a part of the document. */
export type SettingsTab = 'general' | 'hours' | 'desks' | 'widget' | 'secrets';
export function tabOf(path: readonly (string | number)[]): SettingsTab {
  switch (path[0]) {
    case 'serviceHours':
      return 'hours';
    case 'desks':
      return 'desks';
    case 'widget':
      return 'widget';
    default:
      return 'general';
  }
}
