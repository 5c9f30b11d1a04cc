// Custom node packages on the real Baton process: loaded from configuration, shown in the palette,
// published, run end to end; versions pinned across an install; clashes refused; misbehaving
// activities contained; nodes with their own step bundled into the worker.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowDocumentInput } from '@baton/nodes';
import { apiClient, startBaton, type BatonProcess } from '../support/baton-process.js';
import { temporalAddress, uniqueName } from '../support/temporal.js';
import { partOfDay } from '../fixtures/node-packages/greet-by-time/index.js';

const OWNER = { email: 'owner@example.com', password: 'correct horse battery' };
const SECRET = 'sk-live-7f3a9c1e5b';
const root = fileURLToPath(new URL('../..', import.meta.url));
const fixture = (name: string) => path.join(root, 'test', 'fixtures', 'node-packages', name);
const EXAMPLE = path.join(root, 'nodes', 'examples', 'order-status');

/** A shop's order API on 127.0.0.1: `42` is shipped, `down-*` always answers 503, anything else is unknown; it wants the bearer key. */
async function startOrderApi(expectedKey: string | undefined) {
  const orders: Record<string, { status: string; eta: string }> = { '42': { status: 'shipped', eta: '2026-01-08' } };
  const requests: { path: string; authorization: string | undefined }[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (expectedKey !== undefined && req.headers.authorization !== `Bearer ${expectedKey}`) return json(401, { error: 'unauthorized' });
    const id = decodeURIComponent(/^\/api\/orders\/([^/?]+)$/.exec(req.url ?? '')?.[1] ?? '');
    if (id.startsWith('down-')) return json(503, { error: 'maintenance' });
    const order = orders[id];
    return order ? json(200, { id, ...order }) : json(404, { error: 'no such order' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/api`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Asks for an order number and looks it up; an unknown number is asked again. */
function orderFlow(apiBaseUrl: string, config: Record<string, string> = {}): FlowDocumentInput {
  return {
    schemaVersion: 1,
    name: 'Where is my order?',
    nodes: [
      { id: 'start', type: 'start', config: {} },
      { id: 'hello', type: 'send_message', config: { text: 'Hi! What is your order number?' } },
      { id: 'ask', type: 'wait_for_reply', config: { timeoutSeconds: 3600, saveAs: 'order_id' } },
      // As the editor adds a node from the palette: no typeVersion (the server pins it).
      { id: 'lookup', type: 'order_status', config: { apiBaseUrl, ...config } },
      { id: 'sorry', type: 'send_message', config: { text: 'I found no order {{order_id}}. Please check the number.' } },
      { id: 'bye', type: 'end', config: { message: 'Thanks for shopping with us!' } },
      { id: 'down', type: 'end', config: { message: 'Our shop is not answering; please try again later.' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
      { id: 'e2', source: 'hello', sourcePort: 'next', target: 'ask' },
      { id: 'e3', source: 'ask', sourcePort: 'replied', target: 'lookup' },
      { id: 'e4', source: 'lookup', sourcePort: 'found', target: 'bye' },
      { id: 'e5', source: 'lookup', sourcePort: 'not_found', target: 'sorry' },
      { id: 'e6', source: 'sorry', sourcePort: 'next', target: 'ask' },
      { id: 'e7', source: 'lookup', sourcePort: 'error', target: 'down' },
      { id: 'e8', source: 'ask', sourcePort: 'timeout', target: 'down' },
    ],
    settings: { burstWindowMs: 0 },
  };
}

type Api = ReturnType<typeof apiClient>;
interface Conversation {
  id: string;
  auth: Record<string, string>;
}

/** A builder's and a widget user's view of one running Baton. */
function batonDriver(baton: () => BatonProcess) {
  const transcript = async (c: Conversation) =>
    ((await apiClient(baton().url).call('GET', `/api/conversations/${c.id}/messages`, undefined, c.auth)).body.messages as { role: string; text: string }[]).map(
      (m) => `${m.role}: ${m.text}`,
    );
  const waitForLines = async (c: Conversation, count: number, timeoutMs = 20_000) => {
    const deadline = Date.now() + timeoutMs;
    let lines = await transcript(c);
    while (lines.length < count && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      lines = await transcript(c);
    }
    return lines;
  };
  return {
    transcript,
    waitForLines,
    async builder(): Promise<Api> {
      const api = apiClient(baton().url);
      expect((await api.login(OWNER.email, OWNER.password)).status).toBe(200);
      return api;
    },
    /** Creates a bot, saves the flow, publishes it and switches the bot on. */
    async publishBot(api: Api, name: string, flow: FlowDocumentInput, settings: Record<string, unknown> = {}): Promise<string> {
      const { body: bot } = await api.call('POST', '/api/bots', { name });
      const saved = await api.call('PUT', `/api/bots/${bot.id}/flow`, flow);
      expect(saved.body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
      expect((await api.call('POST', `/api/bots/${bot.id}/publish`)).status).toBe(201);
      const current = (await api.call('GET', `/api/bots/${bot.id}/settings`)).body;
      expect((await api.call('PUT', `/api/bots/${bot.id}/settings`, { ...current, ...settings, enabled: true })).status).toBe(200);
      return bot.id as string;
    },
    /** A widget user opens a conversation and reads the greeting. */
    async open(botId: string, greeting: string[]): Promise<Conversation> {
      const { conversationId, token } = (await apiClient(baton().url).call('POST', `/api/bots/${botId}/conversations`, {})).body;
      const conversation = { id: conversationId as string, auth: { authorization: `Bearer ${token as string}` } };
      expect(await waitForLines(conversation, greeting.length)).toEqual(greeting.map((t) => `bot: ${t}`));
      return conversation;
    },
    async say(c: Conversation, text: string) {
      const res = await apiClient(baton().url).call('POST', `/api/conversations/${c.id}/messages?wait=true`, { text }, c.auth);
      expect(res.status).toBe(200);
      return { texts: (res.body.replies as { text: string }[]).map((r) => r.text), conversationStatus: res.body.conversationStatus as string, status: res.body.status as string };
    },
  };
}

function batonEnv(name: string, extra: Record<string, string>): Record<string, string> {
  return {
    BATON_DATA_DIR: mkdtempSync(path.join(tmpdir(), `baton-${name}-`)),
    TEMPORAL_ADDRESS: temporalAddress(),
    BATON_TASK_QUEUE: uniqueName(name),
    BATON_OWNER_EMAIL: OWNER.email,
    BATON_OWNER_PASSWORD: OWNER.password,
    // The fake shop listens on 127.0.0.1, which nodes may not call unless the deployment allows it.
    BATON_HTTP_ALLOWED_HOSTS: '127.0.0.1',
    BATON_NODE_PACKAGES: '',
    BATON_CONFIG: '',
    ...extra,
  };
}

describe('custom node packages on the real Baton', () => {
  let baton: BatonProcess;
  let shop: Awaited<ReturnType<typeof startOrderApi>>;
  const driver = batonDriver(() => baton);

  beforeAll(async () => {
    shop = await startOrderApi(SECRET);
    baton = await startBaton(
      batonEnv('custom-nodes', { BATON_NODE_PACKAGES: [EXAMPLE, fixture('unruly-nodes'), fixture('greet-by-time')].join(',') }),
    );
  });
  afterAll(async () => {
    expect(await baton?.stop()).toBe(0);
    await shop?.close();
  });

  it('shows the example in the palette with its JSON Schema, UI hints and ports', async () => {
    const api = await driver.builder();
    const { nodeTypes } = (await api.call('GET', '/api/node-types')).body as { nodeTypes: Record<string, any>[] };
    const orderStatus = nodeTypes.find((t) => t.type === 'order_status')!;
    expect(orderStatus).toMatchObject({
      version: 2,
      title: 'Order status',
      category: 'integration',
      hasActivity: true,
      ports: [
        { id: 'found', label: 'Found' },
        { id: 'not_found', label: 'Not found' },
        { id: 'error', label: 'Error' },
      ],
      setsVariables: [],
    });
    expect(orderStatus.configSchema).toMatchObject({
      type: 'object',
      required: ['apiBaseUrl'],
      properties: {
        apiBaseUrl: { type: 'string', format: 'uri', 'x-ui': { label: 'Order API' } },
        orderId: { type: 'string', default: '{{order_id}}', 'x-ui': { widget: 'template' } },
        apiKey: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,63}$', 'x-ui': { widget: 'secret', label: 'API key' } },
        includeEta: { type: 'boolean', default: true, 'x-ui': { widget: 'switch' } },
      },
    });
    expect(Object.keys(orderStatus.configSchema.properties)).toEqual(['apiBaseUrl', 'orderId', 'apiKey', 'includeEta']);
    // Both versions stay installed: the palette offers the newest, older ones still run.
    const all = (await api.call('GET', '/api/node-types?allVersions=true')).body.nodeTypes as { type: string; version: number }[];
    expect(all.filter((t) => t.type === 'order_status').map((t) => t.version)).toEqual([1, 2]);
    expect(nodeTypes.map((t) => t.type)).toEqual(expect.arrayContaining(['greet_by_time', 'hangs', 'returns_garbage', 'throws_non_error']));
  });

  it('validates its config like a built-in', async () => {
    const api = await driver.builder();
    const { body: bot } = await api.call('POST', '/api/bots', { name: 'Bad config' });
    const saved = await api.call('PUT', `/api/bots/${bot.id}/flow`, orderFlow('ftp://shop.example.com', { apiKey: SECRET }));
    const errors = (saved.body.issues as { severity: string; nodeId?: string; message: string }[]).filter((i) => i.severity === 'error');
    expect(errors.map((e) => [e.nodeId, e.message])).toEqual([
      ['lookup', expect.stringContaining('must be an http(s) URL')],
      ['lookup', expect.stringContaining('must be the name of a bot secret')],
    ]);
    expect((await api.call('POST', `/api/bots/${bot.id}/publish`)).status).toBe(422);
  });

  it('runs a published flow end to end: found, not found, the error port after retries; the secret goes only to the API', async () => {
    const api = await driver.builder();
    const { body: bot } = await api.call('POST', '/api/bots', { name: 'Orders' });
    const flow = orderFlow(shop.url, { apiKey: 'shop_api_key' });
    expect((await api.call('PUT', `/api/bots/${bot.id}/flow`, flow)).body.issues.filter((i: { severity: string }) => i.severity === 'error')).toEqual([]);
    expect((await api.call('PUT', `/api/bots/${bot.id}/secrets/shop_api_key`, { value: SECRET })).status).toBe(204);
    expect((await api.call('GET', `/api/bots/${bot.id}/secrets`)).body.secrets).toEqual([{ name: 'shop_api_key', updatedAt: expect.any(String) }]);
    expect((await api.call('POST', `/api/bots/${bot.id}/publish`)).body).toMatchObject({ version: 1 });
    const settings = (await api.call('GET', `/api/bots/${bot.id}/settings`)).body;
    await api.call('PUT', `/api/bots/${bot.id}/settings`, { ...settings, enabled: true });

    // The published version pins the node's version and carries what a worker needs to run it.
    const published = (await api.call('GET', `/api/bots/${bot.id}/versions/1`)).body.flow;
    expect(published.nodes.find((n: { id: string }) => n.id === 'lookup')).toEqual({
      id: 'lookup',
      type: 'order_status',
      typeVersion: 2,
      config: { apiBaseUrl: shop.url, apiKey: 'shop_api_key' },
      position: { x: 0, y: 0 },
      runtime: { activityOnly: { ports: ['found', 'not_found', 'error'], timeoutSeconds: 10, maxAttempts: 3 } },
    });

    // Not found, then found.
    const greeting = ['Hi! What is your order number?'];
    const found = await driver.open(bot.id, greeting);
    expect(await driver.say(found, 'A-7')).toMatchObject({ texts: ['I found no order A-7. Please check the number.'], conversationStatus: 'bot' });
    expect(await driver.say(found, '42')).toMatchObject({
      texts: ['Your order 42 is shipped.', 'It should arrive on 2026-01-08.', 'Thanks for shopping with us!'],
      conversationStatus: 'closed',
    });
    expect(shop.requests.map((r) => [r.path, r.authorization])).toEqual([
      ['/api/orders/A-7', `Bearer ${SECRET}`],
      ['/api/orders/42', `Bearer ${SECRET}`],
    ]);

    // The shop is down: three tries (the node's maxAttempts), then the error port.
    const down = await driver.open(bot.id, greeting);
    const started = Date.now();
    expect(await driver.say(down, 'down-1')).toMatchObject({ texts: ['Our shop is not answering; please try again later.'], conversationStatus: 'closed' });
    expect(shop.requests.filter((r) => r.path === '/api/orders/down-1')).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2500); // 1 s, then 2 s between tries

    // The secret's value is in none of what the API shows.
    const exposed = [
      (await api.call('GET', `/api/bots/${bot.id}/flow`)).body,
      (await api.call('GET', `/api/bots/${bot.id}/versions/1`)).body,
      (await api.call('GET', `/api/bots/${bot.id}/secrets`)).body,
      (await api.call('GET', `/api/bots/${bot.id}/settings`)).body,
      await driver.transcript(found),
      await driver.transcript(down),
      baton.output,
    ];
    for (const shown of exposed) expect(JSON.stringify(shown)).not.toContain(SECRET);
    expect(await driver.transcript(found)).toEqual([
      'bot: Hi! What is your order number?',
      'user: A-7',
      'bot: I found no order A-7. Please check the number.',
      'user: 42',
      'bot: Your order 42 is shipped.',
      'bot: It should arrive on 2026-01-08.',
      'bot: Thanks for shopping with us!',
    ]);
  });

  it('contains misbehaving activities: a thrown string, a hang and garbage take the error port or the fallback, and the conversation goes on', async () => {
    const api = await driver.builder();
    const botId = await driver.publishBot(
      api,
      'Unruly',
      {
        schemaVersion: 1,
        name: 'Unruly',
        nodes: [
          { id: 'start', type: 'start', config: {} },
          { id: 'hello', type: 'send_message', config: { text: 'Say anything.' } },
          { id: 'ask', type: 'wait_for_reply', config: { timeoutSeconds: 3600, saveAs: 'anything' } },
          { id: 'throws', type: 'throws_non_error', config: {} },
          { id: 'after-throw', type: 'send_message', config: { text: 'The first node failed; going on.' } },
          { id: 'hangs', type: 'hangs', config: {} },
          { id: 'after-hang', type: 'send_message', config: { text: 'The second node timed out; going on.' } },
          { id: 'garbage', type: 'returns_garbage', config: {} },
          { id: 'after-garbage', type: 'send_message', config: { text: 'The third node answered garbage; going on. Say something else.' } },
          { id: 'again', type: 'wait_for_reply', config: { timeoutSeconds: 3600, saveAs: 'again' } },
          // Its error port is not connected: the flow's fallback applies (say it, hand over to a person).
          { id: 'unguarded', type: 'returns_garbage', config: {} },
          { id: 'never', type: 'end', config: { message: 'No node should have succeeded.' } },
        ],
        edges: [
          { id: 'e1', source: 'start', sourcePort: 'next', target: 'hello' },
          { id: 'e2', source: 'hello', sourcePort: 'next', target: 'ask' },
          { id: 'e3', source: 'ask', sourcePort: 'replied', target: 'throws' },
          { id: 'e4', source: 'throws', sourcePort: 'error', target: 'after-throw' },
          { id: 'e5', source: 'after-throw', sourcePort: 'next', target: 'hangs' },
          { id: 'e6', source: 'hangs', sourcePort: 'error', target: 'after-hang' },
          { id: 'e7', source: 'after-hang', sourcePort: 'next', target: 'garbage' },
          { id: 'e8', source: 'garbage', sourcePort: 'error', target: 'after-garbage' },
          { id: 'e9', source: 'after-garbage', sourcePort: 'next', target: 'again' },
          { id: 'e10', source: 'again', sourcePort: 'replied', target: 'unguarded' },
          { id: 'e11', source: 'throws', sourcePort: 'done', target: 'never' },
          { id: 'e12', source: 'hangs', sourcePort: 'done', target: 'never' },
          { id: 'e13', source: 'garbage', sourcePort: 'done', target: 'never' },
          { id: 'e14', source: 'unguarded', sourcePort: 'done', target: 'never' },
        ],
        settings: { burstWindowMs: 0, onError: 'handoff', fallbackMessage: 'Something went wrong; a person will take over.' },
      },
      // Assist mode: with nobody online, the inbox still queues the conversation (the user may leave a message).
      { aiMode: 'assist' },
    );
    const conversation = await driver.open(botId, ['Say anything.']);
    const started = Date.now();
    expect(await driver.say(conversation, 'go')).toMatchObject({
      texts: ['The first node failed; going on.', 'The second node timed out; going on.', 'The third node answered garbage; going on. Say something else.'],
      conversationStatus: 'bot',
    });
    // The hang cost its one-second timeout, not the minute it would have taken.
    expect(Date.now() - started).toBeLessThan(15_000);

    expect(await driver.say(conversation, 'still there?')).toMatchObject({
      texts: ['Something went wrong; a person will take over.', 'Nobody is available right now. Leave your message here and we will get back to you.'],
      conversationStatus: 'queued',
    });
    // The conversation lives on with the humans: nobody is online, so the user leaves a message for them.
    expect(await driver.say(conversation, 'hello?')).toMatchObject({ texts: ['Thank you, your message has been passed on.'], conversationStatus: 'closed' });
    const lines = await driver.transcript(conversation);
    expect(lines).not.toContain('bot: No node should have succeeded.');
    expect(lines).not.toContain('bot: This answer comes too late to be said.');
    expect(lines.slice(-2)).toEqual(['user: hello?', 'bot: Thank you, your message has been passed on.']);
  });

  it('bundles a node with its own deterministic step into the worker and runs it', async () => {
    const api = await driver.builder();
    const botId = await driver.publishBot(api, 'Greeter', {
      schemaVersion: 1,
      name: 'Greeter',
      nodes: [
        { id: 'start', type: 'start', config: {} },
        { id: 'greet', type: 'greet_by_time', config: { timeZone: 'Europe/Paris' } },
        { id: 'bye', type: 'end', config: { message: 'How can we help?' } },
      ],
      edges: [
        { id: 'e1', source: 'start', sourcePort: 'next', target: 'greet' },
        { id: 'e2', source: 'greet', sourcePort: 'next', target: 'bye' },
      ],
      settings: { burstWindowMs: 0 },
    });
    // Not an activity-only node: the published flow carries no descriptor, the worker's bundle has the step.
    const published = (await api.call('GET', `/api/bots/${botId}/versions/1`)).body.flow;
    expect(published.nodes.find((n: { id: string }) => n.id === 'greet')).toEqual({
      id: 'greet',
      type: 'greet_by_time',
      typeVersion: 1,
      config: { timeZone: 'Europe/Paris' },
      position: { x: 0, y: 0 },
    });
    const before = new Date().toISOString();
    const { conversationId, token } = (await apiClient(baton.url).call('POST', `/api/bots/${botId}/conversations`, {})).body;
    const lines = await driver.waitForLines({ id: conversationId, auth: { authorization: `Bearer ${token}` } }, 2);
    const after = new Date().toISOString();
    const expected = new Set([partOfDay(before, 'Europe/Paris'), partOfDay(after, 'Europe/Paris')].map((part) => [`bot: Good ${part}!`, 'bot: How can we help?']));
    expect([...expected].map((e) => JSON.stringify(e))).toContain(JSON.stringify(lines));
  });
});

describe('installing version 2 of a node while conversations run on version 1', () => {
  let baton: BatonProcess | undefined;
  let shop: Awaited<ReturnType<typeof startOrderApi>>;
  const driver = batonDriver(() => baton!);
  afterAll(async () => {
    await baton?.stop();
    await shop?.close();
  });

  it('keeps running conversations on v1, upgrades the draft, and runs new conversations on v2', async () => {
    shop = await startOrderApi(undefined);
    // Same data folder and task queue across the restart: only the installed package changes.
    const env = batonEnv('node-upgrade', {});
    baton = await startBaton({ ...env, BATON_NODE_PACKAGES: fixture('order-status-v1-only') });
    let api = await driver.builder();
    const nodeTypes = (await api.call('GET', '/api/node-types')).body.nodeTypes as { type: string; version: number }[];
    expect(nodeTypes.find((t) => t.type === 'order_status')?.version).toBe(1);
    const botId = await driver.publishBot(api, 'Orders', orderFlow(shop.url));
    expect((await api.call('GET', `/api/bots/${botId}/versions/1`)).body.flow.nodes.find((n: { id: string }) => n.id === 'lookup').typeVersion).toBe(1);
    // This conversation waits for the order number, before the node runs.
    const old = await driver.open(botId, ['Hi! What is your order number?']);
    expect((await api.call('GET', `/api/bots/${botId}/flow`)).body.upgrades).toEqual([]);

    expect(await baton.stop()).toBe(0);
    baton = await startBaton({ ...env, BATON_NODE_PACKAGES: EXAMPLE });
    api = await driver.builder();

    // The draft still says v1, and v2 can take its config.
    const draft = (await api.call('GET', `/api/bots/${botId}/flow`)).body;
    expect(draft.flow.nodes.find((n: { id: string }) => n.id === 'lookup').typeVersion).toBe(1);
    expect(draft.upgrades).toEqual([{ nodeId: 'lookup', type: 'order_status', from: 1, to: 2 }]);
    const upgraded = await api.call('POST', `/api/bots/${botId}/flow/upgrade`);
    expect(upgraded.status).toBe(200);
    expect(upgraded.body.upgraded).toEqual([{ nodeId: 'lookup', type: 'order_status', from: 1, to: 2 }]);
    expect(upgraded.body.upgrades).toEqual([]);
    expect(upgraded.body.flow.nodes.find((n: { id: string }) => n.id === 'lookup')).toMatchObject({
      typeVersion: 2,
      config: { apiBaseUrl: shop.url, orderId: '{{order_id}}', includeEta: true },
    });
    expect((await api.call('POST', `/api/bots/${botId}/publish`)).body).toMatchObject({ version: 2 });

    // The conversation started on v1 finishes on v1: no delivery estimate.
    expect(await driver.say(old, '42')).toMatchObject({ texts: ['Your order 42 is shipped.', 'Thanks for shopping with us!'], conversationStatus: 'closed' });
    // A new one runs v2.
    const fresh = await driver.open(botId, ['Hi! What is your order number?']);
    expect(await driver.say(fresh, '42')).toMatchObject({
      texts: ['Your order 42 is shipped.', 'It should arrive on 2026-01-08.', 'Thanks for shopping with us!'],
      conversationStatus: 'closed',
    });
  });
});

describe('two packages declaring the same node type and version', () => {
  it('stop Baton at start with a message naming both', async () => {
    // Through baton.config.json this time (BATON_CONFIG names it).
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-config-'));
    writeFileSync(path.join(dir, 'baton.config.json'), JSON.stringify({ nodePackages: [EXAMPLE, fixture('order-status-clone')] }));
    const started = startBaton(batonEnv('clash', { BATON_CONFIG: path.join(dir, 'baton.config.json') }));
    const error = await started.then(
      async (baton) => {
        await baton.stop();
        return new Error('Baton started');
      },
      (e: unknown) => e as Error,
    );
    expect(error.message).toMatch(/baton exited with 1 before starting/);
    expect(error.message).toContain(
      'node order_status@1 is declared twice: by node package "@baton-examples/order-status" and by node package "@fixtures/order-status-clone"',
    );
  });
});
