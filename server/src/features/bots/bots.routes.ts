import { z } from 'zod';
import { flowDocumentSchema, flowIssueSchema, SECRET_NAME } from '@baton/nodes';
import { AppError } from '../../http/errors.js';
import { BUILDERS, HUMANS } from '../../http/principal.js';
import { Router } from '../../http/route.js';
import { integerParam } from '../../http/schemas.js';
import { botSettingsSchema } from './bot-settings.js';
import type { BotsService } from './bots.service.js';

export const FLOW_BODY_LIMIT = 4 * 1024 * 1024;

const botIdParams = z.object({ botId: z.string().min(1).max(100) });
const flowDocument = flowDocumentSchema.meta({ id: 'FlowDocument', description: 'A flow: its nodes, the edges between their ports, and its settings (docs/flow-format.md)' });
const flowIssue = flowIssueSchema.meta({ id: 'FlowIssue', description: 'A problem of a flow, located by node or edge id and the JSON path in it' });
const botSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    enabled: z.boolean(),
    publishedVersion: z.number().nullable(),
  })
  .meta({ id: 'Bot' });
const upgradeSchema = z
  .object({ nodeId: z.string(), type: z.string(), from: z.number(), to: z.number() })
  .meta({ id: 'NodeUpgrade', description: 'A node whose type has a newer version that can take its config' });
/** `upgrades`: nodes whose type has a newer version that can take their config (see POST …/flow/upgrade). */
const draftSchema = z
  .object({ flow: flowDocument, issues: z.array(flowIssue), upgrades: z.array(upgradeSchema), updatedAt: z.string() })
  .meta({ id: 'Draft' });
const flowVersionSchema = z.object({ version: z.number(), publishedAt: z.string(), publishedBy: z.string().nullable() }).meta({ id: 'FlowVersion' });

/** The editor sends the document itself; a `{ flow }` envelope as GET returns it is accepted too. */
const draftBody = z.union([flowDocument, z.object({ flow: flowDocument })]);

