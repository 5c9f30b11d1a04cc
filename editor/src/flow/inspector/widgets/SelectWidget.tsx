import { Field } from '../../../ui/components.js';
import type { WidgetProps } from '../widget-props.js';

/** One of the schema's `enum` values; shows the default when none is chosen. */
export function SelectWidget({ field, value, onChange, error }: WidgetProps) {
  const options = field.options ?? [];
  const current = value ?? field.schema.default;
  const index = options.findIndex((option) => option.value === current);
  const needsEmpty = index === -1;
  return (
    <Field label={field.label} help={field.help} error={error}>
      {(id, describedBy) => (
        <select
          id={id}
          value={index === -1 ? '' : String(index)}
          aria-describedby={describedBy}
          aria-required={field.required || undefined}
          aria-invalid={error ? true : undefined}
          data-field={field.name}
          onChange={(e) => onChange(e.target.value === '' ? undefined : options[Number(e.target.value)]?.value)}
        >
          {needsEmpty ? <option value="">Choose…</option> : null}
          {options.map((option, i) => (
            <option key={String(option.value)} value={String(i)}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
