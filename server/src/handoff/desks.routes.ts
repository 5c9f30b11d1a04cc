import { z } from 'zod';
import type { Db } from '../db/database.js';
import { CONFIGURABLE_DESK_KINDS, DESK_KINDS, deskConfig, deskOf, type DeskTypeManifest } from '../desks/registry.js';
import type { DeskClient } from '../desks/sdk/index.js';
import type { BotsService } from '../features/bots/bots.service.js';
import { AppError } from '../http/errors.js';
import { BUILDERS } from '../http/principal.js';
import { Router } from '../http/route.js';
import { readDeskStatus, recordDeskStatus } from './desk-status.js';

const statusSchema = z
  .object({
    desk: z.enum(CONFIGURABLE_DESK_KINDS),
    status: z.enum(['not_configured', 'available', 'unavailable']),
    message: z.string().optional(),
    checkedAt: z.string().optional(),
  })
  .meta({ id: 'DeskStatus' });

const deskTypeSchema = z
  .object({
    kind: z.enum(DESK_KINDS),
    title: z.string(),
    description: z.string(),
    configSchema: z.record(z.string(), z.unknown()).optional().describe("The desk's settings as JSON Schema with x-ui hints; secrets have format password. Absent: nothing to set up."),
    webhooks: z.array(z.string()).describe('The paths of its webhooks, such as /hooks/intercom/:botId'),
  })
  .meta({ id: 'DeskType' });

/** The settings screen's desks: what each is and its form, their status badges, and the "test connection" button. */
export function desksRoutes(deps: { db: Db; bots: BotsService; clients: ReadonlyMap<string, DeskClient<unknown>>; manifest: readonly DeskTypeManifest[] }): Router {
  const { db, bots, clients, manifest } = deps;
  const router = new Router();
  const botParams = z.object({ botId: z.string().min(1).max(100) });
  /** The desk's settings with secrets, parsed; undefined when the bot has not set it up. */
  const configured = (botId: string, kind: (typeof CONFIGURABLE_DESK_KINDS)[number]) => deskConfig(bots.settingsWithSecrets(botId), deskOf(kind));
  router.add(
    {
      method: 'get',
      path: '/api/desk-types',
      summary: "Every desk a bot can hand conversations to: its title, its settings' JSON Schema (secrets have format password) and its webhooks",
      tags: ['desks'],
      access: { roles: BUILDERS },
      responses: { 200: { description: 'Desk types', schema: z.object({ deskTypes: z.array(deskTypeSchema) }) } },
    },
    (c) => c.json({ deskTypes: [...manifest] }, 200),
  );
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId/desks',
      summary: 'Each desk: not configured, available or unavailable (from the last call or test)',
      tags: ['desks'],
      access: { roles: BUILDERS },
      params: botParams,
      responses: { 200: { description: 'Statuses', schema: z.object({ desks: z.array(statusSchema) }) } },
    },
    (c, { params }) => {
      bots.get(params.botId);
      return c.json({ desks: CONFIGURABLE_DESK_KINDS.map((desk) => readDeskStatus(db, params.botId, desk, configured(params.botId, desk) !== undefined)) }, 200);
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/bots/:botId/desks/:desk/test',
      summary: 'Test the connection to a desk with its saved credentials',
      tags: ['desks'],
      access: { roles: BUILDERS },
      params: botParams.extend({ desk: z.enum(CONFIGURABLE_DESK_KINDS) }),
      responses: {
        200: { description: 'The result (also stored as the desk status)', schema: statusSchema },
        409: { description: 'The desk is not set up in the bot settings (`not_configured`)' },
      },
    },
    async (c, { params }) => {
      const { botId, desk } = params;
      // settingsWithSecrets answers defaults for any id: an unknown bot must be 404, not "not configured".
      bots.get(botId);
      const config = configured(botId, desk);
      const client = clients.get(desk);
      if (config === undefined || !client) throw new AppError(409, 'not_configured', `Set up ${deskOf(desk).title} in the bot settings first`);
      const result = await client.testConnection(config);
      recordDeskStatus(db, botId, desk, result.ok, result.ok ? undefined : result.message);
      return c.json(readDeskStatus(db, botId, desk, true), 200);
    },
  );
  return router;
}
