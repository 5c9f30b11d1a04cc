import { describe, expect, it } from 'vitest';
import {
  connect,
  flowMeta,
  isValidConnection,
  NODE_TYPE,
  portsOf,
  syncEdges,
  syncNodes,
  TARGET_HANDLE,
  toFlowDocument,
  toReactFlow,
  uniqueEdgeId,
} from './flow-mapping.js';
import { builtinIndex, sampleFlow } from '../../testing/test-manifest.js';

describe('flow document ⇄ React Flow', () => {
  it('maps nodes to generic cards whose data is the node minus id and position', () => {
    const { nodes, edges } = toReactFlow(sampleFlow());
    expect(nodes[1]).toEqual({
      id: 'hello',
      type: NODE_TYPE,
      position: { x: 240, y: 10.5 },
      data: { type: 'send_message', typeVersion: 1, label: 'Greeting', config: { text: 'Hi {{user.name | there}}' } },
    });
    expect(Object.keys(nodes[2]!.data)).toEqual(['type', 'config']);
    expect(edges[2]).toEqual({ id: 'e3', source: 'route', sourceHandle: 'vip', target: 'bye', targetHandle: TARGET_HANDLE });
  });

  it('round-trips a document exactly (positions, labels, versions, runtime, name, settings)', () => {
    const doc = sampleFlow();
    const { nodes, edges } = toReactFlow(doc);
    const back = toFlowDocument(nodes, edges, flowMeta(doc));
    expect(back).toEqual(doc);
    expect(JSON.stringify(back)).toBe(JSON.stringify(doc));
  });

  it('keeps the data plain JSON', () => {
    const { nodes } = toReactFlow(sampleFlow());
    for (const node of nodes) expect(JSON.parse(JSON.stringify(node.data))).toEqual(node.data);
  });

  it('reuses unchanged React Flow nodes and keeps their selection when the document changes', () => {
    const doc = sampleFlow();
    const previous = toReactFlow(doc).nodes.map((n) => (n.id === 'route' ? { ...n, selected: true, measured: { width: 240, height: 90 } } : n));
    const changed = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'route' ? { ...n, config: { ...n.config, ignoreCase: false } } : n)) };
    const next = syncNodes(previous, changed);
    expect(next[0]).toBe(previous[0]);
    expect(next[1]).toBe(previous[1]);
    expect(next[2]).not.toBe(previous[2]);
    expect(next[2]).toMatchObject({ selected: true, measured: { width: 240, height: 90 }, data: { config: { ignoreCase: false } } });
    expect(syncNodes(previous, { ...doc, nodes: doc.nodes.slice(0, 2) }).map((n) => n.id)).toEqual(['start', 'hello']);
  });

  it('reuses unchanged edges and builds new ones', () => {
    const doc = sampleFlow();
    const previous = toReactFlow(doc).edges;
    const next = syncEdges(previous, { ...doc, edges: [...doc.edges.slice(0, 2), { id: 'e3', source: 'route', sourcePort: 'sales', target: 'bye' }] });
    expect(next[0]).toBe(previous[0]);
    expect(next[2]).toEqual({ id: 'e3', source: 'route', sourceHandle: 'sales', target: 'bye', targetHandle: 'in' });
  });
});

describe('ports and connections', () => {
  const doc = sampleFlow();
  const nodes = new Map(doc.nodes.map((n) => [n.id, n]));

  it('resolves ports from the manifest and the config', () => {
    expect(portsOf(nodes.get('route')!, builtinIndex).map((p) => p.id)).toEqual(['vip', 'sales', 'else']);
    expect(portsOf(nodes.get('bye')!, builtinIndex)).toEqual([]);
    expect(portsOf({ type: 'nope', config: {} }, builtinIndex)).toEqual([]);
  });

  it('accepts an edge from a declared port to an existing non-entry node', () => {
    expect(isValidConnection({ source: 'route', sourceHandle: 'sales', target: 'bye', targetHandle: 'in' }, nodes, builtinIndex)).toBe(true);
    // A port that already has an edge may be connected again (the edge is replaced).
    expect(isValidConnection({ source: 'route', sourceHandle: 'vip', target: 'hello', targetHandle: null }, nodes, builtinIndex)).toBe(true);
  });

  it('refuses undeclared ports, missing nodes and edges into the start', () => {
    expect(isValidConnection({ source: 'route', sourceHandle: 'gold', target: 'bye', targetHandle: 'in' }, nodes, builtinIndex)).toBe(false);
    expect(isValidConnection({ source: 'route', sourceHandle: null, target: 'bye', targetHandle: 'in' }, nodes, builtinIndex)).toBe(false);
    expect(isValidConnection({ source: 'route', sourceHandle: 'vip', target: 'ghost', targetHandle: 'in' }, nodes, builtinIndex)).toBe(false);
    expect(isValidConnection({ source: 'hello', sourceHandle: 'next', target: 'start', targetHandle: 'in' }, nodes, builtinIndex)).toBe(false);
    expect(isValidConnection({ source: 'hello', sourceHandle: 'next', target: 'bye', targetHandle: 'out' }, nodes, builtinIndex)).toBe(false);
  });

  it('replaces the edge of a port that already has one', () => {
    const next = connect(doc, { source: 'route', sourceHandle: 'vip', target: 'hello' });
    expect(next.edges.filter((e) => e.source === 'route')).toEqual([{ id: 'e4', source: 'route', sourcePort: 'vip', target: 'hello' }]);
    expect(next.edges).toHaveLength(3);
  });

  it('adds an edge for a free port and ignores a duplicate', () => {
    const next = connect(doc, { source: 'route', sourceHandle: 'else', target: 'bye' }, 'x');
    expect(next.edges.at(-1)).toEqual({ id: 'x', source: 'route', sourcePort: 'else', target: 'bye' });
    expect(connect(doc, { source: 'route', sourceHandle: 'vip', target: 'bye' })).toBe(doc);
  });

  it('finds a free edge id', () => {
    expect(uniqueEdgeId([{ id: 'e1' }, { id: 'e3' }])).toBe('e4');
    expect(uniqueEdgeId([{ id: 'e2' }, { id: 'e3' }])).toBe('e4');
    expect(uniqueEdgeId([])).toBe('e1');
  });
});
