import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { resolvePorts, type NodeTypeManifest } from '@baton/nodes';
import { createTestServer, type TestServer } from '../../../testing/test-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(async () => {
  await server.close();
});

// docs/flow-format.md: the built-in node types and their ports.
const BUILTIN_PORTS: Record<string, string[]> = {
  start: ['next'],
  send_message: ['next'],
  wait_for_reply: ['replied', 'timeout'],
  llm_reply: ['next', 'escalate', 'error'],
  condition: ['else'],
  collect_email: ['next'],
  check_service_hours: ['open', 'closed'],
  assign_to_user: ['resolved', 'no_agent', 'off_hours'],
  escalate: ['resolved', 'no_agent', 'off_hours', 'unavailable'],
  http_request: ['ok', 'error'],
  set_variable: ['next'],
  end: [],
};

describe('GET /api/node-types', () => {
  test('lists every built-in node type with its ports and config JSON Schema', async () => {
    const res = await server.json('GET', '/api/node-types', undefined, 'builder');
    expect(res.status).toBe(200);
    const nodeTypes = res.body.nodeTypes as NodeTypeManifest[];
    expect(nodeTypes.map((n) => n.type).sort()).toEqual(Object.keys(BUILTIN_PORTS).sort());
    for (const nodeType of nodeTypes) {
      expect(nodeType.title, nodeType.type).toEqual(expect.any(String));
      expect(nodeType.version, nodeType.type).toEqual(expect.any(Number));
      expect(nodeType.configSchema, nodeType.type).toMatchObject({ type: 'object' });
      expect(Array.isArray(nodeType.ports), nodeType.type).toBe(true);
      // Resolved with the default config, ports are the ones the contract names
      // (a condition's rule ports come from its config, and a fresh one has no rules).
      const ports = resolvePorts(nodeType.ports, nodeType.defaultConfig).map((p) => p.id);
      expect(ports, nodeType.type).toEqual(BUILTIN_PORTS[nodeType.type]);
    }
  });

  test('the condition node has one port per rule, from its config', async () => {
    const res = await server.json('GET', '/api/node-types', undefined, 'owner');
    const condition = (res.body.nodeTypes as NodeTypeManifest[]).find((n) => n.type === 'condition')!;
    const ports = resolvePorts(condition.ports, { rules: [{ port: 'vip', variable: 'tier', op: 'equals', value: 'gold' }] }).map((p) => p.id);
    expect(ports).toEqual(['vip', 'else']);
  });

  test('only the start node is an entry', async () => {
    const res = await server.json('GET', '/api/node-types', undefined, 'owner');
    const entries = (res.body.nodeTypes as NodeTypeManifest[]).filter((n) => n.entry).map((n) => n.type);
    expect(entries).toEqual(['start']);
  });

  test('?allVersions=true lists at least the latest versions too; other values are refused', async () => {
    const latest = await server.json('GET', '/api/node-types', undefined, 'builder');
    const all = await server.json('GET', '/api/node-types?allVersions=true', undefined, 'builder');
    expect(all.status).toBe(200);
    expect(all.body.nodeTypes.length).toBeGreaterThanOrEqual(latest.body.nodeTypes.length);
    const bad = await server.json('GET', '/api/node-types?allVersions=yes', undefined, 'builder');
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toEqual(['query', 'allVersions']);
  });
});
