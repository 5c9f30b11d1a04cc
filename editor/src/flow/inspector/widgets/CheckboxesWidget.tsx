import { useId } from 'react';
import type { WidgetProps } from '../widget-props.js';

/** Several of a fixed set of values (the days of a service-hour rule). */
export function CheckboxesWidget({ field, value, onChange, error }: WidgetProps) {
  const chosen = Array.isArray(value) ? value : [];
  const id = useId();
  const options = field.options ?? [];
  return (
    <fieldset className={`field checkboxes${error ? ' invalid' : ''}`} aria-describedby={error ? `${id}-error` : undefined}>
      <legend>{field.label}</legend>
      <div className="checkbox-row">
        {options.map((option) => (
          <label key={String(option.value)} className="checkbox-chip">
            <input
              type="checkbox"
              checked={chosen.includes(option.value)}
              onChange={(e) => {
                const next = e.target.checked ? [...chosen, option.value] : chosen.filter((v) => v !== option.value);
                // Keep the schema's order (mon, tue, …) whatever the clicking order.
                onChange(options.map((o) => o.value).filter((v) => next.includes(v)));
              }}
            />
            {option.label}
          </label>
        ))}
      </div>
      {field.help ? <div className="help">{field.help}</div> : null}
      {error ? (
        <div className="error" id={`${id}-error`} role="alert">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
