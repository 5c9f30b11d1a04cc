import { z } from 'zod';
import { builtinNodes } from '@baton/nodes';
import { describe, expect, expectTypeOf, test } from 'vitest';
import type { BotSettings } from '../features/bots/bot-settings.js';
import { Router } from '../http/route.js';
import { silentLogger } from '../log.js';
import {
  CONFIGURABLE_DESK_KINDS,
  DESK_KINDS,
  DESK_SECRET_FIELDS,
  builtinDesks,
  deskConfig,
  deskOf,
  deskRouters,
  deskTypesManifest,
  desksSettingsSchema,
} from './registry.js';
import { createMemorySeenSignatures, defineDesk, deskSecret } from './sdk/index.js';

const routers = () => deskRouters({ config: () => undefined, inbound: { deliver: async () => 'delivered' }, log: silentLogger, seenSignatures: createMemorySeenSignatures() });

describe('the desk registry', () => {
  test('the kinds: Baton’s inbox and the desks a bot sets up', () => {
    expect(DESK_KINDS).toEqual(['inbox', 'intercom', 'livechat', 'webhook']);
    expect(CONFIGURABLE_DESK_KINDS).toEqual(['intercom', 'livechat', 'webhook']);
  });

  test("the escalate node offers exactly the desks a bot sets up (its provider list is the flow language's copy)", () => {
    const escalate = builtinNodes.find((node) => node.type === 'escalate')!;
    const provider = (z.toJSONSchema(escalate.config) as unknown as { properties: { provider: { enum: string[] } } }).properties.provider;
    expect([...provider.enum].sort()).toEqual([...CONFIGURABLE_DESK_KINDS].sort());
  });

  test('the secrets of the settings are the fields the desks mark as secrets', () => {
    expect([...DESK_SECRET_FIELDS].sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'desks.intercom.accessToken', required: true },
      { path: 'desks.intercom.clientSecret', required: true },
      { path: 'desks.livechat.accessToken', required: true },
      { path: 'desks.livechat.secretKey', required: true },
      { path: 'desks.webhook.password', required: false },
      { path: 'desks.webhook.secret', required: true },
    ]);
  });

  test('the settings document: a PUT may leave secrets out; the rest is checked as each desk declares', () => {
    expect(desksSettingsSchema.parse({ webhook: { baseUrl: ' https://desk.example/baton ' }, intercom: {} })).toEqual({
      webhook: { baseUrl: 'https://desk.example/baton' },
      intercom: {},
    });
    const refused = desksSettingsSchema.safeParse({ webhook: { baseUrl: 'ftp://desk' }, livechat: { accessToken: '' } });
    expect(refused.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['livechat.organizationId', expect.any(String)],
      ['livechat.accessToken', 'must not be empty'],
      ['webhook.baseUrl', 'must be an http(s) URL'],
    ]);
    expectTypeOf<NonNullable<BotSettings['desks']['webhook']>>().toEqualTypeOf<{ baseUrl: string; secret?: string; username?: string | undefined; password?: string | undefined }>();
    expectTypeOf<BotSettings['defaultDesk']>().toEqualTypeOf<'inbox' | 'intercom' | 'livechat' | 'webhook'>();
  });

  test("a desk is set up when the bot's settings hold all it needs, secrets included", () => {
    const webhook = deskOf('webhook');
    expect(deskConfig({ desks: {} }, webhook)).toBeUndefined();
    expect(deskConfig({ desks: { webhook: { baseUrl: 'https://desk.example' } } }, webhook)).toBeUndefined();
    expect(deskConfig({ desks: { webhook: { baseUrl: 'https://desk.example', secret: 's' } } }, webhook)).toEqual({ baseUrl: 'https://desk.example', secret: 's' });
    expect(deskConfig({ desks: {} }, deskOf('inbox'))).toEqual({});
  });

  test('each desk with webhooks mounts them under /hooks/<kind>/', () => {
    const mounted = routers();
    expect(mounted.map((r) => r.kind)).toEqual(['intercom', 'livechat', 'webhook']);
    for (const { kind, router } of mounted) {
      expect(router).toBeInstanceOf(Router);
      for (const spec of router.specs) expect(spec.path.startsWith(`/hooks/${kind}/:botId`)).toBe(true);
    }
  });

  test('the manifest the editor reads: titles, settings JSON Schemas with write-only secrets, webhook paths', () => {
    const manifest = deskTypesManifest(routers());
    expect(manifest.map((desk) => desk.kind)).toEqual(DESK_KINDS);
    const inbox = manifest.find((desk) => desk.kind === 'inbox')!;
    expect(inbox).toEqual({ kind: 'inbox', title: "Baton's inbox", description: expect.any(String), webhooks: [] });
    const webhook = manifest.find((desk) => desk.kind === 'webhook')!;
    expect(webhook.webhooks).toEqual(['/hooks/webhook/:botId/message', '/hooks/webhook/:botId/close']);
    expect(webhook.configSchema).toMatchObject({
      type: 'object',
      required: ['baseUrl', 'secret'],
      properties: {
        baseUrl: { type: 'string', format: 'uri', 'x-ui': { label: 'Webhook base URL' } },
        secret: { type: 'string', format: 'password' },
        password: { type: 'string', format: 'password' },
        username: { type: 'string' },
      },
    });
    expect(manifest.find((desk) => desk.kind === 'intercom')!.webhooks).toEqual(['/hooks/intercom/:botId']);
    // Plain JSON: what the API sends is what the registry made.
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    for (const desk of builtinDesks) expect(desk.title).not.toBe('');
  });

  test('defineDesk refuses a kind that is not snake_case', () => {
    const declare = (kind: string) => () =>
      defineDesk({ kind, title: 'X', description: 'X', configSchema: z.object({ token: deskSecret({ label: 'Token' }) }), client: () => ({}) as never });
    expect(declare('Zen-Desk')).toThrow(/snake_case/);
    expect(declare('zendesk')).not.toThrow();
  });
});
