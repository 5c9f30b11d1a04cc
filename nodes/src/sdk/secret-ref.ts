import { z } from 'zod';
import { ui, type UiHints } from './ui.js';

/** The name of a bot secret: lower case letters, digits and `_`. */
export const SECRET_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * A config field that names one of the bot's secrets (Settings → Secrets) instead of holding it:
 * the flow stores only the name; the activity reads the value with `ctx.secrets.get(name)`.
 *
 * @example
 * config: z.object({ apiKey: secretRef({ label: 'API key' }) })
 * // in the activity:
 * const key = await ctx.secrets.get(config.apiKey);
 * if (!key) throw new NodeError('missing_secret', `the bot has no secret "${config.apiKey}"`, { retryable: false });
 */
export function secretRef(hints: UiHints = {}) {
  return z
    .string()
    .regex(SECRET_NAME, 'must be the name of a bot secret (lower case letters, digits and _)')
    .meta(ui({ ...hints, widget: 'secret' }));
}
