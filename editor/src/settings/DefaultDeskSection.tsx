import type { DeskKind, DeskType } from '../api/types.js';
import { Field } from '../ui/components.js';
import { errorAt } from './issues.js';
import type { SectionProps } from './section.js';
import { defaultDeskMissing } from './settings-form.js';

/** Where "talk to a person" goes when no node says otherwise: any desk the server declares. */
export function DefaultDeskSection({ form, update, issues, deskTypes }: SectionProps & { deskTypes: readonly DeskType[] }) {
  const typeOf = (kind: DeskKind) => deskTypes.find((desk) => desk.kind === kind);
  const needsSettings = (kind: DeskKind) => typeOf(kind)?.configSchema !== undefined;
  const missing = defaultDeskMissing(form, needsSettings);
  const title = (kind: DeskKind) => typeOf(kind)?.title ?? kind;
  const error = errorAt(issues, ['defaultDesk']) ?? (missing ? `${title(form.defaultDesk)} is not set up: set it up under Desks, or choose another.` : undefined);
  // The saved choice is offered even before the desk types have loaded.
  const kinds = deskTypes.some((desk) => desk.kind === form.defaultDesk) ? deskTypes.map((desk) => desk.kind) : [form.defaultDesk, ...deskTypes.map((desk) => desk.kind)];
  return (
    <section className="settings-section">
      <Field
        label="Default desk for “talk to a person”"
        help="Where the widget's “Talk to a person” button, and a user asking for a person, sends the conversation."
        error={error}
      >
        {(id, describedBy) => (
          <select id={id} aria-describedby={describedBy} value={form.defaultDesk} onChange={(e) => update((f) => ({ ...f, defaultDesk: e.target.value as DeskKind }))}>
            {kinds.map((kind) => (
              <option key={kind} value={kind}>
                {title(kind)}
                {needsSettings(kind) && !form.desks[kind] ? ' (not set up)' : ''}
              </option>
            ))}
          </select>
        )}
      </Field>
    </section>
  );
}
