import { defineDesk } from '../sdk/index.js';
import { livechatClient } from './livechat.client.js';
import { livechatConfigSchema } from './livechat.config.js';
import { livechatRoutes } from './livechat.routes.js';

/** LiveChat: agents answer in LiveChat; Baton speaks to them as the customer (docs/livechat-desk.md). */
export const livechatDesk = defineDesk({
  kind: 'livechat',
  title: 'LiveChat',
  description:
    'Your agents answer in LiveChat; Baton speaks to them as the customer. After saving, register the webhook below for incoming_event (agents only) and chat_deactivated, with the secret key set here.',
  configSchema: livechatConfigSchema,
  client: () => livechatClient,
  routes: (deps) => livechatRoutes(deps),
});
