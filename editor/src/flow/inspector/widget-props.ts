import type { Path } from '../flow-issues.js';
import type { FieldModel } from './schema-form.js';

export interface WidgetProps {
  field: FieldModel;
  value: unknown;
  /** The field's new value; nested widgets also say which inner field changed. */
  onChange(next: unknown, changedPath?: Path): void;
  /** Issues the server reported on this field. */
  error?: string | undefined;
}

/** An emptied optional field is removed from the config, so its default applies again. */
export const emptyToUndefined = (text: string, required: boolean): string | undefined => (text === '' && !required ? undefined : text);
