// The field types of desk settings. Secrets are marked in their schema's metadata with
// `format: "password"` (OpenAPI's mark of a value to hide): the settings document masks them on
// GET and keeps them when a PUT leaves them out, the editor's form shows them write-only, and every
// secret path of the settings is read from these marks. (Not JSON Schema's `writeOnly`: GET does
// answer them, as the mask, and an OpenAPI response may not hold a writeOnly property.)
import { z } from 'zod';
import { ui, type UiHints } from '@baton/nodes';

declare const secretBrand: unique symbol;

/** A secret of a desk's settings (token, key, password): write-only, stored encrypted. */
export type DeskSecretSchema = z.ZodString & { readonly [secretBrand]: true };

/**
 * A secret field. Required unless `.optional()`: a desk that is set up cannot do without it
 * (a PUT that leaves it out keeps the stored one; with none stored, the PUT is refused).
 *
 * @example
 * z.object({ accessToken: deskSecret({ label: 'Access token' }), password: deskSecret({ label: 'Password' }).optional() })
 */
export function deskSecret(hints: UiHints): DeskSecretSchema {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(4000)
    .meta({ format: 'password', ...ui(hints) }) as DeskSecretSchema;
}

/**
 * An http(s) URL (surrounding spaces are dropped). `examples` are offered as suggestions by
 * the editor, e.g. the regions of a service.
 *
 * @example
 * deskUrl({ label: 'API base URL' }, ['https://api.eu.intercom.io']).optional()
 */
export function deskUrl(hints: UiHints, examples?: readonly string[]) {
  return z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .max(2000)
    .trim()
    .meta({ ...ui(hints), ...(examples ? { examples: [...examples] } : {}) });
}

/** A plain text field of at most `max` characters (surrounding spaces are dropped). */
export function deskText(hints: UiHints, max = 200) {
  return z.string().trim().min(1, 'must not be empty').max(max).meta(ui(hints));
}

const unwrap = (schema: z.ZodType): z.ZodType => (schema instanceof z.ZodOptional ? unwrap(schema.unwrap() as z.ZodType) : schema);

/** Whether a field of a desk's settings is a secret. */
export function isDeskSecret(schema: z.ZodType): boolean {
  return unwrap(schema).meta()?.['format'] === 'password';
}

/** The secret fields of a desk's settings, and which ones a set-up desk cannot do without. */
export function secretFieldsOf(schema: z.ZodObject): { name: string; required: boolean }[] {
  return Object.entries(schema.shape)
    .filter(([, field]) => isDeskSecret(field as z.ZodType))
    .map(([name, field]) => ({ name, required: !(field instanceof z.ZodOptional) }));
}

/** Settings as a PUT sends them: a secret may be left out (or sent masked) to keep the stored one. */
export type DeskSettingsShape<Shape extends z.ZodRawShape> = {
  [K in keyof Shape]: Shape[K] extends DeskSecretSchema ? z.ZodOptional<Shape[K]> : Shape[K];
};

/** The settings schema of a desk's `configSchema`. */
export type DeskSettingsSchemaOf<Schema extends z.ZodObject> = Schema extends z.ZodObject<infer Shape> ? z.ZodObject<DeskSettingsShape<Shape>> : never;

export function deskSettingsSchemaOf<Schema extends z.ZodObject>(schema: Schema): DeskSettingsSchemaOf<Schema> {
  const mask = Object.fromEntries(secretFieldsOf(schema).map((field) => [field.name, true as const]));
  return (schema as z.ZodObject).partial(mask as Record<string, true> & Record<number, never>) as unknown as DeskSettingsSchemaOf<Schema>;
}
