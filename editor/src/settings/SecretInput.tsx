import { Badge, Field } from '../ui/components.js';
import type { SecretField } from './settings-form.js';

/** A write-only field: shows that a value is stored, never the value; empty keeps it. */
export function SecretInput(props: { label: string; help?: string; error?: string | undefined; field: SecretField; optional?: boolean; onChange(field: SecretField): void }) {
  const { field } = props;
  const help = field.stored
    ? `A value is stored. Leave empty to keep it, or type a new one to replace it.${props.help ? ` ${props.help}` : ''}`
    : props.help;
  return (
    <Field label={props.label} help={help} error={props.error}>
      {(id, describedBy) => (
        <div className="row">
          <input
            id={id}
            className="grow"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={field.value}
            placeholder={field.stored ? 'Stored, type to replace' : props.optional ? 'Optional' : ''}
            aria-describedby={describedBy}
            onChange={(e) => props.onChange({ ...field, value: e.target.value })}
          />
          {field.stored ? <Badge tone="ok">stored</Badge> : null}
        </div>
      )}
    </Field>
  );
}
