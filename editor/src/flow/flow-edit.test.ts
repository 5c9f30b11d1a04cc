import { describe, expect, it } from 'vitest';
import { addNode, copyFragment, moveNodes, pasteFragment, portSlots, removeElements, rewireEdges, uniqueNodeId, updateNode } from './flow-edit.js';
import { builtinIndex, manifestOf, sampleFlow } from '../../testing/test-manifest.js';

const isEntry = (type: string) => builtinIndex.get(type)?.entry ?? false;

describe('adding and removing', () => {
  it('adds a node of the newest version with its default config and a readable id', () => {
    const { doc, nodeId } = addNode(sampleFlow(), builtinIndex, 'wait_for_reply', { x: 10.4, y: 20.6 });
    expect(nodeId).toBe('wait_for_reply_1');
    expect(doc.nodes.at(-1)).toEqual({ id: 'wait_for_reply_1', type: 'wait_for_reply', typeVersion: 1, config: { timeoutSeconds: 300 }, position: { x: 10, y: 21 } });
    expect(doc.nodes.at(-1)!.config).not.toBe(manifestOf('wait_for_reply').defaultConfig);
    expect(addNode(doc, builtinIndex, 'wait_for_reply', { x: 0, y: 0 }).nodeId).toBe('wait_for_reply_2');
    expect(() => addNode(doc, builtinIndex, 'nope', { x: 0, y: 0 })).toThrow(/unknown node type/);
  });

  it('finds the first free id', () => {
    expect(uniqueNodeId(new Set(['end_1', 'end_3']), 'end')).toBe('end_2');
  });

  it('removes nodes with the edges touching them, and edges', () => {
    const doc = sampleFlow();
    const next = removeElements(doc, ['route'], ['e1']);
    expect(next.nodes.map((n) => n.id)).toEqual(['start', 'hello', 'bye']);
    expect(next.edges).toEqual([]);
    expect(removeElements(doc, [], [])).toBe(doc);
    expect(removeElements(doc, ['ghost'])).toBe(doc);
  });

  it('moves nodes, and a click that moves nothing is not a change', () => {
    const doc = sampleFlow();
    expect(moveNodes(doc, new Map([['hello', { x: 240, y: 10.5 }]]))).toBe(doc);
    const moved = moveNodes(doc, new Map([['hello', { x: 300, y: 40 }]]));
    expect(moved.nodes[1]!.position).toEqual({ x: 300, y: 40 });
    expect(moved.nodes[0]).toBe(doc.nodes[0]);
  });
});

describe('edges follow port changes', () => {
  it('lists one slot per config item, empty when it names no port yet', () => {
    expect(portSlots(manifestOf('condition').ports, { rules: [{ port: 'vip' }, { port: '' }, {}] })).toEqual(['vip', '', '', 'else']);
    expect(portSlots(manifestOf('wait_for_reply').ports, {})).toEqual(['replied', 'timeout']);
  });

  const edges = sampleFlow().edges;
  it('moves the edge of a renamed port', () => {
    expect(rewireEdges(edges, 'route', ['vip', 'sales', 'else'], ['vips', 'sales', 'else']).at(-1)).toEqual({ id: 'e3', source: 'route', sourcePort: 'vips', target: 'bye' });
  });
  it('keeps edges when items are reordered or added, or a name is cleared', () => {
    expect(rewireEdges(edges, 'route', ['vip', 'sales', 'else'], ['sales', 'vip', 'else'])).toBe(edges);
    expect(rewireEdges(edges, 'route', ['vip', 'sales', 'else'], ['vip', 'sales', '', 'else'])).toBe(edges);
    expect(rewireEdges(edges, 'route', ['vip', 'sales', 'else'], ['', 'sales', 'else'])).toBe(edges);
  });
  it('does not rename onto a port that exists already', () => {
    expect(rewireEdges(edges, 'route', ['vip', 'sales', 'else'], ['sales', 'sales', 'else'])).toBe(edges);
  });
  it('drops the edge of a removed item', () => {
    expect(rewireEdges(edges, 'route', ['vip', 'sales', 'else'], ['sales', 'else']).map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('updates a config and rewires through updateNode', () => {
    const doc = sampleFlow();
    const route = doc.nodes[2]!;
    const rules = route.config.rules as { port: string }[];
    const next = updateNode(doc, 'route', { config: { ...route.config, rules: [{ ...rules[0]!, port: 'gold' }, rules[1]!] } }, builtinIndex);
    expect(next.edges.find((e) => e.id === 'e3')!.sourcePort).toBe('gold');
    expect(next.nodes[2]!.config).not.toBe(route.config);
  });

  it('sets and clears a label', () => {
    const doc = sampleFlow();
    expect(updateNode(doc, 'route', { label: 'Who is it?' }, builtinIndex).nodes[2]!.label).toBe('Who is it?');
    expect('label' in updateNode(doc, 'hello', { label: '' }, builtinIndex).nodes[1]!).toBe(false);
    expect(updateNode(doc, 'ghost', { label: 'x' }, builtinIndex)).toBe(doc);
  });
});

describe('copy and paste', () => {
  it('copies the selected nodes and only the edges between them', () => {
    const fragment = copyFragment(sampleFlow(), ['hello', 'route']);
    expect(fragment.nodes.map((n) => n.id)).toEqual(['hello', 'route']);
    expect(fragment.edges.map((e) => e.id)).toEqual(['e2']);
  });

  it('pastes with new ids, moved, with the inner edges renamed', () => {
    const doc = sampleFlow();
    const { doc: next, nodeIds } = pasteFragment(doc, copyFragment(doc, ['hello', 'route']), { x: 40, y: 40 }, isEntry);
    expect(nodeIds).toEqual(['send_message_1', 'condition_1']);
    expect(next.nodes.at(-2)).toMatchObject({ id: 'send_message_1', label: 'Greeting', position: { x: 280, y: 50.5 } });
    expect(next.edges.at(-1)).toEqual({ id: 'e4', source: 'send_message_1', sourcePort: 'next', target: 'condition_1' });
    expect(next.nodes).toHaveLength(6);
  });

  it('leaves out a second start node', () => {
    const doc = sampleFlow();
    const { doc: next, nodeIds } = pasteFragment(doc, copyFragment(doc, ['start', 'hello']), { x: 40, y: 40 }, isEntry);
    expect(nodeIds).toEqual(['send_message_1']);
    expect(next.edges).toHaveLength(3);
  });
});
