import { useEffect, useState } from 'react';
import { SECRET_MASK } from '../../../api/types.js';
import { Badge, Field } from '../../../ui/components.js';
import type { WidgetProps } from '../widget-props.js';

/**
 * A write-only secret (`format: password` in the schema): its value is never shown. A stored one comes
 * as the mask and stays the mask (the server keeps it) until something is typed; emptying the
 * field keeps it again.
 */
export function PasswordWidget({ field, value, onChange, error }: WidgetProps) {
  const [stored, setStored] = useState(value === SECRET_MASK);
  // Saving stores what was typed: the mask comes back.
  useEffect(() => {
    if (value === SECRET_MASK) setStored(true);
  }, [value]);
  const typed = typeof value === 'string' && value !== SECRET_MASK ? value : '';
  const help = stored ? ['A value is stored. Leave empty to keep it, or type a new one to replace it.', field.help].filter(Boolean).join(' ') : field.help;
  return (
    <Field label={field.label} help={help} error={error}>
      {(id, describedBy) => (
        <div className="row">
          <input
            id={id}
            className="grow"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={typed}
            maxLength={field.schema.maxLength}
            placeholder={stored ? 'Stored, type to replace' : field.required ? '' : 'Optional'}
            aria-describedby={describedBy}
            aria-required={(field.required && !stored) || undefined}
            aria-invalid={error ? true : undefined}
            data-field={field.name}
            onChange={(e) => onChange(e.target.value !== '' ? e.target.value : stored ? SECRET_MASK : undefined)}
          />
          {stored ? <Badge tone="ok">stored</Badge> : null}
        </div>
      )}
    </Field>
  );
}
