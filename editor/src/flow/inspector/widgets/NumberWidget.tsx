import { useEffect, useState } from 'react';
import { Field } from '../../../ui/components.js';
import type { WidgetProps } from '../widget-props.js';

/** A number within the schema's bounds; emptied, the default applies. */
export function NumberWidget({ field, value, onChange, error }: WidgetProps) {
  // The text is kept while typing ("1." or "-" are not numbers yet).
  const [text, setText] = useState(typeof value === 'number' ? String(value) : '');
  useEffect(() => {
    setText((current) => (Number(current) === value && current !== '' ? current : typeof value === 'number' ? String(value) : ''));
  }, [value]);
  const range = field.min !== undefined && field.max !== undefined ? `Between ${field.min} and ${field.max}.` : undefined;
  return (
    <Field label={field.label} help={[field.help, range].filter(Boolean).join(' ') || undefined} error={error}>
      {(id, describedBy) => (
        <input
          id={id}
          type="number"
          inputMode={field.integer ? 'numeric' : 'decimal'}
          value={text}
          min={field.min}
          max={field.max}
          step={field.integer ? 1 : 'any'}
          placeholder={field.placeholder}
          aria-describedby={describedBy}
          aria-required={field.required || undefined}
          aria-invalid={error ? true : undefined}
          data-field={field.name}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value === '') onChange(undefined);
            else if (Number.isFinite(e.target.valueAsNumber)) onChange(e.target.valueAsNumber);
          }}
        />
      )}
    </Field>
  );
}
