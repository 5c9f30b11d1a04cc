import type { ApiIssue } from '../api/client.js';
import type { SettingsForm } from './settings-form.js';

/** What every part of the settings form gets: the form, a way to change it, the server's issues. */
export interface SectionProps {
  form: SettingsForm;
  update(change: (form: SettingsForm) => SettingsForm): void;
  issues: readonly ApiIssue[];
}
