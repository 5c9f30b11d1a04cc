import { z } from 'zod';
import { ui } from '@baton/nodes';
import { deskSecret, deskUrl } from '../sdk/index.js';

/** A bot's webhook desk settings (`desks.webhook`). */
export const webhookDeskConfigSchema = z.object({
  baseUrl: deskUrl({ label: 'Webhook base URL', help: 'Baton appends /conversation/establish, /chat and the other paths to it.', placeholder: 'https://desk.example.com/baton' }),
  secret: deskSecret({ label: 'Webhook signing secret', help: 'Signs every call, both ways.' }),
  username: z
    .string()
    .trim()
    .max(200)
    .optional()
    .meta(ui({ label: 'Webhook user name', help: 'Optional: sent with the password as HTTP Basic authentication.' })),
  password: deskSecret({ label: 'Webhook password' }).optional(),
});
export type WebhookDeskConfig = z.output<typeof webhookDeskConfigSchema>;
