import { z } from 'zod';
import { deskSecret, deskUrl } from '../sdk/index.js';

/** A bot's Intercom settings (`desks.intercom`). */
export const intercomConfigSchema = z.object({
  accessToken: deskSecret({ label: 'Intercom access token', help: 'Developer Hub → your app → Authentication.' }),
  clientSecret: deskSecret({ label: 'Intercom client secret', help: "Basic information; it verifies Intercom's webhooks." }),
  apiBaseUrl: deskUrl(
    {
      label: 'Intercom API base URL',
      help: 'Empty for the United States; https://api.eu.intercom.io for Europe, https://api.au.intercom.io for Australia (or a test double).',
      placeholder: 'https://api.intercom.io',
    },
    ['https://api.eu.intercom.io', 'https://api.au.intercom.io'],
  ).optional(),
});
export type IntercomConfig = z.output<typeof intercomConfigSchema>;
