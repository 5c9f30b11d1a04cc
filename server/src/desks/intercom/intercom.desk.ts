import { defineDesk } from '../sdk/index.js';
import { intercomClient } from './intercom.client.js';
import { intercomConfigSchema } from './intercom.config.js';
import { intercomRoutes } from './intercom.routes.js';

/** Intercom: teammates answer in Intercom's inbox; Baton writes there as the customer (docs/intercom-desk.md). */
export const intercomDesk = defineDesk({
  kind: 'intercom',
  title: 'Intercom',
  description:
    'Your teammates answer in Intercom; Baton writes there as the customer. After saving, register the webhook below in your Intercom app (topics conversation.admin.replied, conversation.admin.closed, conversation.admin.snoozed, conversation.read).',
  configSchema: intercomConfigSchema,
  client: () => intercomClient,
  routes: (deps) => intercomRoutes(deps),
});
