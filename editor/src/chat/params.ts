// What the chat page reads from its URL: /chat/<botId>?email=…&color=…&title=…&parent=<origin>

export interface ChatParams {
  botId: string;
  email?: string;
  /** The widget's colour (`#rgb` or `#rrggbb`). */
  color?: string;
  title?: string;
  /** The origin of the page that frames the chat (set by the widget), for messages to it. */
  parentOrigin?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

export function isColor(value: string): boolean {
  return COLOR.test(value);
}

/** An origin exactly (`https://shop.example`), or undefined. */
export function asOrigin(value: string | null | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

export function parseChatParams(pathname: string, search: string): ChatParams | undefined {
  const match = /^\/chat\/([^/]+)\/?$/.exec(pathname);
  if (!match) return undefined;
  let botId: string;
  try {
    botId = decodeURIComponent(match[1]!);
  } catch {
    return undefined;
  }
  if (!botId || botId.length > 100) return undefined;
  const query = new URLSearchParams(search);
  const email = query.get('email')?.trim();
  const color = query.get('color')?.trim();
  const title = query.get('title')?.trim().slice(0, 80);
  const parentOrigin = asOrigin(query.get('parent'));
  return {
    botId,
    ...(email && isEmailAddress(email) ? { email } : {}),
    ...(color && isColor(color) ? { color } : {}),
    ...(title ? { title } : {}),
    ...(parentOrigin ? { parentOrigin } : {}),
  };
}
