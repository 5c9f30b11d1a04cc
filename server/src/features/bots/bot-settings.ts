import { z } from 'zod';
import { serviceHoursSchema } from '@baton/nodes';
import { DESK_KINDS, DESK_SECRET_FIELDS, desksSettingsSchema } from '../../desks/registry.js';

/** What GET shows instead of a stored secret; a PUT that sends it back keeps the secret. */
export const SECRET_MASK = '********';

const origin = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, 'must be an origin such as https://www.example.com (scheme and host, no path)')
  .max(300);

/**
 * Bot settings as PUT sends them (docs/settings.md). Secret fields may be left out or sent masked
 * to keep the stored value.
 */
export const botSettingsInputSchema = z.object({
  enabled: z.boolean().default(false),
  /**
   * What the bot says, as its last line, to a conversation it has when it is switched off (or when
   * the people it was with are done, after that). Unset: `DEFAULT_CLOSED_NOTICE`.
   */
  closedNotice: z.string().trim().min(1).max(1000).optional(),
  aiMode: z.enum(['hosted', 'assist']).default('hosted'),
  /** Where "talk to a person" goes when no node says otherwise: Baton's inbox or one of the desks. */
  defaultDesk: z.enum(DESK_KINDS).default('inbox'),
  serviceHours: serviceHoursSchema.optional(),
  /** Each desk's settings, as its declaration says (desks/registry.ts). */
  desks: desksSettingsSchema.default({}),
  widget: z
    .object({
      allowedOrigins: z.array(origin).max(50).default([]),
      greeting: z.string().max(500).optional(),
      color: z
        .string()
        .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour such as #3355ff')
        .optional(),
    })
    .default({ allowedOrigins: [] }),
});
/** The settings document of the HTTP API, both ways: GET answers it with secrets masked. */
export const botSettingsSchema = botSettingsInputSchema.meta({ id: 'BotSettings', description: "A bot's settings (docs/settings.md); secrets are write-only" });
export type BotSettingsInput = z.output<typeof botSettingsInputSchema>;
export type BotSettings = BotSettingsInput;

/** Secret fields by dotted path, and which ones a configured desk cannot do without: those the desks mark with deskSecret(). */
export const SECRET_FIELDS = DESK_SECRET_FIELDS;

export const DEFAULT_SETTINGS: BotSettings = botSettingsInputSchema.parse({});

export const DEFAULT_CLOSED_NOTICE = 'This chat is closed for now. Please come back later.';
