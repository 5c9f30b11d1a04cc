// The form model of a config schema: which widget renders which schema, which fields are visible,
// where values live. Pure, so SchemaForm stays a thin renderer and all decisions are tested.
import { isJsonObject, type UiHints } from '@baton/nodes';
import { pathKey, type Path } from '../flow-issues.js';
import { defaultValue, hintsOf, normalizeSchema, objectUnion, typeOf, variantOf, type JsonSchema, type ObjectUnion } from '../json-schema.js';

/** `secret` picks one of the bot's named secrets; `password` is a write-only value (`format: password`). */
export type WidgetKind = 'text' | 'textarea' | 'template' | 'number' | 'select' | 'switch' | 'variable' | 'secret' | 'password' | 'list' | 'object' | 'checkboxes' | 'json';

export interface FieldOption {
  value: string | number | boolean;
  label: string;
}

export interface FieldModel {
  name: string;
  path: Path;
  /** The field's schema with same-type unions collapsed. */
  schema: JsonSchema;
  kind: WidgetKind;
  label: string;
  help?: string;
  placeholder?: string;
  required: boolean;
  advanced: boolean;
  options?: FieldOption[];
  min?: number;
  max?: number;
  integer?: boolean;
  /** Template fields: long texts get a taller box. */
  multiline?: boolean;
  /** Text fields: values to suggest (the schema's `examples`). */
  suggestions?: string[];
  /** Set on the synthetic field that picks the variant of a union (a service-hours rule's kind). */
  union?: ObjectUnion;
}

/** The widget for a schema: `x-ui.widget` when it fits the schema's type, else one chosen by type. */
export function widgetFor(schema: JsonSchema): WidgetKind {
  const normal = normalizeSchema(schema);
  const type = typeOf(normal);
  const hinted = hintsOf(normal).widget;
  const hasEnum = (normal.enum?.length ?? 0) > 0;
  if (normal.format === 'password' && type === 'string' && !hasEnum) return 'password';
  switch (hinted) {
    case 'text':
    case 'textarea':
    case 'template':
    case 'variable':
    case 'secret':
      if (type === 'string' && !hasEnum) return hinted;
      break;
    case 'number':
      if (type === 'number' || type === 'integer') return 'number';
      break;
    case 'select':
      if (hasEnum) return 'select';
      break;
    case 'switch':
      if (type === 'boolean') return 'switch';
      break;
    case 'list':
      if (type === 'array') return 'list';
      break;
    case 'json':
      return 'json';
  }
  if (objectUnion(normal)) return 'object';
  if (hasEnum) return 'select';
  switch (type) {
    case 'boolean':
      return 'switch';
    case 'number':
    case 'integer':
      return 'number';
    case 'string':
      return 'text';
    case 'array': {
      const items = normal.items ? normalizeSchema(normal.items) : undefined;
      if (items?.enum?.length) return 'checkboxes';
      return items && (typeOf(items) !== undefined || objectUnion(items)) ? 'list' : 'json';
    }
    case 'object':
      return normal.properties ? 'object' : 'json';
    default:
      return 'json';
  }
}

/** `timeoutSeconds` → `Timeout seconds`, `user_id` → `User id`. */
export function humanize(name: string): string {
  const words = name
    .replace(/[_-]+/g, ' ')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** An enum value as an option: lower-case words are capitalised (`anyone` → `Anyone`), codes stay (`GET`). */
export function optionLabel(value: unknown): string {
  const text = String(value);
  return /^[a-z][a-z_ ]*$/.test(text) ? humanize(text) : text;
}

/** `Rules` → `Rule`, `Headers` → `Header`, `Entries` → `Entry`. */
export function singular(label: string): string {
  if (/ies$/i.test(label)) return label.slice(0, -3) + 'y';
  if (/[^s]s$/i.test(label)) return label.slice(0, -1);
  return label;
}

/** Whether a `visibleWhen` holds for the values of the field's siblings. */
export function isVisible(visibleWhen: UiHints['visibleWhen'], siblings: Readonly<Record<string, unknown>>): boolean {
  if (!visibleWhen) return true;
  const actual = siblings[visibleWhen.field];
  return Array.isArray(visibleWhen.equals) ? visibleWhen.equals.some((v) => v === actual) : visibleWhen.equals === actual;
}

/** Shown in an empty field: the hint's placeholder, else the default the server will apply. */
export function placeholderFor(schema: JsonSchema): string | undefined {
  const hints = hintsOf(schema);
  if (hints.placeholder) return hints.placeholder;
  if (typeof schema.default === 'string' && schema.default !== '') return schema.default;
  if (typeof schema.default === 'number') return String(schema.default);
  return undefined;
}

const asObject = (value: unknown): Record<string, unknown> => (isJsonObject(value) ? value : {});

/**
 * The visible fields of an object schema for a value, in declaration order. A union of objects
 * gives a first field choosing the variant, then the chosen variant's fields.
 */
export function formFields(schema: JsonSchema, value: unknown, basePath: Path = []): FieldModel[] {
  const union = objectUnion(schema);
  if (union) {
    const variant = variantOf(union, value);
    const tag = variant.schema.properties?.[union.discriminator] ?? {};
    const chooser: FieldModel = {
      name: union.discriminator,
      path: [...basePath, union.discriminator],
      schema: { type: 'string', enum: union.variants.map((v) => v.value) },
      kind: 'select',
      label: hintsOf(tag).label ?? humanize(union.discriminator),
      required: true,
      advanced: false,
      options: union.variants.map((v) => ({ value: v.value, label: optionLabel(v.value) })),
      union,
    };
    return [chooser, ...formFields({ ...variant.schema, properties: omit(variant.schema.properties ?? {}, union.discriminator) }, value, basePath)];
  }
  const object = asObject(value);
  const properties = normalizeSchema(schema).properties ?? {};
  // visibleWhen compares with what the node will actually use: the value, else its default.
  const effective: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) effective[name] = object[name] ?? property.default;
  const fields: FieldModel[] = [];
  for (const [name, raw] of Object.entries(properties)) {
    const property = normalizeSchema(raw);
    const hints = hintsOf(property);
    if (!isVisible(hints.visibleWhen, effective)) continue;
    fields.push(fieldModel(name, property, [...basePath, name], schema.required?.includes(name) ?? false));
  }
  return fields;
}

