/**
 * UI hints for the editor's generated forms. They are plain data (no functions), travel
 * inside the config JSON Schema under `x-ui`, and never change how a config is validated.
 */
export interface UiHints {
  label?: string;
  help?: string;
  placeholder?: string;
  /** How the editor renders the field; it picks a sensible default from the schema type otherwise. */
  widget?:
    | 'text'
    | 'textarea'
    | 'template'
    | 'number'
    | 'select'
    | 'switch'
    | 'variable'
    | 'secret'
    | 'list'
    | 'json';
  /** Fields with the same group are shown together, in declaration order. */
  group?: string;
  /** Shown only when another field of the same config has one of these values. */
  visibleWhen?: { field: string; equals: string | number | boolean | (string | number | boolean)[] };
  /** A field the editor hides behind "Advanced". */
  advanced?: boolean;
}

/**
 * Metadata for a config field: pass the result to zod's `.meta()`.
 *
 * @example
 * z.string().min(1).meta(ui({ label: 'Message', widget: 'template' }))
 */
export function ui(hints: UiHints): { 'x-ui': UiHints } {
  return { 'x-ui': hints };
}
