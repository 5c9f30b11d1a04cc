import { Field } from '../../../ui/components.js';
import type { WidgetProps } from '../widget-props.js';

/** On or off, as a switch; shows the default until changed. */
export function SwitchWidget({ field, value, onChange, error }: WidgetProps) {
  const checked = typeof value === 'boolean' ? value : field.schema.default === true;
  return (
    <Field label={field.label} help={field.help} error={error}>
      {(id, describedBy) => (
        <span className="switch">
          <input id={id} type="checkbox" role="switch" checked={checked} aria-checked={checked} aria-describedby={describedBy} data-field={field.name} onChange={(e) => onChange(e.target.checked)} />
          <span className="switch-text" aria-hidden="true">
            {checked ? 'On' : 'Off'}
          </span>
        </span>
      )}
    </Field>
  );
}
