import { useEffect, useMemo, useState } from 'react';
import { hasIssueWithin, type Path } from '../flow-issues.js';
import type { JsonSchema } from '../json-schema.js';
import { FieldWidget } from './FieldWidget.js';
import { useFormContext } from './form-context.js';
import { formFields, groupFields, setIn, switchVariant, type FieldModel } from './schema-form.js';

export interface SchemaFormProps {
  schema: JsonSchema;
  value: unknown;
  /** The new value of this object, and the path of the field that changed (for undo grouping). */
  onChange(next: unknown, changedPath: Path): void;
  basePath?: Path;
}

/**
 * A form generated from a JSON Schema and its `x-ui` hints: one widget per field, nested objects
 * as fieldsets, lists as list editors, advanced fields behind "More options". No form is written
 * by hand for a node type.
 */
export function SchemaForm({ schema, value, onChange, basePath = [] }: SchemaFormProps) {
  const fields = useMemo(() => formFields(schema, value, basePath), [schema, value, basePath]);
  const { issues } = useFormContext();
  const basic = fields.filter((field) => !field.advanced);
  const advanced = fields.filter((field) => field.advanced);
  const advancedIssue = advanced.some((field) => hasIssueWithin(issues, field.path));
  const [open, setOpen] = useState(advancedIssue);
  useEffect(() => {
    if (advancedIssue) setOpen(true);
  }, [advancedIssue]);

  const change = (field: FieldModel, next: unknown, changedPath: Path = field.path) => {
    const updated = field.union ? switchVariant(value, field.union, String(next)) : setIn(value, [field.name], next);
    onChange(updated, changedPath);
  };
  const render = (list: FieldModel[]) =>
    groupFields(list).map((section) =>
      section.group ? (
        <div className="form-group" key={`group-${section.group}`} role="group" aria-label={section.group}>
          <h4>{section.group}</h4>
          {section.fields.map((field) => (
            <FieldWidget key={field.name} field={field} value={fieldValue(value, field)} onChange={(next, path) => change(field, next, path)} />
          ))}
        </div>
      ) : (
        section.fields.map((field) => <FieldWidget key={field.name} field={field} value={fieldValue(value, field)} onChange={(next, path) => change(field, next, path)} />)
      ),
    );

  return (
    <div className="schema-form">
      {render(basic)}
      {advanced.length ? (
        <details className="form-advanced" open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
          <summary>More options</summary>
          {render(advanced)}
        </details>
      ) : null}
    </div>
  );
}

function fieldValue(value: unknown, field: FieldModel): unknown {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[field.name] : undefined;
}