function fieldModel(name: string, schema: JsonSchema, path: Path, required: boolean): FieldModel {
  const hints = hintsOf(schema);
  const kind = widgetFor(schema);
  const placeholder = placeholderFor(schema);
  const field: FieldModel = {
    name,
    path,
    schema,
    kind,
    label: hints.label ?? schema.title ?? humanize(name),
    required,
    advanced: hints.advanced ?? false,
    ...(hints.help ?? schema.description ? { help: hints.help ?? schema.description } : {}),
    ...(placeholder === undefined ? {} : { placeholder }),
  };
  if (kind === 'select') field.options = (schema.enum ?? []).map((value) => ({ value: value as string, label: optionLabel(value) }));
  if (kind === 'checkboxes') field.options = (normalizeSchema(schema.items ?? {}).enum ?? []).map((value) => ({ value: value as string, label: optionLabel(value) }));
  if (kind === 'number') {
    if (schema.minimum !== undefined) field.min = schema.minimum;
    if (schema.maximum !== undefined) field.max = schema.maximum;
    field.integer = typeOf(schema) === 'integer';
  }
  if (kind === 'template' || kind === 'textarea') field.multiline = kind === 'textarea' || (schema.maxLength ?? Infinity) > 2000;
  const suggestions = (schema.examples ?? []).filter((example): example is string => typeof example === 'string');
  if (kind === 'text' && suggestions.length) field.suggestions = suggestions;
  return field;
}

function omit<T>(record: Record<string, T>, key: string): Record<string, T> {
  const { [key]: _omitted, ...rest } = record;
  return rest;
}

/** The schema of the items of a list field. */
export const itemSchema = (field: FieldModel): JsonSchema => field.schema.items ?? {};

/** Whether list items are objects (each row a nested form) rather than single values. */
export function itemsAreObjects(field: FieldModel): boolean {
  const items = itemSchema(field);
  return objectUnion(items) !== undefined || typeOf(normalizeSchema(items)) === 'object';
}

/**
 * Every path the form shows for a value (fields, list rows, nested fields): issues are placed on
 * the deepest of them that contains their path.
 */
export function shownPaths(schema: JsonSchema, value: unknown, basePath: Path = []): Set<string> {
  const paths = new Set<string>();
  const walk = (objectSchema: JsonSchema, objectValue: unknown, base: Path) => {
    for (const field of formFields(objectSchema, objectValue, base)) {
      paths.add(pathKey(field.path));
      const fieldValue = asObject(objectValue)[field.name];
      if (field.kind === 'object') walk(field.schema, fieldValue, field.path);
      if (field.kind === 'list' && Array.isArray(fieldValue)) {
        fieldValue.forEach((item, index) => {
          const rowPath = [...field.path, index];
          paths.add(pathKey(rowPath));
          if (itemsAreObjects(field)) walk(itemSchema(field), item, rowPath);
        });
      }
    }
  };
  walk(schema, value, basePath);
  return paths;
}

export function getIn(value: unknown, path: Path): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isJsonObject(current) && typeof segment === 'string') current = current[segment];
    else return undefined;
  }
  return current;
}

/**
 * A copy of `value` with `next` at `path` (missing objects and arrays are created); `undefined`
 * removes an object key, so a cleared optional field falls back to its default.
 */
export function setIn(value: unknown, path: Path, next: unknown): unknown {
  if (path.length === 0) return next;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  if (typeof head === 'number') {
    const array = Array.isArray(value) ? value.slice() : [];
    array[head] = setIn(array[head], rest, next);
    return array;
  }
  const object = { ...asObject(value) };
  const child = setIn(object[head], rest, next);
  if (child === undefined) delete object[head];
  else object[head] = child;
  return object;
}

/** An object switched to another variant of its union, keeping the fields both variants have. */
export function switchVariant(value: unknown, union: ObjectUnion, tag: string): Record<string, unknown> {
  const variant = union.variants.find((v) => v.value === tag) ?? union.variants[0]!;
  const fresh = asObject(defaultValue(variant.schema));
  const old = asObject(value);
  for (const name of Object.keys(variant.schema.properties ?? {})) {
    if (name !== union.discriminator && old[name] !== undefined) fresh[name] = old[name];
  }
  return { ...fresh, [union.discriminator]: tag };
}

/** Moves a list item; out-of-range moves change nothing. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  if (to < 0 || to >= items.length || from === to) return items.slice();
  const result = items.slice();
  const [item] = result.splice(from, 1);
  result.splice(to, 0, item!);
  return result;
}

/** Fields with the same `x-ui.group` shown together, where the group's first field is. */
export function groupFields(fields: readonly FieldModel[]): { group?: string; fields: FieldModel[] }[] {
  const sections: { group?: string; fields: FieldModel[] }[] = [];
  const byGroup = new Map<string, { group?: string; fields: FieldModel[] }>();
  for (const field of fields) {
    const group = hintsOf(field.schema).group;
    if (group === undefined) {
      sections.push({ fields: [field] });
      continue;
    }
    const section = byGroup.get(group);
    if (section) section.fields.push(field);
    else {
      const created = { group, fields: [field] };
      byGroup.set(group, created);
      sections.push(created);
    }
  }
  return sections;
}
