import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { builtinNodes } from '../builtin/index.js';
import { defineNode, type AnyNodeDefinition } from '../sdk/define-node.js';
import { createRegistry } from '../sdk/registry.js';
import { flowDocumentSchema, type FlowDocument } from './flow-document.js';
import { availableUpgrades, upgradeFlow } from './upgrade-flow.js';

function version(v: number, upgrade?: (previous: unknown) => Record<string, unknown>): AnyNodeDefinition {
  return defineNode({
    type: 'order_status',
    version: v,
    title: `Order status v${v}`,
    description: '',
    category: 'integration',
    config: z.object({}).loose(),
    ports: ['next'],
    step: () => ({ then: { go: 'next' } }),
    ...(upgrade ? { upgrade } : {}),
  });
}

// v1 { url } → v2 { baseUrl } → v3 { baseUrl, timeoutSeconds }
const v1 = version(1);
const v2 = version(2, (previous) => {
  const { url, ...rest } = previous as { url: string };
  return { ...rest, baseUrl: url };
});
const v3 = version(3, (previous) => ({ ...(previous as object), timeoutSeconds: 10 }));

function flow(nodes: { id: string; type: string; typeVersion?: number; config?: Record<string, unknown> }[]): FlowDocument {
  return flowDocumentSchema.parse({
    schemaVersion: 1,
    name: 'Upgrades',
    nodes: nodes.map((n, i) => ({ ...n, config: n.config ?? {}, position: { x: i * 100, y: 0 } })),
    edges: [],
  });
}

describe('upgradeFlow', () => {
  it('runs each version’s upgrade in turn, from the pinned version to the newest', () => {
    const registry = createRegistry([...builtinNodes, v1, v2, v3]);
    const draft = flow([
      { id: 'start', type: 'start', typeVersion: 1 },
      { id: 'old', type: 'order_status', typeVersion: 1, config: { url: 'https://shop.example', keep: true } },
      { id: 'middle', type: 'order_status', typeVersion: 2, config: { baseUrl: 'https://b.example' } },
      { id: 'new', type: 'order_status', typeVersion: 3, config: { baseUrl: 'https://c.example', timeoutSeconds: 3 } },
    ]);
    const before = structuredClone(draft);
    const { flow: upgraded, upgraded: changes } = upgradeFlow(draft, registry);

    expect(changes).toEqual([
      { nodeId: 'old', type: 'order_status', from: 1, to: 3 },
      { nodeId: 'middle', type: 'order_status', from: 2, to: 3 },
    ]);
    const byId = Object.fromEntries(upgraded.nodes.map((n) => [n.id, n]));
    expect(byId['old']).toEqual({ ...draft.nodes[1], typeVersion: 3, config: { keep: true, baseUrl: 'https://shop.example', timeoutSeconds: 10 } });
    expect(byId['middle']).toEqual({ ...draft.nodes[2], typeVersion: 3, config: { baseUrl: 'https://b.example', timeoutSeconds: 10 } });
    expect(byId['new']).toBe(draft.nodes[3]);
    expect(byId['start']).toBe(draft.nodes[0]);
    expect(upgraded.edges).toBe(draft.edges);
    expect(draft, 'the draft given is not changed').toEqual(before);
    expect(availableUpgrades(upgraded, registry), 'nothing left to upgrade').toEqual([]);
    expect(flowDocumentSchema.parse(upgraded)).toEqual(upgraded);
  });

  it('stops the chain at a version without an upgrade', () => {
    // v3 has no upgrade: a v1 node reaches v2 only; a v2 node stays.
    const noUpgradeTo3 = version(3);
    const registry = createRegistry([v1, v2, noUpgradeTo3]);
    const draft = flow([
      { id: 'old', type: 'order_status', typeVersion: 1, config: { url: 'https://a.example' } },
      { id: 'middle', type: 'order_status', typeVersion: 2, config: { baseUrl: 'https://b.example' } },
    ]);
    const { flow: upgraded, upgraded: changes } = upgradeFlow(draft, registry);
    expect(changes).toEqual([{ nodeId: 'old', type: 'order_status', from: 1, to: 2 }]);
    expect(upgraded.nodes[0]).toMatchObject({ typeVersion: 2, config: { baseUrl: 'https://a.example' } });
    expect(upgraded.nodes[1]).toBe(draft.nodes[1]);
  });

  it('stops at a gap in the versions, and at a first step without an upgrade', () => {
    const gap = createRegistry([v1, v3]);
    const draft = flow([{ id: 'old', type: 'order_status', typeVersion: 1, config: { url: 'https://a.example' } }]);
    expect(upgradeFlow(draft, gap)).toEqual({ flow: draft, upgraded: [] });

    const firstHasNone = createRegistry([v1, version(2), v3]);
    expect(upgradeFlow(draft, firstHasNone)).toEqual({ flow: draft, upgraded: [] });
  });

  it('leaves nodes without a typeVersion alone (they follow the latest version until published)', () => {
    const registry = createRegistry([v1, v2, v3]);
    const draft = flow([{ id: 'unpinned', type: 'order_status', config: { url: 'https://a.example' } }]);
    const result = upgradeFlow(draft, registry);
    expect(result.upgraded).toEqual([]);
    expect(result.flow).toBe(draft);
  });

  it('leaves nodes of unknown types and versions newer than installed alone', () => {
    const registry = createRegistry([v1, v2]);
    const draft = flow([
      { id: 'unknown', type: 'no_such_node', typeVersion: 1 },
      { id: 'future', type: 'order_status', typeVersion: 7, config: { baseUrl: 'x' } },
    ]);
    expect(upgradeFlow(draft, registry)).toEqual({ flow: draft, upgraded: [] });
  });

  it('upgrades from a version that is no longer installed, when the next one takes its config', () => {
    const registry = createRegistry([v2, v3]);
    const draft = flow([{ id: 'old', type: 'order_status', typeVersion: 1, config: { url: 'https://a.example' } }]);
    const { flow: upgraded, upgraded: changes } = upgradeFlow(draft, registry);
    expect(changes).toEqual([{ nodeId: 'old', type: 'order_status', from: 1, to: 3 }]);
    expect(upgraded.nodes[0]?.config).toEqual({ baseUrl: 'https://a.example', timeoutSeconds: 10 });
  });
});

