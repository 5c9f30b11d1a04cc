import type { DeskClients } from '../handoff/desk-registry.js';
import { intercomClient } from './intercom/intercom.client.js';
import { livechatClient } from './livechat/livechat.client.js';
import { webhookDeskClient } from './webhook/webhook.client.js';

/** The real HTTP clients of every desk Baton supports. */
export const deskClients: DeskClients = {
  intercom: intercomClient,
  livechat: livechatClient,
  webhook: webhookDeskClient,
};
