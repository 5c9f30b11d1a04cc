import type { MiddlewareHandler } from 'hono';
import { AppError } from './errors.js';
import type { AppEnv } from './route.js';

/**
 * CORS for the chat widget on customers' sites: only the routes an end user calls, and only for
 * the origins configured in the bot's widget settings. The editor is same-origin and needs none.
 */
export function widgetCors(botOfPath: (path: string) => string | undefined, allowedOrigins: (botId: string) => readonly string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin || isSameOrigin(origin, c.req.url, c.req.header('host'))) return next();
    const botId = botOfPath(c.req.path);
    const allowed = botId !== undefined && allowedOrigins(botId).includes(origin);
    if (!allowed) {
      if (c.req.method === 'OPTIONS') return c.body(null, 403);
      if (botId !== undefined) throw new AppError(403, 'origin_not_allowed', `${origin} is not an allowed origin for this bot's widget`);
      return next();
    }
    const headers = {
      'Access-Control-Allow-Origin': origin,
      'Access-Control-Allow-Headers': 'Authorization, Content-Type, Last-Event-ID',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
    if (c.req.method === 'OPTIONS') return c.body(null, 204, headers);
    await next();
    for (const [name, value] of Object.entries(headers)) c.res.headers.set(name, value);
  };
}

function isSameOrigin(origin: string, url: string, host: string | undefined): boolean {
  try {
    const from = new URL(origin);
    return from.host === (host ?? new URL(url).host);
  } catch {
    return false;
  }
}

/**
 * The `Content-Security-Policy` of a bot's chat page: only Baton itself and the sites in the bot's
 * widget settings may frame it. The page calls the API from Baton's own origin, where CORS cannot
 * tell which site embeds it; the browser enforces this instead. Anything that is not exactly an
 * origin is left out, so a setting can never add a directive.
 */
export function chatFrameAncestors(allowedOrigins: readonly string[]): string {
  const origins = allowedOrigins.filter((value) => {
    try {
      return new URL(value).origin === value;
    } catch {
      return false;
    }
  });
  return ["frame-ancestors 'self'", ...origins].join(' ');
}
