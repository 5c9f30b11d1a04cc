// The small part of JSON Schema (2020-12) that node config schemas use, as the server sends it
// (`z.toJSONSchema` output with UI hints under `x-ui`).
import { isJsonObject, type UiHints } from '@baton/nodes';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
  description?: string;
  title?: string;
  /** Values to suggest (a text field offers them). */
  examples?: unknown[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  'x-ui'?: UiHints;
}

export function asSchema(value: unknown): JsonSchema {
  return isJsonObject(value) ? (value as JsonSchema) : {};
}

export const hintsOf = (schema: JsonSchema): UiHints => schema['x-ui'] ?? {};

/** The first type a schema names (`['string', 'null']` → `string`). */
export function typeOf(schema: JsonSchema): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type.filter((t) => t !== 'null') : schema.type ? [schema.type] : [];
  if (types[0]) return types[0];
  if (schema.enum?.length) return typeof schema.enum[0];
  if (schema.const !== undefined) return typeof schema.const;
  if (schema.properties) return 'object';
  return undefined;
}

/**
 * A union whose variants are all the same scalar type (`'' | url`, `string | null`) becomes that
 * type; the outer schema's hints and default are kept. Other schemas are returned as they are.
 */
export function normalizeSchema(schema: JsonSchema): JsonSchema {
  const variants = schema.anyOf ?? schema.oneOf;
  if (!variants?.length) return schema;
  const real = variants.filter((v) => typeOf(v) !== 'null' && v.type !== 'null');
  const types = new Set(real.map(typeOf));
  if (types.size !== 1 || types.has('object') || types.has(undefined)) return real.length === 1 ? { ...real[0], ...strip(schema) } : schema;
  const rich = real.find((v) => v.const === undefined) ?? real[0]!;
  return { ...rich, ...strip(schema) };
}

function strip(schema: JsonSchema): JsonSchema {
  const { anyOf: _a, oneOf: _o, ...rest } = schema;
  return rest;
}

/** A union of objects told apart by one property with a constant value in each (`kind`). */
export interface ObjectUnion {
  discriminator: string;
  variants: { value: string; schema: JsonSchema }[];
}

export function objectUnion(schema: JsonSchema): ObjectUnion | undefined {
  const variants = schema.oneOf ?? schema.anyOf;
  if (!variants || variants.length < 2 || !variants.every((v) => v.properties)) return undefined;
  const first = variants[0]!.properties!;
  for (const field of Object.keys(first)) {
    const values = variants.map((v) => v.properties?.[field]?.const ?? (v.properties?.[field]?.enum?.length === 1 ? v.properties[field].enum[0] : undefined));
    if (values.every((value) => typeof value === 'string') && new Set(values).size === values.length) {
      return { discriminator: field, variants: variants.map((v, i) => ({ value: values[i] as string, schema: v })) };
    }
  }
  return undefined;
}

/** The variant of a union an object is (by its discriminator), or the first one. */
export function variantOf(union: ObjectUnion, value: unknown): { value: string; schema: JsonSchema } {
  const tag = isJsonObject(value) ? (value as Record<string, unknown>)[union.discriminator] : undefined;
  return union.variants.find((v) => v.value === tag) ?? union.variants[0]!;
}

/**
 * A starting value for a schema: its default, or an object with its defaults and empty required
 * fields (a new row of a list), an empty array, the first option of a choice.
 */
export function defaultValue(schema: JsonSchema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  const union = objectUnion(schema);
  if (union) return defaultValue(union.variants[0]!.schema);
  const normal = normalizeSchema(schema);
  if (normal.enum?.length) return normal.enum[0];
  switch (typeOf(normal)) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(normal.properties ?? {})) {
        const required = normal.required?.includes(name) ?? false;
        if (!required && property.default === undefined) continue;
        result[name] = defaultValue(property);
      }
      return result;
    }
    case 'array':
      return [];
    case 'string':
      return '';
    case 'number':
    case 'integer':
      return normal.minimum ?? 0;
    case 'boolean':
      return false;
    default:
      return undefined;
  }
}
