// Field schemas the routes share, written so that their JSON Schema says everything they check:
// the OpenAPI document then describes exactly the requests the server accepts (a fuzzer driven by
// the document, Schemathesis, holds the server to it in test/e2e).
import { z } from 'zod';
import { EMAIL_PATTERN } from '@baton/nodes';

/** The characters String.prototype.trim removes; spelled out so that every regex engine agrees. */
const TRIMMED = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const NOT_BLANK = new RegExp(`[^${TRIMMED}]`);

/** Text that is not only spaces, at most `max` characters; it arrives trimmed. */
export function nonBlankText(max: number) {
  return z.string().max(max, `must be at most ${max} characters`).regex(NOT_BLANK, 'must not be empty').trim();
}

/** An email address as Baton accepts one (nodes' isEmail), with its pattern in the document. */
export const emailAddress = z.string().max(254).regex(EMAIL_PATTERN, 'must be an email address');

/**
 * An integer in a path or query parameter: digits only, as the document's `integer` says ('',
 * ' 5' and '1e3' are refused, where a plain coercion would read them as numbers).
 */
export function integerParam<T extends z.ZodType<number>>(schema: T) {
  return z.preprocess((value) => (typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value), schema);
}
