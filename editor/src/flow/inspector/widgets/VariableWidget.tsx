import { useId } from 'react';
import { Field } from '../../../ui/components.js';
import { useFormContext } from '../form-context.js';
import { emptyToUndefined, type WidgetProps } from '../widget-props.js';

/** A variable name, with the flow's known variables suggested. */
export function VariableWidget({ field, value, onChange, error }: WidgetProps) {
  const { variables } = useFormContext();
  const listId = useId();
  return (
    <Field label={field.label} help={field.help ?? 'A name such as order_id or user.plan.'} error={error}>
      {(id, describedBy) => (
        <>
          <input
            id={id}
            type="text"
            className="mono"
            spellCheck={false}
            autoComplete="off"
            list={listId}
            value={typeof value === 'string' ? value : ''}
            placeholder={field.placeholder}
            aria-describedby={describedBy}
            aria-required={field.required || undefined}
            aria-invalid={error ? true : undefined}
            data-field={field.name}
            onChange={(e) => onChange(emptyToUndefined(e.target.value.trim(), field.required))}
          />
          <datalist id={listId}>
            {variables.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </>
      )}
    </Field>
  );
}
