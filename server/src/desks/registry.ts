// Every desk Baton hands conversations to, and everything derived from their declarations: the
// kinds, the settings schema and its secrets, the webhook routes, the desks' settings form.
// Adding a desk is its folder and one line in `builtinDesks` (docs/desks.md).
import { z } from 'zod';
import type { Router } from '../http/route.js';
import type { Logger } from '../log.js';
import { inboxDesk } from './inbox/inbox.desk.js';
import { intercomDesk } from './intercom/intercom.desk.js';
import { livechatDesk } from './livechat/livechat.desk.js';
import {
  deskSettingsSchemaOf,
  secretFieldsOf,
  type AnyDeskDefinition,
  type DeskClient,
  type DeskInbound,
  type DeskRuntime,
  type DeskSettingsSchemaOf,
  type SeenSignatures,
} from './sdk/index.js';
import { webhookDesk } from './webhook/webhook.desk.js';

export const builtinDesks = [inboxDesk, intercomDesk, livechatDesk, webhookDesk] as const;

type BuiltinDesk = (typeof builtinDesks)[number];
export type DeskKind = BuiltinDesk['kind'];
/** The desks a bot sets up in its settings (all but Baton's own inbox). */
type ConfigurableDesk = Extract<BuiltinDesk, { configSchema: z.ZodObject }>;
export type ConfigurableDeskKind = ConfigurableDesk['kind'];

const kinds = builtinDesks.map((desk) => desk.kind);
const duplicate = kinds.find((kind, i) => kinds.indexOf(kind) !== i);
if (duplicate) throw new Error(`Two desks are declared with the kind "${duplicate}"`);

export const DESK_KINDS = kinds as [DeskKind, ...DeskKind[]];
const configurableDesks = builtinDesks.filter((desk): desk is ConfigurableDesk => desk.configSchema !== undefined);
export const CONFIGURABLE_DESK_KINDS = configurableDesks.map((desk) => desk.kind) as [ConfigurableDeskKind, ...ConfigurableDeskKind[]];

export function isDeskKind(value: unknown): value is DeskKind {
  return typeof value === 'string' && (DESK_KINDS as readonly string[]).includes(value);
}

export function deskOf(kind: DeskKind): AnyDeskDefinition {
  return builtinDesks.find((desk) => desk.kind === kind)!;
}

/** Whether bots set the desk up (and so whether it has a status: not configured, available, unavailable). */
export function isConfigurableDeskKind(kind: DeskKind): kind is ConfigurableDeskKind {
  return (CONFIGURABLE_DESK_KINDS as readonly string[]).includes(kind);
}

type DesksSettingsShape = {
  [D in ConfigurableDesk as D['kind']]: z.ZodOptional<DeskSettingsSchemaOf<D['configSchema']>>;
};

/** `settings.desks`: each desk's settings as a PUT sends them (secrets may be left out to keep them). */
export const desksSettingsSchema = z.object(
  Object.fromEntries(configurableDesks.map((desk) => [desk.kind, deskSettingsSchemaOf(desk.configSchema).optional()])) as DesksSettingsShape,
);

/** Every secret of the settings by its path (`desks.webhook.secret`), and whether a set-up desk needs it. */
export const DESK_SECRET_FIELDS: readonly { path: string; required: boolean }[] = configurableDesks.flatMap((desk) =>
  secretFieldsOf(desk.configSchema as z.ZodObject).map((field) => ({ path: `desks.${desk.kind}.${field.name}`, required: field.required })),
);

/**
 * A desk's settings as its client and routes take them (parsed, secrets in clear), from the bot's
 * settings with secrets; undefined when the bot has not set the desk up. A desk without settings
 * (the inbox) is always set up.
 */
export function deskConfig(settings: { desks: Partial<Record<string, unknown>> }, desk: AnyDeskDefinition): unknown {
  if (!desk.configSchema) return {};
  const stored = settings.desks[desk.kind];
  if (stored === undefined) return undefined;
  const parsed = desk.configSchema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

/** Each desk's client, made once for the process; paired with its own desk's settings by kind, which TypeScript cannot follow. */
export function createDeskClients(runtime: DeskRuntime): ReadonlyMap<DeskKind, DeskClient<unknown>> {
  return new Map(builtinDesks.map((desk) => [desk.kind, (desk as AnyDeskDefinition).client(runtime) as DeskClient<unknown>]));
}

export interface DeskRoutesDeps {
  /** A desk's settings for a bot (`deskConfig`), undefined for an unknown bot or a desk it has not set up. */
  config(botId: string, desk: AnyDeskDefinition): unknown;
  inbound: DeskInbound;
  log: Logger;
  seenSignatures: SeenSignatures;
}

/** Each desk's webhook routes, with its kind bound into what they deliver. */
export function deskRouters(deps: DeskRoutesDeps): { kind: DeskKind; router: Router }[] {
  return builtinDesks.flatMap((desk) => {
    const routes = (desk as AnyDeskDefinition).routes;
    if (!routes) return [];
    const router = routes({
      config: (botId) => deps.config(botId, desk) as never,
      inbound: { deliver: (botId, deskConversationId, event) => deps.inbound.deliver(botId, desk.kind, deskConversationId, event) },
      log: deps.log,
      seenSignatures: deps.seenSignatures,
    });
    return [{ kind: desk.kind, router }];
  });
}

/** What the editor needs of a desk: `GET /api/desk-types`. */
export interface DeskTypeManifest {
  kind: DeskKind;
  title: string;
  description: string;
  /** The settings form: JSON Schema with `x-ui` hints; secrets are `format: password`. Absent: nothing to set up. */
  configSchema?: Record<string, unknown>;
  /** The paths of its webhooks (`/hooks/intercom/:botId`), to register on the desk's side. */
  webhooks: string[];
}

export function deskTypesManifest(routers: readonly { kind: DeskKind; router: Router }[]): DeskTypeManifest[] {
  return builtinDesks.map((desk) => {
    const schema = (desk as AnyDeskDefinition).configSchema;
    const paths = routers.filter((r) => r.kind === desk.kind).flatMap((r) => r.router.specs.map((spec) => spec.path));
    return {
      kind: desk.kind,
      title: desk.title,
      description: desk.description,
      ...(schema ? { configSchema: z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown> } : {}),
      webhooks: [...new Set(paths)],
    };
  });
}
