import type { JsonObject } from '../json.js';
import { getVariable } from './variables.js';

// {{ path }} or {{ path | fallback text }}
const PLACEHOLDER = /\{\{\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(?:\|\s*([^}]*?)\s*)?\}\}/g;

/**
 * Renders `{{variable}}` placeholders; `encode` escapes each inserted value (e.g. for URLs). A missing variable renders as its fallback
 * (`{{user.name | there}}`) or as an empty string; objects and arrays render as JSON.
 *
 * @example
 * renderTemplate('Hi {{user.name | there}}, about {{order.id}}', { order: { id: 7 } })
 * // 'Hi there, about 7'
 */
export function renderTemplate(
  template: string,
  vars: Readonly<JsonObject>,
  options: { encode?: (value: string, offset: number) => string } = {},
): string {
  return template.replace(PLACEHOLDER, (_match, path: string, fallback: string | undefined, offset: number) => {
    const value = getVariable(vars, path);
    const text = value === undefined || value === null || value === '' ? (fallback ?? '') : typeof value === 'string' ? value : JSON.stringify(value);
    return options.encode ? options.encode(text, offset) : text;
  });
}

/**
 * The variable paths a template reads, in order of first use.
 *
 * @example
 * templateVariables('{{a}} and {{b.c | x}} and {{a}}') // ['a', 'b.c']
 */
export function templateVariables(template: string): string[] {
  const found = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) found.add(match[1]!);
  return [...found];
}
