// Custom node types on the server side: publishing writes what the engine needs to run an
// activity-only node without its package in the workflow bundle, and drafts move to newer node
// versions on request.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { defineActivityNode, defineNode, secretRef, ui, type FlowDocument, type FlowDocumentInput } from '@baton/nodes';
import { flowDrafts, flowVersions } from '../../db/schema.js';
import { createTestServer, type TestServer } from '../../../testing/test-server.js';

const orderStatusV1 = defineActivityNode({
  type: 'order_status',
  version: 1,
  title: 'Order status',
  description: 'Looks an order up.',
  category: 'integration',
  config: z.object({ url: z.string().min(1).meta(ui({ label: 'Shop URL' })) }),
  ports: ['found', 'error'],
  activity: { timeoutSeconds: 5 },
});

const orderStatusV2 = defineActivityNode({
  type: 'order_status',
  version: 2,
  title: 'Order status',
  description: 'Looks an order up.',
  category: 'integration',
  config: z.object({
    baseUrl: z.string().min(1).meta(ui({ label: 'Shop API' })),
    token: secretRef({ label: 'API token' }).default('shop_token'),
  }),
  ports: ['found', { id: 'not_found', label: 'Not found' }, 'error'],
  activity: { timeoutSeconds: 8, heartbeatSeconds: 2, maxAttempts: 2 },
  upgrade: (previous) => {
    if ((previous as { broken?: boolean }).broken) throw new Error('this old config cannot be read');
    return { baseUrl: (previous as { url: string }).url };
  },
});

// A custom node with its own step: the worker bundles it, so its flow node needs no descriptor.
const shout = defineNode({
  type: 'shout',
  version: 1,
  title: 'Shout',
  description: 'Says the text in capitals.',
  category: 'message',
  config: z.object({ text: z.string().min(1).meta(ui({ label: 'Text' })) }),
  ports: ['next'],
  step: ({ config }) => ({ say: [config.text.toUpperCase()], then: { go: 'next' } }),
});

type NodeInput = FlowDocumentInput['nodes'][number];

/** start → lookup → (found) done; every other exit of lookup unconnected. */
function customFlow(lookup: Partial<NodeInput>, extra: NodeInput[] = []): FlowDocument {
  return {
    schemaVersion: 1,
    name: 'Custom',
    nodes: [
      { id: 'start', type: 'start', config: {}, position: { x: 0, y: 0 } },
      { id: 'lookup', type: 'order_status', config: { baseUrl: 'https://shop.example' }, position: { x: 200, y: 0 }, ...lookup },
      { id: 'done', type: 'end', config: {}, position: { x: 400, y: 0 } },
      ...extra.map((n) => ({ config: {}, position: { x: 0, y: 200 }, ...n })),
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'lookup' },
      { id: 'e2', source: 'lookup', sourcePort: 'found', target: 'done' },
    ],
    settings: { fallbackMessage: 'Sorry.', onError: 'end', burstWindowMs: 0 },
  } as FlowDocument;
}

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer({ extraNodes: [orderStatusV1, orderStatusV2, shout] });
});
afterAll(async () => {
  await server.close();
});

const published = (botId: string, version: number): FlowDocument =>
  server.db.select().from(flowVersions).where(and(eq(flowVersions.botId, botId), eq(flowVersions.version, version))).get()!.document as FlowDocument;
const node = (flow: FlowDocument, id: string) => flow.nodes.find((n) => n.id === id)!;

async function botWithDraft(flow: FlowDocument): Promise<string> {
  const botId = await server.createBot();
  const res = await server.json('PUT', `/api/bots/${botId}/flow`, flow, 'builder');
  if (res.status !== 200) throw new Error(`saving the draft failed: ${res.text}`);
  return botId;
}

