import { z } from 'zod';
import { isVariablePath } from '../sdk/variables.js';
import { ui, type UiHints } from '../sdk/ui.js';

/** A variable name such as `order_id` or `user.email`. */
export function variableName(hints: UiHints = {}) {
  return z
    .string()
    .refine(isVariablePath, 'must be a variable name such as order_id or user.email')
    .meta(ui({ widget: 'variable', ...hints }));
}

/** Text with `{{variable}}` placeholders. */
export function templateText(hints: UiHints = {}, max = 4000) {
  return z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .meta(ui({ widget: 'template', ...hints }));
}
