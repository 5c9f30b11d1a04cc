import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import type { ConversationClient } from '@baton/engine/client';
import type { NodeRegistry } from '@baton/nodes';
import type { Db } from './db/database.js';
import { SESSION_COOKIE, createAuthService } from './features/auth/auth.service.js';
import { authRoutes } from './features/auth/auth.routes.js';
import { botsRoutes } from './features/bots/bots.routes.js';
import { createBotsService } from './features/bots/bots.service.js';
import type { ConversationEvents } from './features/conversations/conversation-events.js';
import { createConversationProjection } from './features/conversations/conversation-projection.js';
import { conversationsRoutes } from './features/conversations/conversations.routes.js';
import { createConversationsService } from './features/conversations/conversations.service.js';
import { healthRoutes } from './features/health/health.routes.js';
import { inboxRoutes } from './features/inbox/inbox.routes.js';
import { createInboxService } from './features/inbox/inbox.service.js';
import { createDeskClients, deskConfig, deskRouters, deskTypesManifest } from './desks/registry.js';
import { createDeskInbound } from './handoff/desk-inbound.js';
import { desksRoutes } from './handoff/desks.routes.js';
import { createHookReceipts } from './handoff/hook-receipts.js';
import { nodeTypesRoutes } from './features/node-types/node-types.routes.js';
import { chatFrameAncestors, widgetCors } from './http/cors.js';
import { AppError, errorBody, handleError } from './http/errors.js';
import { openApiDocument } from './http/openapi.js';
import { methodsNotAllowed, type AppEnv, type Router } from './http/route.js';
import type { Logger } from './log.js';
import type { SecretBox } from './security/secret-box.js';

export interface AppDeps {
  db: Db;
  registry: NodeRegistry;
  engine: ConversationClient;
  events: ConversationEvents;
  secretBox: SecretBox;
  log: Logger;
  /** BATON_API_TOKEN: accepted as a bearer token with owner rights. */
  apiToken?: string;
  checkTemporal: () => Promise<boolean>;
  /** The built editor (editor/dist), served at `/` when present. */
  editorDir?: string;
}

export type Services = ReturnType<typeof createServices>;

export const API_INFO = {
  title: 'Baton API',
  version: '1',
  description: 'JSON over HTTP. Errors are `{ "error": { "code", "message", "issues"? } }`. The reference: docs/api.md.',
};

export function createServices(deps: AppDeps) {
  const auth = createAuthService(deps.db, deps.apiToken ? { apiToken: deps.apiToken } : {});
  const bots = createBotsService(deps.db, deps.registry, deps.secretBox);
  const projection = createConversationProjection(deps.db, deps.events);
  const conversations = createConversationsService({ db: deps.db, bots, engine: deps.engine, projection, log: deps.log });
  const inbox = createInboxService({ db: deps.db, bots, conversations, engine: deps.engine, projection });
  const receipts = createHookReceipts(deps.db);
  const deskInbound = createDeskInbound({ db: deps.db, engine: deps.engine, projection, receipts, log: deps.log });
  return { auth, bots, projection, conversations, inbox, receipts, deskInbound };
}

/** The whole HTTP API as one Hono app, composed of feature routers. */
export function createApp(deps: AppDeps, services: Services = createServices(deps)) {
  const { auth, bots, conversations, inbox, receipts, deskInbound } = services;
  const app = new Hono<AppEnv>();

  app.onError((error, c) => handleError(error, c, (message, cause) => deps.log.error(message, cause)));
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));
  app.use('*', secureHeaders({ crossOriginResourcePolicy: false, xFrameOptions: false }));

  const conversationBot = (id: string): string | undefined => {
    try {
      return conversations.get(id).botId;
    } catch {
      return undefined;
    }
  };
  app.use(
    '/api/*',
    widgetCors(
      (p) => /^\/api\/bots\/([^/]+)\/(?:conversations|availability|appearance)$/.exec(p)?.[1] ?? conversationBot(/^\/api\/conversations\/([^/]+)/.exec(p)?.[1] ?? ''),
      (botId) => bots.settings(botId).widget.allowedOrigins,
    ),
  );

  app.use('*', async (c, next) => {
    const authorization = c.req.header('authorization');
    const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    if (authorization && !bearer) throw new AppError(401, 'invalid_credentials', 'Use "Authorization: Bearer <token>"');
    // EventSource cannot send headers: the widget passes its conversation token in the query.
    const queryToken = c.req.method === 'GET' && c.req.path.startsWith('/api/conversations/') ? c.req.query('token') : undefined;
    const sessionToken = getCookie(c, SESSION_COOKIE);
    c.set('principal', auth.resolve({ ...(bearer ?? queryToken ? { bearer: bearer ?? queryToken } : {}), ...(sessionToken ? { sessionToken } : {}) }));
    await next();
  });

  // The desks' webhooks (the handoffs themselves run in the worker; the API only tests connections).
  const desks = deskRouters({
    config: (botId, desk) => deskConfig(bots.settingsWithSecrets(botId), desk),
    inbound: deskInbound,
    log: deps.log,
    seenSignatures: { remember: (key, ttlMs) => receipts.remember(key, ttlMs) },
  });
  const deskClients = createDeskClients({ db: deps.db, bots, projection: services.projection, log: deps.log });
  const routers: Router[] = [
    healthRoutes(deps.checkTemporal),
    authRoutes(auth),
    botsRoutes(bots, {
      // Switching a bot on or off reaches its running conversations in the background: there may be many.
      switched: (botId, on) => void conversations.switchBot(botId, on).catch((error: unknown) => deps.log.error('switching a bot', error, { botId, on })),
    }),
    nodeTypesRoutes(deps.registry),
    conversationsRoutes(conversations, deps.events),
    inboxRoutes({ inbox, conversations, engine: deps.engine, events: deps.events }),
    desksRoutes({ db: deps.db, bots, clients: deskClients, manifest: deskTypesManifest(desks) }),
    ...desks.map((desk) => desk.router),
  ];
  for (const router of routers) app.route('/', router.app);
  const specs = routers.flatMap((r) => r.specs);
  const document = openApiDocument(specs, API_INFO);
  app.get('/api/openapi.json', (c) => c.json(document));
  app.route('/', methodsNotAllowed(specs));
  app.all('/api/*', (c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}`), 404));

  if (deps.editorDir && existsSync(path.join(deps.editorDir, 'index.html'))) {
    const root = path.relative(process.cwd(), deps.editorDir);
    const indexHtml = readFileSync(path.join(deps.editorDir, 'index.html'), 'utf8');
    const chatFile = path.join(deps.editorDir, 'chat.html');
    const chatHtml = existsSync(chatFile) ? readFileSync(chatFile, 'utf8') : undefined;
    // The chat page the widget frames on customers' sites (only those in the bot's settings).
    const widgetOrigins = (botId: string): readonly string[] => {
      try {
        return bots.settings(botId).widget.allowedOrigins;
      } catch {
        return [];
      }
    };
    if (chatHtml) {
      app.get('/chat/:botId', (c) => {
        c.header('Content-Security-Policy', chatFrameAncestors(widgetOrigins(c.req.param('botId'))));
        return c.html(chatHtml);
      });
    }
    app.use('/*', serveStatic({ root }));
    // The editor is a single-page app: unknown paths render it and its router takes over.
    app.get('*', (c) => c.html(indexHtml));
  }
  return app;
}
