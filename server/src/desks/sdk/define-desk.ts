import type { z } from 'zod';
import type { Router } from '../../http/route.js';
import type { DeskClient, DeskRouteDeps, DeskRuntime } from './desk.js';

/** The settings a desk's client and routes get: the parsed `configSchema`, secrets in clear; nothing for a desk without settings. */
export type DeskConfigOf<Schema extends z.ZodObject | undefined> = Schema extends z.ZodObject ? z.output<Schema> : Record<string, never>;

interface DeskDeclaration<Kind extends string, Config> {
  /**
   * snake_case, stable forever: the key of the desk in the bot settings' `desks`, the value of
   * the escalate node's `provider`, and what every handoff to it stores.
   */
  kind: Kind;
  /** Its name on the settings screen ("Intercom"). */
  title: string;
  /** One or two sentences on the settings screen: what it is and what to set up on the desk's side. */
  description: string;
  /** Its client, made once per process (a desk of another service ignores `runtime`). */
  client(runtime: DeskRuntime): DeskClient<Config>;
  /** Its webhooks (`/hooks/<kind>/:botId…`): they verify what the desk sends and pass it to `deps.inbound`. */
  routes?(deps: DeskRouteDeps<Config>): Router;
}

/** A desk as `defineDesk` declares it; everything Baton knows about desks is read from these. */
export interface DeskDefinition<Kind extends string = string, Schema extends z.ZodObject | undefined = z.ZodObject | undefined>
  extends DeskDeclaration<Kind, DeskConfigOf<Schema>> {
  /**
   * What a bot sets up for this desk (`settings.desks.<kind>`), with `ui()` hints for the
   * settings form and its secrets made with `deskSecret()`; undefined for a desk that needs no
   * settings (Baton's own inbox).
   */
  configSchema: Schema;
}

export type AnyDeskDefinition = DeskDefinition<string, z.ZodObject | undefined>;

/**
 * Declares a desk people answer from: its settings, its client and its webhooks, once. The
 * registry (`desks/registry.ts`) derives from it the kinds, the settings schema and its
 * secrets, the webhook routes, the desk statuses and the settings form.
 *
 * @example
 * export const zendeskDesk = defineDesk({
 *   kind: 'zendesk',
 *   title: 'Zendesk',
 *   description: 'Register the webhook below in Zendesk after saving.',
 *   configSchema: z.object({
 *     subdomain: deskText({ label: 'Zendesk subdomain' }),
 *     apiToken: deskSecret({ label: 'Zendesk API token' }),
 *   }),
 *   client: () => zendeskClient,
 *   routes: (deps) => zendeskRoutes(deps),
 * });
 */
export function defineDesk<const Kind extends string, Schema extends z.ZodObject>(
  desk: DeskDeclaration<Kind, z.output<Schema>> & { configSchema: Schema },
): DeskDefinition<Kind, Schema>;
export function defineDesk<const Kind extends string>(desk: DeskDeclaration<Kind, Record<string, never>> & { configSchema?: undefined }): DeskDefinition<Kind, undefined>;
export function defineDesk(desk: DeskDeclaration<string, never> & { configSchema?: z.ZodObject }): AnyDeskDefinition {
  if (!/^[a-z][a-z0-9_]*$/.test(desk.kind)) throw new Error(`Desk kind "${desk.kind}" must be snake_case`);
  return Object.freeze({ ...desk, configSchema: desk.configSchema }) as AnyDeskDefinition;
}
