// The settings screen's form and the settings document the API stores, both ways. PUT replaces
// the whole document, so the form keeps everything, and a secret nobody retyped goes back as the
// mask the server sent (the server then keeps the stored value).
import { SECRET_MASK, type BotSettings, type DeskDocuments, type DeskKind, type DeskSettings } from '../api/types.js';
import { ruleFromDocument, ruleToDocument, type RuleForm } from './rules.js';

export { SECRET_MASK };

export interface SettingsForm {
  enabled: boolean;
  aiMode: 'hosted' | 'assist';
  defaultDesk: DeskKind;
  /** `limited: false` means always open; the rules are kept meanwhile so switching back loses nothing. */
  serviceHours: { limited: boolean; timezone: string; rules: RuleForm[] };
  /**
   * Each desk's settings as the document holds them (edited by the form its JSON Schema makes;
   * a stored secret stays the mask until retyped); `null`: not set up, or removed.
   */
  desks: Partial<Record<DeskKind, DeskSettings | null>>;
  widget: { allowedOrigins: string[]; greeting: string; color: string | null };
}

export function formFromSettings(settings: BotSettings, defaults: { timezone: string }): SettingsForm {
  return {
    enabled: settings.enabled,
    aiMode: settings.aiMode,
    defaultDesk: settings.defaultDesk,
    serviceHours: {
      limited: settings.serviceHours !== undefined,
      timezone: settings.serviceHours?.timezone ?? defaults.timezone,
      rules: (settings.serviceHours?.rules ?? []).map((rule) => ruleFromDocument(rule)),
    },
    desks: Object.fromEntries(Object.entries(settings.desks as DeskDocuments).map(([kind, desk]) => [kind, desk ? { ...desk } : null])),
    widget: { allowedOrigins: [...settings.widget.allowedOrigins], greeting: settings.widget.greeting ?? '', color: settings.widget.color ?? null },
  };
}

/** Adds `key: value` only when the value is set (the document leaves optional fields out). */
function optional<K extends string, V>(key: K, value: V | undefined | ''): Partial<Record<K, V>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, V>);
}

/** The whole settings document to PUT. */
export function settingsFromForm(form: SettingsForm): BotSettings {
  const desks: Record<string, DeskSettings> = {};
  for (const [kind, desk] of Object.entries(form.desks)) {
    // Empty fields are left out, as the document leaves out what is not set.
    if (desk) desks[kind] = Object.fromEntries(Object.entries(desk).filter(([, value]) => value !== undefined && value !== ''));
  }
  return {
    enabled: form.enabled,
    aiMode: form.aiMode,
    defaultDesk: form.defaultDesk,
    ...(form.serviceHours.limited ? { serviceHours: { timezone: form.serviceHours.timezone, rules: form.serviceHours.rules.map(ruleToDocument) } } : {}),
    // Each desk as its form left it; the server checks it against the desk's declaration.
    desks: desks as BotSettings['desks'],
    widget: {
      allowedOrigins: [...form.widget.allowedOrigins],
      ...optional('greeting', form.widget.greeting.trim()),
      ...optional('color', form.widget.color ?? undefined),
    },
  };
}

/** JSON with the keys of every object sorted: equal documents give equal texts, whatever order fields were typed in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Whether the form says something other than the saved document. */
export function isDirty(form: SettingsForm, saved: BotSettings): boolean {
  return canonical(settingsFromForm(form)) !== canonical(normalise(saved));
}

/** The saved document in the form's canonical shape (key order, optional fields left out). */
function normalise(saved: BotSettings): BotSettings {
  return settingsFromForm(formFromSettings(saved, { timezone: saved.serviceHours?.timezone ?? 'UTC' }));
}

/** A desk the default desk points to that has settings but is not set up (`needsSettings`: which desks have settings). */
export function defaultDeskMissing(form: SettingsForm, needsSettings: (kind: DeskKind) => boolean): boolean {
  return needsSettings(form.defaultDesk) && !form.desks[form.defaultDesk];
}

/** Whether a desk's part of the form differs from what is saved (a connection test uses the saved one). */
export function deskChanged(form: SettingsForm, saved: BotSettings, desk: DeskKind): boolean {
  return canonical((settingsFromForm(form).desks as DeskDocuments)[desk]) !== canonical((normalise(saved).desks as DeskDocuments)[desk]);
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
