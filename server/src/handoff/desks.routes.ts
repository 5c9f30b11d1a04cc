import { z } from 'zod';
import type { Db } from '../db/database.js';
import type { DeskClient, DeskKind } from '../desks/desk.js';
import type { BotsService } from '../features/bots/bots.service.js';
import { AppError } from '../http/errors.js';
import { BUILDERS } from '../http/principal.js';
import { Router } from '../http/route.js';
import { DESK_KINDS, type DeskClients } from './desk-registry.js';
import { readDeskStatus, recordDeskStatus } from './desk-status.js';

const statusSchema = z
  .object({
    desk: z.enum(['intercom', 'livechat', 'webhook']),
    status: z.enum(['not_configured', 'available', 'unavailable']),
    message: z.string().optional(),
    checkedAt: z.string().optional(),
  })
  .meta({ id: 'DeskStatus' });

/** The settings screen's desk badges and its "test connection" button. */
export function desksRoutes(deps: { db: Db; bots: BotsService; desks: DeskClients }): Router {
  const { db, bots, desks } = deps;
  const router = new Router();
  const botParams = z.object({ botId: z.string().min(1).max(100) });
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
      const configured = bots.settings(params.botId).desks;
      return c.json({ desks: DESK_KINDS.map((desk) => readDeskStatus(db, params.botId, desk, configured[desk] !== undefined)) }, 200);
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/bots/:botId/desks/:desk/test',
      summary: "Test the connection to a desk with its saved credentials",
      tags: ['desks'],
      access: { roles: BUILDERS },
      params: botParams.extend({ desk: z.enum(['intercom', 'livechat', 'webhook']) }),
      responses: {
        200: { description: 'The result (also stored as the desk status)', schema: statusSchema },
        409: { description: 'The desk is not set up in the bot settings (`not_configured`)' },
        501: { description: 'This deployment has no client for the desk (`not_supported`)' },
      },
    },
    async (c, { params }) => {
      const desk: DeskKind = params.desk;
      // settingsWithSecrets answers defaults for any id: an unknown bot must be 404, not "not configured".
      bots.get(params.botId);
      const config = bots.settingsWithSecrets(params.botId).desks[desk];
      const client = desks[desk];
      if (!config) throw new AppError(409, 'not_configured', `Set up ${desk} in the bot settings first`);
      if (!client) throw new AppError(501, 'not_supported', `This deployment has no ${desk} client`);
      const result = await (client as DeskClient<unknown>).testConnection(config);
      recordDeskStatus(db, params.botId, desk, result.ok, result.ok ? undefined : result.message);
      return c.json(readDeskStatus(db, params.botId, desk, true), 200);
    },
  );
  return router;
}
