// Changes to a flow document, as pure functions: the canvas, the keyboard and the config panel
// all edit through these, and the undo history stores their results.
import { isJsonObject, type FlowDocument, type FlowEdge, type FlowNode, type PortSpec } from '@baton/nodes';
import type { ManifestIndex } from './manifest-index.js';

type Position = FlowNode['position'];

/** A fresh node id readable in issue messages: `send_message_1`, `send_message_2`, … */
export function uniqueNodeId(taken: ReadonlySet<string>, type: string): string {
  let n = 1;
  while (taken.has(`${type}_${n}`)) n++;
  return `${type}_${n}`;
}

/** A node of the newest version of `type` with its default config, at `position`. */
export function addNode(doc: FlowDocument, manifest: ManifestIndex, type: string, position: Position): { doc: FlowDocument; nodeId: string } {
  const definition = manifest.get(type);
  if (!definition) throw new Error(`unknown node type "${type}"`);
  const nodeId = uniqueNodeId(new Set(doc.nodes.map((n) => n.id)), type);
  const node: FlowNode = {
    id: nodeId,
    type,
    typeVersion: definition.version,
    config: { ...(definition.defaultConfig as FlowNode['config']) },
    position: { x: Math.round(position.x), y: Math.round(position.y) },
  };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, nodeId };
}

/** Removes nodes (with every edge touching them) and edges. */
export function removeElements(doc: FlowDocument, nodeIds: Iterable<string>, edgeIds: Iterable<string> = []): FlowDocument {
  const nodes = new Set(nodeIds);
  const edges = new Set(edgeIds);
  if (nodes.size === 0 && edges.size === 0) return doc;
  const keptNodes = doc.nodes.filter((node) => !nodes.has(node.id));
  const keptEdges = doc.edges.filter((edge) => !edges.has(edge.id) && !nodes.has(edge.source) && !nodes.has(edge.target));
  if (keptNodes.length === doc.nodes.length && keptEdges.length === doc.edges.length) return doc;
  return { ...doc, nodes: keptNodes, edges: keptEdges };
}

/** Moves nodes; the same document when nothing moved (a click is not a change). */
export function moveNodes(doc: FlowDocument, positions: ReadonlyMap<string, Position>): FlowDocument {
  let moved = false;
  const nodes = doc.nodes.map((node) => {
    const to = positions.get(node.id);
    if (!to || (to.x === node.position.x && to.y === node.position.y)) return node;
    moved = true;
    return { ...node, position: { x: to.x, y: to.y } };
  });
  return moved ? { ...doc, nodes } : doc;
}

/**
 * A node's port ids in order, with `''` for a config item that does not name one yet; unlike
 * `resolvePorts` it keeps one slot per item, so an edit can be told apart from an insertion.
 */
export function portSlots(spec: PortSpec, config: unknown): string[] {
  const slots: string[] = [];
  for (const entry of spec) {
    if (typeof entry === 'string') slots.push(entry);
    else if ('id' in entry) slots.push(entry.id);
    else {
      const items = isJsonObject(config) ? config[entry.fromConfig] : undefined;
      if (!Array.isArray(items)) continue;
      for (const item of items) {
        const id = isJsonObject(item) ? item[entry.idField] : undefined;
        slots.push(typeof id === 'string' ? id : '');
      }
    }
  }
  return slots;
}

/**
 * Keeps a node's edges on its ports when a config edit changes them: renaming a port (one slot
 * changes, e.g. typing a rule's exit name) moves its edge along; removing an item drops the
 * edge of the port it had. Reordering changes nothing, since edges name ports by id.
 */
export function rewireEdges(edges: readonly FlowEdge[], nodeId: string, before: readonly string[], after: readonly string[]): FlowEdge[] {
  if (before.length === after.length) {
    const changed = before.flatMap((id, i) => (id !== after[i] ? [i] : []));
    if (changed.length !== 1) return edges as FlowEdge[];
    const from = before[changed[0]!]!;
    const to = after[changed[0]!]!;
    if (!from || !to || after.includes(from) || before.includes(to)) return edges as FlowEdge[];
    return edges.map((edge) => (edge.source === nodeId && edge.sourcePort === from ? { ...edge, sourcePort: to } : edge));
  }
  if (after.length > before.length) return edges as FlowEdge[];
  const gone = new Set(before.filter((id) => id && !after.includes(id)));
  return gone.size === 0 ? (edges as FlowEdge[]) : edges.filter((edge) => !(edge.source === nodeId && gone.has(edge.sourcePort)));
}

/** Changes a node's config and/or label; its edges follow renamed ports. */
export function updateNode(
  doc: FlowDocument,
  nodeId: string,
  patch: { config?: FlowNode['config']; label?: string | undefined },
  manifest: ManifestIndex,
): FlowDocument {
  const index = doc.nodes.findIndex((node) => node.id === nodeId);
  const node = doc.nodes[index];
  if (!node) return doc;
  const next: FlowNode = { ...node };
  if (patch.config !== undefined) next.config = patch.config;
  if ('label' in patch) {
    if (patch.label) next.label = patch.label;
    else delete next.label;
  }
  const nodes = doc.nodes.slice();
  nodes[index] = next;
  let edges = doc.edges;
  const type = manifest.get(node.type, node.typeVersion);
  if (type && patch.config !== undefined && patch.config !== node.config) {
    edges = rewireEdges(doc.edges, nodeId, portSlots(type.ports, node.config), portSlots(type.ports, patch.config));
  }
  return { ...doc, nodes, edges };
}

/** Copied nodes and the edges between them. */
export interface FlowFragment {
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export function copyFragment(doc: FlowDocument, nodeIds: Iterable<string>): FlowFragment {
  const ids = new Set(nodeIds);
  return {
    nodes: doc.nodes.filter((node) => ids.has(node.id)),
    edges: doc.edges.filter((edge) => ids.has(edge.source) && ids.has(edge.target)),
  };
}

/**
 * Pastes a fragment with new ids, moved by `offset`. Entry nodes are left out when the flow
 * already has one (a flow has exactly one start).
 */
export function pasteFragment(
  doc: FlowDocument,
  fragment: FlowFragment,
  offset: Position,
  isEntry: (type: string) => boolean,
): { doc: FlowDocument; nodeIds: string[] } {
  const taken = new Set(doc.nodes.map((node) => node.id));
  const hasEntry = doc.nodes.some((node) => isEntry(node.type));
  const renamed = new Map<string, string>();
  const nodes: FlowNode[] = [];
  for (const node of fragment.nodes) {
    if (hasEntry && isEntry(node.type)) continue;
    const id = uniqueNodeId(taken, node.type);
    taken.add(id);
    renamed.set(node.id, id);
    nodes.push({ ...node, id, position: { x: node.position.x + offset.x, y: node.position.y + offset.y } });
  }
  const edges = [...doc.edges];
  const takenEdges = new Set(edges.map((edge) => edge.id));
  let n = edges.length + 1;
  for (const edge of fragment.edges) {
    const source = renamed.get(edge.source);
    const target = renamed.get(edge.target);
    if (!source || !target) continue;
    while (takenEdges.has(`e${n}`)) n++;
    takenEdges.add(`e${n}`);
    edges.push({ ...edge, id: `e${n}`, source, target });
  }
  return { doc: { ...doc, nodes: [...doc.nodes, ...nodes], edges }, nodeIds: nodes.map((node) => node.id) };
}

/** Replaces the flow-wide settings. */
export function updateSettings(doc: FlowDocument, settings: FlowDocument['settings']): FlowDocument {
  return { ...doc, settings };
}
