import { Field } from '../ui/components.js';
import { errorAt } from './issues.js';
import type { SectionProps } from './section.js';
import { defaultDeskMissing, type SettingsForm } from './settings-form.js';

export const DESK_NAMES: Record<SettingsForm['defaultDesk'], string> = {
  inbox: "Baton's inbox",
  intercom: 'Intercom',
  livechat: 'LiveChat',
  webhook: 'Webhook desk',
};

/** Where "talk to a person" goes when no node says otherwise. */
export function DefaultDeskSection({ form, update, issues }: SectionProps) {
  const missing = defaultDeskMissing(form);
  const error = errorAt(issues, ['defaultDesk']) ?? (missing ? `${DESK_NAMES[form.defaultDesk]} is not set up: set it up under Desks, or choose another.` : undefined);
  return (
    <section className="settings-section">
      <Field
        label="Default desk for “talk to a person”"
        help="Where the widget's “Talk to a person” button, and a user asking for a person, sends the conversation."
        error={error}
      >
        {(id, describedBy) => (
          <select id={id} aria-describedby={describedBy} value={form.defaultDesk} onChange={(e) => update((f) => ({ ...f, defaultDesk: e.target.value as SettingsForm['defaultDesk'] }))}>
            {(Object.keys(DESK_NAMES) as SettingsForm['defaultDesk'][]).map((desk) => (
              <option key={desk} value={desk}>
                {DESK_NAMES[desk]}
                {desk !== 'inbox' && form.desks[desk] === null ? ' (not set up)' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
    </section>
  );
}
