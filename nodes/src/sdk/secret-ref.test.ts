import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { runActivity } from '../testing/index.js';
import { defineActivityNode } from './define-activity-node.js';
import { NodeError } from './activity.js';
import { implementActivity } from './implement-activity.js';
import { nodeTypeManifest } from './manifest.js';
import { SECRET_NAME, secretRef } from './secret-ref.js';

describe('secretRef', () => {
  const field = secretRef({ label: 'API key' });

  it('accepts the names of bot secrets', () => {
    for (const name of ['a', 'api_key', 'crm2', 'x'.repeat(64), 'stripe_live_key_2']) {
      expect(field.safeParse(name).success, name).toBe(true);
      expect(SECRET_NAME.test(name), name).toBe(true);
    }
  });

  it('refuses anything that is not a name, with a message saying what a name is', () => {
    for (const name of ['', 'API_KEY', 'Api_key', '1key', '_key', 'api-key', 'api key', 'api.key', 'x'.repeat(65), 'sk_live_ü']) {
      const parsed = field.safeParse(name);
      expect(parsed.success, name).toBe(false);
      expect(parsed.error?.issues[0]?.message, name).toBe('must be the name of a bot secret (lower case letters, digits and _)');
    }
    expect(field.safeParse(42).success).toBe(false);
  });

  it('tells the editor to render a secret picker, keeping the other hints', () => {
    const node = defineActivityNode({
      type: 'crm_lookup',
      version: 1,
      title: 'CRM lookup',
      description: '',
      category: 'integration',
      config: z.object({ apiKey: secretRef({ label: 'API key', help: 'Settings → Secrets' }), other: secretRef() }),
      ports: ['found', 'error'],
      activity: { timeoutSeconds: 5 },
    });
    const schema = nodeTypeManifest(node).configSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(schema.properties['apiKey']).toMatchObject({
      type: 'string',
      pattern: SECRET_NAME.source,
      'x-ui': { widget: 'secret', label: 'API key', help: 'Settings → Secrets' },
    });
    expect(schema.properties['other']?.['x-ui']).toEqual({ widget: 'secret' });
    expect(schema.required).toEqual(['apiKey', 'other']);
  });
});

describe('ctx.secrets in runActivity', () => {
  const node = defineActivityNode({
    type: 'ticket_create',
    version: 1,
    title: 'Create a ticket',
    description: '',
    category: 'integration',
    config: z.object({ token: secretRef({ label: 'Token' }) }),
    ports: ['created', 'error'],
    activity: { timeoutSeconds: 5 },
  });
  const activity = implementActivity(node, async ({ config }, ctx) => {
    const token = await ctx.secrets.get(config.token);
    if (!token) throw new NodeError('missing_secret', `the bot has no secret "${config.token}"`, { retryable: false });
    // Only the length leaves the activity: values must never reach the workflow history.
    return { port: 'created', set: { tokenLength: token.length } };
  });

  it('serves the secrets the test gives, by name', async () => {
    const result = await runActivity(activity, { config: { token: 'helpdesk_token' }, vars: {} }, { secrets: { helpdesk_token: 'tk_12345', other: 'x' } });
    expect(result).toEqual({ port: 'created', set: { tokenLength: 8 } });
  });

  it('answers undefined for a secret the bot does not have', async () => {
    const missing = runActivity(activity, { config: { token: 'helpdesk_token' }, vars: {} }, { secrets: { other: 'x' } });
    await expect(missing).rejects.toBeInstanceOf(NodeError);
    await expect(runActivity(activity, { config: { token: 'helpdesk_token' }, vars: {} })).rejects.toThrow('the bot has no secret "helpdesk_token"');
  });

  it('never lets a value in the config instead of a name', async () => {
    await expect(runActivity(activity, { config: { token: 'Bearer tk_12345' }, vars: {} }, { secrets: {} })).rejects.toThrow(/invalid activity input: config\.token/);
  });
});