export function botsRoutes(bots: BotsService, hooks: { switched?: (botId: string, on: boolean) => void } = {}): Router {
  const router = new Router();
  const iso = <T extends { createdAt: Date }>(bot: T) => ({ ...bot, createdAt: bot.createdAt.toISOString() });

  router.add(
    {
      method: 'post',
      path: '/api/bots',
      summary: 'Create a bot (disabled for live channels until published and switched on)',
      tags: ['bots'],
      access: { roles: BUILDERS },
      body: z.object({ name: z.string().trim().min(1, 'must not be empty').max(200) }),
      responses: { 201: { description: 'Created', schema: botSchema } },
    },
    (c, { body, user }) => c.json(iso(bots.create(body.name, user?.id)), 201),
  );
  router.add(
    {
      method: 'get',
      path: '/api/bots',
      summary: 'List bots',
      tags: ['bots'],
      access: { roles: HUMANS },
      responses: { 200: { description: 'Bots', schema: z.object({ bots: z.array(botSchema) }) } },
    },
    (c) => c.json({ bots: bots.list().map(iso) }, 200),
  );
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId',
      summary: 'One bot',
      tags: ['bots'],
      access: { roles: HUMANS },
      params: botIdParams,
      responses: { 200: { description: 'The bot', schema: botSchema }, 404: { description: 'No such bot' } },
    },
    (c, { params }) => c.json(iso(bots.get(params.botId)), 200),
  );
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId/flow',
      summary: 'The draft flow and its issues',
      tags: ['flows'],
      access: { roles: BUILDERS },
      params: botIdParams,
      responses: { 200: { description: 'The draft', schema: draftSchema } },
    },
    (c, { params }) => {
      const draft = bots.draft(params.botId);
      return c.json({ ...draft, updatedAt: draft.updatedAt.toISOString() }, 200);
    },
  );
  router.add(
    {
      method: 'put',
      path: '/api/bots/:botId/flow',
      summary: 'Save the draft flow; saved even with issues, which the answer lists',
      tags: ['flows'],
      access: { roles: BUILDERS },
      params: botIdParams,
      body: draftBody,
      // Not a flow document at all: 422 with the issues validateFlow finds, as publishing does.
      onInvalidBody: (_error, json) => bots.notAFlow(json && typeof json === 'object' && 'flow' in json && !('schemaVersion' in json) ? json.flow : json),
      bodyLimit: FLOW_BODY_LIMIT,
      responses: {
        200: { description: 'Saved', schema: draftSchema },
        422: { description: 'Not a flow document (`invalid_flow_document`, the issues in `error.issues`); nothing was saved' },
      },
    },
    (c, { params, body, user }) => {
      const draft = bots.saveDraft(params.botId, 'flow' in body ? body.flow : body, user?.id);
      return c.json({ ...draft, updatedAt: draft.updatedAt.toISOString() }, 200);
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/bots/:botId/flow/upgrade',
      summary: "Move the draft's nodes to the newest versions of their types (each version's upgrade runs on the config)",
      tags: ['flows'],
      access: { roles: BUILDERS },
      params: botIdParams,
      responses: {
        200: { description: 'The upgraded draft', schema: draftSchema.extend({ upgraded: z.array(upgradeSchema) }).meta({ id: 'UpgradedDraft' }) },
        422: { description: "A node type's upgrade failed on a node's config (`upgrade_failed`); nothing changed" },
      },
    },
    (c, { params, user }) => {
      const draft = bots.upgradeDraft(params.botId, user?.id);
      return c.json({ ...draft, updatedAt: draft.updatedAt.toISOString() }, 200);
    },
  );
  router.add(
    {
      method: 'post',
      path: '/api/bots/:botId/publish',
      summary: 'Publish the draft as a new immutable version',
      tags: ['flows'],
      access: { roles: BUILDERS },
      params: botIdParams,
      responses: {
        201: { description: 'Published (with the warnings the flow still has)', schema: z.object({ version: z.number(), issues: z.array(flowIssue) }) },
        422: { description: 'The flow has errors (`flow_invalid`, listed in `error.issues`)' },
      },
    },
    (c, { params, user }) => c.json(bots.publish(params.botId, user?.id), 201),
  );
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId/versions',
      summary: 'Published versions, newest first',
      tags: ['flows'],
      access: { roles: BUILDERS },
      params: botIdParams,
      responses: {
        200: {
          description: 'Versions',
          schema: z.object({ versions: z.array(flowVersionSchema) }),
        },
      },
    },
    (c, { params }) =>
      c.json({ versions: bots.versions(params.botId).map((v) => ({ ...v, publishedAt: v.publishedAt.toISOString() })) }, 200),
  );
  const versionParams = botIdParams.extend({ version: integerParam(z.number().int().positive('must be a published version number')) });
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId/versions/:version',
      summary: 'The flow document of a published version',
      tags: ['flows'],
      access: { roles: BUILDERS },
      params: versionParams,
      responses: { 200: { description: 'The document', schema: z.object({ version: z.number(), flow: flowDocument }) } },
    },
    (c, { params }) => c.json({ version: params.version, flow: bots.version(params.botId, params.version) }, 200),
  );
  router.add(
    {
      method: 'post',
      path: '/api/bots/:botId/versions/:version/restore',
      summary: 'Make a published version the draft again',
      tags: ['flows'],
      access: { roles: BUILDERS },
      params: versionParams,
      responses: { 200: { description: 'The new draft', schema: draftSchema } },
    },
    (c, { params, user }) => {
      const draft = bots.restore(params.botId, params.version, user?.id);
      return c.json({ ...draft, updatedAt: draft.updatedAt.toISOString() }, 200);
    },
  );
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId/settings',
      summary: 'Bot settings; secrets are masked',
      tags: ['bots'],
      access: { roles: BUILDERS },
      params: botIdParams,
      responses: { 200: { description: 'Settings', schema: botSettingsSchema } },
    },
    (c, { params }) => c.json(bots.settings(params.botId), 200),
  );
  router.add(
    {
      method: 'put',
      path: '/api/bots/:botId/settings',
      summary: 'Replace the bot settings; a secret left out (or sent masked) keeps its stored value',
      tags: ['bots'],
      access: { roles: BUILDERS },
      params: botIdParams,
      body: botSettingsSchema,
      responses: {
        200: { description: 'Saved settings, secrets masked', schema: botSettingsSchema },
        409: { description: 'A desk is set up without a secret it needs and none is stored (`secret_required`)' },
      },
    },
    (c, { params, body }) => {
      const wasOn = bots.isEnabled(params.botId);
      const saved = bots.saveSettings(params.botId, body);
      if (saved.enabled !== wasOn) hooks.switched?.(params.botId, saved.enabled);
      return c.json(saved, 200);
    },
  );
  const secretParams = botIdParams.extend({ name: z.string().regex(SECRET_NAME, 'must be lower case letters, digits and _, starting with a letter') });
  router.add(
    {
      method: 'get',
      path: '/api/bots/:botId/secrets',
      summary: "The names of the bot's secrets (values are never shown)",
      tags: ['bots'],
      access: { roles: BUILDERS },
      params: botIdParams,
      responses: { 200: { description: 'Names', schema: z.object({ secrets: z.array(z.object({ name: z.string(), updatedAt: z.string() })) }) } },
    },
    (c, { params }) => c.json({ secrets: bots.listSecrets(params.botId).map((s) => ({ ...s, updatedAt: s.updatedAt.toISOString() })) }, 200),
  );
  router.add(
    {
      method: 'put',
      path: '/api/bots/:botId/secrets/:name',
      summary: 'Store a secret that nodes refer to by name (encrypted; write-only)',
      tags: ['bots'],
      access: { roles: BUILDERS },
      params: secretParams,
      body: z.object({ value: z.string().min(1, 'must not be empty').max(8000) }),
      responses: { 204: { description: 'Stored' } },
    },
    (c, { params, body }) => {
      bots.setSecret(params.botId, params.name, body.value);
      return c.body(null, 204);
    },
  );
  router.add(
    {
      method: 'delete',
      path: '/api/bots/:botId/secrets/:name',
      summary: 'Delete a secret',
      tags: ['bots'],
      access: { roles: BUILDERS },
      params: secretParams,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'No such secret' } },
    },
    (c, { params }) => {
      if (!bots.deleteSecret(params.botId, params.name)) throw new AppError(404, 'not_found', `The bot has no secret "${params.name}"`);
      return c.body(null, 204);
    },
  );
  return router;
}
