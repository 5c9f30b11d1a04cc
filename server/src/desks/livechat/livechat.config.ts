import { z } from 'zod';
import { ui } from '@baton/nodes';
import { deskSecret, deskUrl } from '../sdk/index.js';

/** A bot's LiveChat settings (`desks.livechat`). */
export const livechatConfigSchema = z.object({
  organizationId: z.string().trim().min(1).max(200).meta(ui({ label: 'LiveChat organization ID' })),
  accessToken: deskSecret({ label: 'LiveChat agent access token', help: 'An OAuth agent token with the customers:own scope.' }),
  secretKey: deskSecret({ label: 'LiveChat webhook secret key', help: 'The secret_key you register with the webhooks.' }),
  apiBaseUrl: deskUrl({ label: 'LiveChat API base URL', help: 'Leave empty in production; only for a test double.' }).optional(),
});
export type LivechatConfig = z.output<typeof livechatConfigSchema>;