describe('publishing a flow with custom nodes', () => {
  test('an activity-only node carries its descriptor: ports, timeouts, attempts of the pinned version', async () => {
    const botId = await botWithDraft(customFlow({}));
    const res = await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    expect(res.status, res.text).toBe(201);
    const lookup = node(published(botId, res.body.version), 'lookup');
    expect(lookup).toMatchObject({ typeVersion: 2, config: { baseUrl: 'https://shop.example' } });
    expect(lookup.runtime).toEqual({ activityOnly: { ports: ['found', 'not_found', 'error'], timeoutSeconds: 8, heartbeatSeconds: 2, maxAttempts: 2 } });
  });

  test('a node kept on an older version gets that version’s descriptor', async () => {
    const flow = customFlow({ typeVersion: 1, config: { url: 'https://old.example' } });
    const botId = await botWithDraft(flow);
    const res = await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    expect(res.status, res.text).toBe(201);
    const lookup = node(published(botId, res.body.version), 'lookup');
    expect(lookup.typeVersion).toBe(1);
    expect(lookup.runtime).toEqual({ activityOnly: { ports: ['found', 'error'], timeoutSeconds: 5 } });
  });

  test('a runtime sent with the draft is never trusted: rewritten for activity-only nodes, dropped from the others', async () => {
    const forged = { activityOnly: { ports: ['found', 'anywhere'], timeoutSeconds: 3600, maxAttempts: 100 } };
    const flow = customFlow({ runtime: forged }, [
      { id: 'loud', type: 'shout', config: { text: 'hi' }, runtime: forged },
      { id: 'hello', type: 'send_message', config: { text: 'Hello' }, runtime: forged },
    ]);
    flow.edges.push(
      { id: 'e3', source: 'lookup', sourcePort: 'error', target: 'loud' },
      { id: 'e4', source: 'loud', sourcePort: 'next', target: 'hello' },
      { id: 'e5', source: 'hello', sourcePort: 'next', target: 'done' },
    );
    const botId = await botWithDraft(flow);
    const res = await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    expect(res.status, res.text).toBe(201);
    const doc = published(botId, res.body.version);
    expect(node(doc, 'lookup').runtime).toEqual({ activityOnly: { ports: ['found', 'not_found', 'error'], timeoutSeconds: 8, heartbeatSeconds: 2, maxAttempts: 2 } });
    for (const id of ['start', 'loud', 'hello', 'done']) {
      expect(node(doc, id), id).not.toHaveProperty('runtime');
      expect(node(doc, id).typeVersion, id).toBe(1);
    }
  });

  test('the test chat’s snapshot of the draft carries the descriptor too', async () => {
    const botId = await botWithDraft(customFlow({}));
    const res = await server.json('POST', `/api/bots/${botId}/conversations`, { test: true }, 'builder');
    expect(res.status, res.text).toBe(201);
    expect(res.body.flowVersion).toBeLessThan(0);
    expect(node(published(botId, res.body.flowVersion), 'lookup').runtime?.activityOnly.ports).toEqual(['found', 'not_found', 'error']);
  });
});

