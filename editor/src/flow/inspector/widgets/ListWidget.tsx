import { Button } from '../../../ui/components.js';
import { pathKey } from '../../flow-issues.js';
import { defaultValue } from '../../json-schema.js';
import { FieldWidget } from '../FieldWidget.js';
import { useFormContext } from '../form-context.js';
import { itemsAreObjects, itemSchema, moveItem, singular, widgetFor, type FieldModel } from '../schema-form.js';
import { SchemaForm } from '../SchemaForm.js';
import type { WidgetProps } from '../widget-props.js';

/** A list of rows (condition rules, headers, service-hour rules): add, remove, reorder; each row a nested form. */
export function ListWidget({ field, value, onChange, error }: WidgetProps) {
  const { issues } = useFormContext();
  const items = Array.isArray(value) ? value : [];
  const noun = singular(field.label);
  const max = field.schema.maxItems;
  const objects = itemsAreObjects(field);
  const schema = itemSchema(field);
  const set = (next: unknown[], path = field.path) => onChange(next, path);
  return (
    <fieldset className={`form-fieldset form-list${error ? ' invalid' : ''}`} data-field={field.name}>
      <legend>{field.label}</legend>
      {field.help ? <div className="help">{field.help}</div> : null}
      {error ? (
        <div className="error" role="alert">
          {error}
        </div>
      ) : null}
      {items.length === 0 ? <p className="muted form-list-empty">No {noun.toLowerCase()} yet.</p> : null}
      <ol className="form-list-rows">
        {items.map((item, index) => {
          const rowPath = [...field.path, index];
          const rowError = issues.get(pathKey(rowPath))?.join(' · ');
          const rowLabel = `${noun} ${index + 1}`;
          const itemField: FieldModel = { ...field, name: String(index), path: rowPath, schema, kind: widgetFor(schema), label: rowLabel, advanced: false, required: true };
          return (
            <li key={index} className="form-list-row" role="group" aria-label={rowLabel}>
              <div className="form-list-row-head">
                <span className="form-list-row-title">{rowLabel}</span>
                <span className="grow" />
                <Button small onClick={() => set(moveItem(items, index, index - 1))} disabled={index === 0} aria-label={`Move ${rowLabel.toLowerCase()} up`} title="Move up">
                  ↑
                </Button>
                <Button small onClick={() => set(moveItem(items, index, index + 1))} disabled={index === items.length - 1} aria-label={`Move ${rowLabel.toLowerCase()} down`} title="Move down">
                  ↓
                </Button>
                <Button small variant="danger" onClick={() => set(items.filter((_, i) => i !== index))} aria-label={`Remove ${rowLabel.toLowerCase()}`} title="Remove">
                  ✕
                </Button>
              </div>
              {objects && rowError ? (
                <div className="error" role="alert">
                  {rowError}
                </div>
              ) : null}
              {objects ? (
                <SchemaForm
                  schema={schema}
                  value={item}
                  basePath={rowPath}
                  onChange={(next, path) => set(items.map((old, i) => (i === index ? next : old)), path)}
                />
              ) : (
                <FieldWidget
                  field={itemField}
                  value={item}
                  onChange={(next) => set(items.map((old, i) => (i === index ? next ?? '' : old)), rowPath)}
                />
              )}
            </li>
          );
        })}
      </ol>
      <Button small onClick={() => set([...items, defaultValue(schema)])} disabled={max !== undefined && items.length >= max}>
        Add {noun.toLowerCase()}
      </Button>
    </fieldset>
  );
}
