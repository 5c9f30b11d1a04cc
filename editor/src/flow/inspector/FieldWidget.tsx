import { pathKey, type Path } from '../flow-issues.js';
import { useFormContext } from './form-context.js';
import type { FieldModel } from './schema-form.js';
import { CheckboxesWidget } from './widgets/CheckboxesWidget.js';
import { JsonWidget } from './widgets/JsonWidget.js';
import { ListWidget } from './widgets/ListWidget.js';
import { NumberWidget } from './widgets/NumberWidget.js';
import { ObjectWidget } from './widgets/ObjectWidget.js';
import { PasswordWidget } from './widgets/PasswordWidget.js';
import { SecretWidget } from './widgets/SecretWidget.js';
import { SelectWidget } from './widgets/SelectWidget.js';
import { SwitchWidget } from './widgets/SwitchWidget.js';
import { TemplateWidget } from './widgets/TemplateWidget.js';
import { TextWidget } from './widgets/TextWidget.js';
import { VariableWidget } from './widgets/VariableWidget.js';

/** The widget of a field, by its kind, with the issues placed on it. */
export function FieldWidget({ field, value, onChange }: { field: FieldModel; value: unknown; onChange(next: unknown, changedPath?: Path): void }) {
  const { issues } = useFormContext();
  const error = issues.get(pathKey(field.path))?.join(' · ');
  const props = { field, value, onChange, error };
  switch (field.kind) {
    case 'text':
    case 'textarea':
      return <TextWidget {...props} />;
    case 'template':
      return <TemplateWidget {...props} />;
    case 'number':
      return <NumberWidget {...props} />;
    case 'select':
      return <SelectWidget {...props} />;
    case 'switch':
      return <SwitchWidget {...props} />;
    case 'variable':
      return <VariableWidget {...props} />;
    case 'secret':
      return <SecretWidget {...props} />;
    case 'password':
      return <PasswordWidget {...props} />;
    case 'list':
      return <ListWidget {...props} />;
    case 'object':
      return <ObjectWidget {...props} />;
    case 'checkboxes':
      return <CheckboxesWidget {...props} />;
    case 'json':
      return <JsonWidget {...props} />;
  }
}
