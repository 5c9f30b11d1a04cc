import { Field } from '../../../ui/components.js';
import { emptyToUndefined, type WidgetProps } from '../widget-props.js';

/** A one-line text, or a multi-line one for `textarea`. */
export function TextWidget({ field, value, onChange, error }: WidgetProps) {
  const text = typeof value === 'string' ? value : '';
  return (
    <Field label={field.label} help={field.help} error={error}>
      {(id, describedBy) => {
        const common = {
          id,
          value: text,
          placeholder: field.placeholder,
          maxLength: field.schema.maxLength,
          'aria-describedby': describedBy,
          'aria-required': field.required || undefined,
          'aria-invalid': error ? true : undefined,
          'data-field': field.name,
        };
        return field.kind === 'textarea' ? (
          <textarea {...common} rows={4} onChange={(e) => onChange(emptyToUndefined(e.target.value, field.required))} />
        ) : (
          <input {...common} type="text" onChange={(e) => onChange(emptyToUndefined(e.target.value, field.required))} />
        );
      }}
    </Field>
  );
}
