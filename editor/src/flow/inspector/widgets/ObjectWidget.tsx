import { SchemaForm } from '../SchemaForm.js';
import type { WidgetProps } from '../widget-props.js';

/** A nested object as a fieldset of its own fields. */
export function ObjectWidget({ field, value, onChange, error }: WidgetProps) {
  return (
    <fieldset className={`form-fieldset${error ? ' invalid' : ''}`}>
      <legend>{field.label}</legend>
      {field.help ? <div className="help">{field.help}</div> : null}
      {error ? (
        <div className="error" role="alert">
          {error}
        </div>
      ) : null}
      <SchemaForm schema={field.schema} value={value} basePath={field.path} onChange={(next, path) => onChange(next, path)} />
    </fieldset>
  );
}
