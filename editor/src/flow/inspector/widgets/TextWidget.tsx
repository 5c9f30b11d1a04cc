import { Field } from '../../../ui/components.js';
import { emptyToUndefined, type WidgetProps } from '../widget-props.js';

/** A one-line text (with the schema's examples as suggestions), or a multi-line one for `textarea`. */
export function TextWidget({ field, value, onChange, error }: WidgetProps) {
  const text = typeof value === 'string' ? value : '';
  return (
    <Field label={field.label} help={field.help} error={error}>
      {(id, describedBy) => {
        const suggestions = field.suggestions ? `${id}-suggestions` : undefined;
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
          <>
            <input
              {...common}
              type={field.schema.format === 'uri' ? 'url' : 'text'}
              list={suggestions}
              spellCheck={field.schema.format === 'uri' ? false : undefined}
              onChange={(e) => onChange(emptyToUndefined(e.target.value, field.required))}
            />
            {suggestions ? (
              <datalist id={suggestions}>
                {field.suggestions!.map((suggestion) => (
                  <option key={suggestion} value={suggestion} />
                ))}
              </datalist>
            ) : null}
          </>
        );
      }}
    </Field>
  );
}
