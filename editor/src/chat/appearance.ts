// How the widget and the chat page look for a bot: the colour and greeting set in its widget
// settings (GET /api/bots/:botId/appearance), under what the embed itself says.
import { isColor } from './params.js';

/** The colour when neither the embed nor the bot's settings give one (the settings' default too). */
export const DEFAULT_ACCENT = '#3355ff';

export interface Appearance {
  color?: string;
  greeting?: string;
}

const MAX_GREETING = 500;

/** The appearance endpoint's answer, keeping only what is valid; anything else is no appearance. */
export function parseAppearance(data: unknown): Appearance {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return {};
  const d = data as Record<string, unknown>;
  const color = typeof d['color'] === 'string' && isColor(d['color']) ? d['color'] : undefined;
  const greeting = typeof d['greeting'] === 'string' ? d['greeting'].trim().slice(0, MAX_GREETING) : '';
  return { ...(color ? { color } : {}), ...(greeting ? { greeting } : {}) };
}

/**
 * The colour chosen for the chat: the embed's own (`data-color` on the script tag, `?color=` on the
 * chat page) wins over the bot's setting. Invalid colours count as not given; undefined when
 * neither chose one. The widget hands this to the page it frames (`?color=`).
 */
export function chosenColor(embed: string | undefined, setting: string | undefined): string | undefined {
  if (embed && isColor(embed)) return embed;
  if (setting && isColor(setting)) return setting;
  return undefined;
}

/** The colour to draw with: the chosen one, else the default. */
export function resolveColor(embed: string | undefined, setting: string | undefined): string {
  return chosenColor(embed, setting) ?? DEFAULT_ACCENT;
}
