import { useEffect, useState } from 'react';
import { Field } from '../../../ui/components.js';
import type { WidgetProps } from '../widget-props.js';

/** Any JSON value, for schemas no other widget can show. */
export function JsonWidget({ field, value, onChange, error }: WidgetProps) {
  const format = (v: unknown) => (v === undefined ? '' : JSON.stringify(v, null, 2));
  const [text, setText] = useState(() => format(value));
  const [parseError, setParseError] = useState<string>();
  useEffect(() => {
    setText((current) => {
      try {
        return JSON.stringify(JSON.parse(current)) === JSON.stringify(value) ? current : format(value);
      } catch {
        return current;
      }
    });
  }, [value]);
  return (
    <Field label={field.label} help={field.help ?? 'Written as JSON.'} error={parseError ?? error}>
      {(id, describedBy) => (
        <textarea
          id={id}
          className="mono"
          rows={4}
          value={text}
          spellCheck={false}
          aria-describedby={describedBy}
          aria-invalid={parseError || error ? true : undefined}
          data-field={field.name}
          onChange={(e) => {
            setText(e.target.value);
            if (e.target.value.trim() === '') {
              setParseError(undefined);
              onChange(undefined);
              return;
            }
            try {
              onChange(JSON.parse(e.target.value));
              setParseError(undefined);
            } catch {
              setParseError('This is not valid JSON yet.');
            }
          }}
        />
      )}
    </Field>
  );
}