describe('node upgrades', () => {
  test('GET and PUT of the draft list the nodes that can move to a newer version', async () => {
    const flow = customFlow({ typeVersion: 1, config: { url: 'https://old.example' } });
    const botId = await server.createBot();
    const put = await server.json('PUT', `/api/bots/${botId}/flow`, flow, 'builder');
    const expected = [{ nodeId: 'lookup', type: 'order_status', from: 1, to: 2 }];
    expect(put.body.upgrades).toEqual(expected);
    const get = await server.json('GET', `/api/bots/${botId}/flow`, undefined, 'builder');
    expect(get.body.upgrades).toEqual(expected);

    const current = await botWithDraft(customFlow({ typeVersion: 2 }));
    expect((await server.json('GET', `/api/bots/${current}/flow`, undefined, 'builder')).body.upgrades).toEqual([]);
  });

  test('POST …/flow/upgrade moves the draft, running the upgrade on the config, and answers what moved', async () => {
    const botId = await botWithDraft(customFlow({ typeVersion: 1, config: { url: 'https://old.example' } }));
    const res = await server.json('POST', `/api/bots/${botId}/flow/upgrade`, undefined, 'builder');
    expect(res.status, res.text).toBe(200);
    expect(res.body.upgraded).toEqual([{ nodeId: 'lookup', type: 'order_status', from: 1, to: 2 }]);
    expect(res.body.upgrades).toEqual([]);
    expect(res.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    expect(node(res.body.flow, 'lookup')).toMatchObject({ typeVersion: 2, config: { baseUrl: 'https://old.example' } });

    const stored = server.db.select().from(flowDrafts).where(eq(flowDrafts.botId, botId)).get()!;
    expect(node(stored.document as FlowDocument, 'lookup')).toMatchObject({ typeVersion: 2, config: { baseUrl: 'https://old.example' } });
    expect(stored.updatedBy).toBe(server.users.builder.id);
    const again = await server.json('GET', `/api/bots/${botId}/flow`, undefined, 'builder');
    expect(again.body.flow).toEqual(res.body.flow);
    expect(again.body.upgrades).toEqual([]);
  });

  test('published versions keep their node versions; conversations on them are not upgraded', async () => {
    const botId = await botWithDraft(customFlow({ typeVersion: 1, config: { url: 'https://old.example' } }));
    expect((await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder')).status).toBe(201);
    expect((await server.json('POST', `/api/bots/${botId}/flow/upgrade`, undefined, 'builder')).status).toBe(200);
    const v1 = await server.json('GET', `/api/bots/${botId}/versions/1`, undefined, 'builder');
    expect(node(v1.body.flow, 'lookup')).toMatchObject({ typeVersion: 1, config: { url: 'https://old.example' } });

    const second = await server.json('POST', `/api/bots/${botId}/publish`, undefined, 'builder');
    expect(second.body.version).toBe(2);
    expect(node(published(botId, 2), 'lookup')).toMatchObject({ typeVersion: 2, config: { baseUrl: 'https://old.example' }, runtime: { activityOnly: { timeoutSeconds: 8 } } });
  });

  test('with nothing to upgrade, the flow stays as it was', async () => {
    const flow = customFlow({ typeVersion: 2 });
    const botId = await botWithDraft(flow);
    const before = (await server.json('GET', `/api/bots/${botId}/flow`, undefined, 'builder')).body.flow;
    const res = await server.json('POST', `/api/bots/${botId}/flow/upgrade`, undefined, 'owner');
    expect(res.status).toBe(200);
    expect(res.body.upgraded).toEqual([]);
    expect(res.body.flow).toEqual(before);
    // Nothing moved: the draft was not saved again.
    const stored = server.db.select().from(flowDrafts).where(eq(flowDrafts.botId, botId)).get()!;
    expect(stored.updatedBy).toBe(server.users.builder.id);
  });

  test("an upgrade function that fails: 422 naming the node, and the draft unchanged", async () => {
    const botId = await botWithDraft(customFlow({ typeVersion: 1, config: { url: 'https://old.example', broken: true } }));
    const before = server.db.select().from(flowDrafts).where(eq(flowDrafts.botId, botId)).get()!;
    const res = await server.json('POST', `/api/bots/${botId}/flow/upgrade`, undefined, 'builder');
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'upgrade_failed' });
    expect(res.body.error.message).toContain('"lookup"');
    expect(res.body.error.message).toContain('version 2');
    expect(server.db.select().from(flowDrafts).where(eq(flowDrafts.botId, botId)).get()).toEqual(before);
  });
});

describe('the palette', () => {
  type NodeType = { type: string; version: number; configSchema: { properties: Record<string, { 'x-ui'?: unknown }> } };
  const versionsOf = (types: NodeType[], type: string) => types.filter((t) => t.type === type).map((t) => t.version);

  test('GET /api/node-types shows the custom nodes’ latest versions with their forms; older ones on request', async () => {
    const res = await server.json('GET', '/api/node-types', undefined, 'builder');
    expect(res.status).toBe(200);
    const types = res.body.nodeTypes as NodeType[];
    expect(versionsOf(types, 'order_status')).toEqual([2]);
    expect(versionsOf(types, 'shout')).toEqual([1]);
    expect(types.find((t) => t.type === 'order_status')!.configSchema.properties['token']?.['x-ui']).toEqual({ widget: 'secret', label: 'API token' });
    const all = await server.json('GET', '/api/node-types?allVersions=true', undefined, 'builder');
    expect(versionsOf(all.body.nodeTypes, 'order_status')).toEqual([1, 2]);
  });
});