describe('availableUpgrades', () => {
  it('lists exactly what upgradeFlow does', () => {
    const cases = [
      createRegistry([v1, v2, v3]),
      createRegistry([v1, v2, version(3)]),
      createRegistry([v1, v3]),
      createRegistry([v1]),
      createRegistry([v2, v3]),
    ];
    const draft = flow([
      { id: 'a', type: 'order_status', typeVersion: 1, config: { url: 'https://a.example' } },
      { id: 'b', type: 'order_status', typeVersion: 2, config: { baseUrl: 'https://b.example' } },
      { id: 'c', type: 'order_status', typeVersion: 3, config: {} },
      { id: 'd', type: 'order_status', config: { url: 'https://d.example' } },
    ]);
    const seen = cases.map((registry) => {
      const listed = availableUpgrades(draft, registry);
      expect(listed).toEqual(upgradeFlow(draft, registry).upgraded);
      return listed.map((u) => `${u.nodeId}:${u.from}→${u.to}`);
    });
    // With v1 and v3 only, v3's upgrade still takes a v2 config; a v1 node cannot skip v2.
    expect(seen).toEqual([['a:1→3', 'b:2→3'], ['a:1→2'], ['b:2→3'], [], ['a:1→3', 'b:2→3']]);
  });

  it('changes nothing', () => {
    const draft = flow([{ id: 'a', type: 'order_status', typeVersion: 1, config: { url: 'https://a.example' } }]);
    const before = structuredClone(draft);
    availableUpgrades(draft, createRegistry([v1, v2, v3]));
    expect(draft).toEqual(before);
  });
});
