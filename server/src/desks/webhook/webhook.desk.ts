import { defineDesk } from '../sdk/index.js';
import { webhookDeskClient } from './webhook.client.js';
import { webhookDeskConfigSchema } from './webhook.config.js';
import { webhookRoutes } from './webhook.routes.js';

/** Any desk that speaks Baton's signed webhook contract (docs/webhook-desk.md). */
export const webhookDesk = defineDesk({
  kind: 'webhook',
  title: 'Webhook desk',
  description: "Any desk that speaks Baton's signed webhook contract: Baton calls its base URL, and it answers on the webhooks below.",
  configSchema: webhookDeskConfigSchema,
  client: () => webhookDeskClient,
  routes: (deps) => webhookRoutes(deps),
});
