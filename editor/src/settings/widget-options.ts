// The widget options: allowed origins (checked like the server checks them), colour, and the
// snippets a site owner copies.

/** Same rule as the server's: scheme and host (and port), nothing after. */
const ORIGIN = /^https?:\/\/[^/\s]+$/;
export const MAX_ORIGINS = 50;
export const DEFAULT_WIDGET_COLOR = '#3355ff';

/**
 * Reads what was typed as an origin: trims it, drops a trailing slash (people paste
 * "https://shop.example.com/"), lower-cases scheme and host. Returns the origin or why not.
 */
export function parseOrigin(text: string, existing: readonly string[] = []): { origin: string } | { error: string } {
  let value = text.trim();
  if (!value) return { error: 'Type an origin such as https://www.example.com' };
  if (value.endsWith('/') && ORIGIN.test(value.slice(0, -1))) value = value.slice(0, -1);
  if (!ORIGIN.test(value)) {
    if (!/^https?:\/\//i.test(value)) return { error: 'Start with https:// (or http:// for a local test site)' };
    return { error: 'Only the scheme and host, without a path: https://www.example.com' };
  }
  value = value.toLowerCase();
  if (existing.includes(value)) return { error: `${value} is already in the list` };
  if (existing.length >= MAX_ORIGINS) return { error: `At most ${MAX_ORIGINS} origins` };
  return { origin: value };
}

export function isHexColor(value: string): boolean {
  return /^#[0-9a-fA-F]{6}$/.test(value);
}

/** The script tag that adds the chat bubble to a site. */
export function embedSnippet(origin: string, botId: string): string {
  return `<script src="${origin}/widget.js" data-bot="${escapeAttribute(botId)}"></script>`;
}

/** The chat page for an iframe; `email` tells the bot who the user is. */
export function iframeUrl(origin: string, botId: string, email?: string): string {
  const base = `${origin}/chat/${encodeURIComponent(botId)}`;
  return email ? `${base}?email=${encodeURIComponent(email)}` : base;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
