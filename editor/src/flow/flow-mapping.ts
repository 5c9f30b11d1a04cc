// The one translation between Baton's flow document and React Flow's nodes and edges. Pure: the
// canvas keeps React Flow's arrays for what moves every frame (drags, selection, sizes) and turns
// them back into a document at each meaningful change.
import { resolvePorts, type FlowDocument, type FlowEdge, type FlowNode, type PortDeclaration } from '@baton/nodes';
import type { Connection, Edge, Node } from '@xyflow/react';
import type { ManifestIndex } from './manifest-index.js';

/** React Flow's node type of every Baton node: one generic card for all node types. */
export const NODE_TYPE = 'baton';
/** The single target handle of every card; edges only name their source port. */
export const TARGET_HANDLE = 'in';

/** What a card gets: the flow node minus id and position, plain JSON (no callbacks). */
export type BatonNodeData = {
  type: string;
  typeVersion?: number;
  label?: string;
  config: FlowNode['config'];
  /** Written by the server at publish time; carried so a round trip changes nothing. */
  runtime?: FlowNode['runtime'];
};
export type BatonNode = Node<BatonNodeData, typeof NODE_TYPE>;
export type BatonEdge = Edge;

/** The parts of a document that are not nodes or edges. */
export type FlowMeta = Pick<FlowDocument, 'schemaVersion' | 'name' | 'settings'>;

export function flowMeta(doc: FlowDocument): FlowMeta {
  return { schemaVersion: doc.schemaVersion, name: doc.name, settings: doc.settings };
}

export function toNodeData(node: FlowNode): BatonNodeData {
  return {
    type: node.type,
    ...(node.typeVersion === undefined ? {} : { typeVersion: node.typeVersion }),
    ...(node.label === undefined ? {} : { label: node.label }),
    config: node.config,
    ...(node.runtime === undefined ? {} : { runtime: node.runtime }),
  };
}

export function toReactFlowNode(node: FlowNode): BatonNode {
  return { id: node.id, type: NODE_TYPE, position: node.position, data: toNodeData(node) };
}

export function toReactFlowEdge(edge: FlowEdge): BatonEdge {
  return { id: edge.id, source: edge.source, sourceHandle: edge.sourcePort, target: edge.target, targetHandle: TARGET_HANDLE };
}

export function toReactFlow(doc: FlowDocument): { nodes: BatonNode[]; edges: BatonEdge[] } {
  return { nodes: doc.nodes.map(toReactFlowNode), edges: doc.edges.map(toReactFlowEdge) };
}

export function toFlowNode(node: BatonNode): FlowNode {
  const { data } = node;
  return {
    id: node.id,
    type: data.type,
    ...(data.typeVersion === undefined ? {} : { typeVersion: data.typeVersion }),
    ...(data.label === undefined ? {} : { label: data.label }),
    config: data.config,
    position: { x: node.position.x, y: node.position.y },
    ...(data.runtime === undefined ? {} : { runtime: data.runtime }),
  };
}

export function toFlowEdge(edge: BatonEdge): FlowEdge {
  return { id: edge.id, source: edge.source, sourcePort: edge.sourceHandle ?? '', target: edge.target };
}

export function toFlowDocument(nodes: readonly BatonNode[], edges: readonly BatonEdge[], meta: FlowMeta): FlowDocument {
  return { schemaVersion: meta.schemaVersion, name: meta.name, nodes: nodes.map(toFlowNode), edges: edges.map(toFlowEdge), settings: meta.settings };
}

const sameData = (a: BatonNodeData, b: BatonNodeData) =>
  a.type === b.type && a.typeVersion === b.typeVersion && a.label === b.label && a.config === b.config && a.runtime === b.runtime;

/**
 * React Flow's nodes for a new document, reusing the previous node objects that did not change
 * (so memoized cards do not re-render) and keeping what React Flow knows (selection, size).
 */
export function syncNodes(previous: readonly BatonNode[], doc: FlowDocument): BatonNode[] {
  const byId = new Map(previous.map((node) => [node.id, node]));
  return doc.nodes.map((node) => {
    const before = byId.get(node.id);
    if (!before) return toReactFlowNode(node);
    const data = toNodeData(node);
    const samePosition = before.position.x === node.position.x && before.position.y === node.position.y;
    if (samePosition && sameData(before.data, data)) return before;
    return { ...before, position: samePosition ? before.position : node.position, data: sameData(before.data, data) ? before.data : data };
  });
}

export function syncEdges(previous: readonly BatonEdge[], doc: FlowDocument): BatonEdge[] {
  const byId = new Map(previous.map((edge) => [edge.id, edge]));
  return doc.edges.map((edge) => {
    const before = byId.get(edge.id);
    if (before && before.source === edge.source && before.sourceHandle === edge.sourcePort && before.target === edge.target) return before;
    return before?.selected ? { ...toReactFlowEdge(edge), selected: true } : toReactFlowEdge(edge);
  });
}

/** What a node needs to know its ports: its type, version and config. */
export type PortedNode = Pick<FlowNode, 'type' | 'typeVersion' | 'config'>;

/** The ports (exits) of a node, from its type's manifest and its config; none for an unknown type. */
export function portsOf(node: PortedNode, manifest: ManifestIndex): PortDeclaration[] {
  const type = manifest.get(node.type, node.typeVersion);
  return type ? resolvePorts(type.ports, node.config) : [];
}

/**
 * Whether an edge may be drawn: the source handle is a port the source node declares, the target
 * exists, and the target is not an entry node (nothing leads into the start). A port that
 * already has an edge may be connected again: `connect` replaces its edge.
 */
export function isValidConnection(
  connection: Pick<Connection, 'source' | 'target' | 'sourceHandle' | 'targetHandle'>,
  nodes: ReadonlyMap<string, PortedNode>,
  manifest: ManifestIndex,
): boolean {
  const source = nodes.get(connection.source);
  const target = nodes.get(connection.target);
  if (!source || !target || !connection.sourceHandle) return false;
  if (connection.targetHandle && connection.targetHandle !== TARGET_HANDLE) return false;
  if (manifest.get(target.type, target.typeVersion)?.entry) return false;
  return portsOf(source, manifest).some((port) => port.id === connection.sourceHandle);
}

/** A fresh edge id: `e1`, `e2`, … (the first free one). */
export function uniqueEdgeId(edges: readonly Pick<FlowEdge, 'id'>[]): string {
  const taken = new Set(edges.map((edge) => edge.id));
  let n = edges.length + 1;
  while (taken.has(`e${n}`)) n++;
  return `e${n}`;
}

/**
 * Adds the edge of a connection. A port leads to one node, so an edge already leaving the same
 * port is replaced. The connection must have passed `isValidConnection`.
 */
export function connect(doc: FlowDocument, connection: Pick<Connection, 'source' | 'target' | 'sourceHandle'>, edgeId = uniqueEdgeId(doc.edges)): FlowDocument {
  const sourcePort = connection.sourceHandle ?? '';
  const existing = doc.edges.find((edge) => edge.source === connection.source && edge.sourcePort === sourcePort);
  if (existing?.target === connection.target) return doc;
  const kept = existing ? doc.edges.filter((edge) => edge !== existing) : doc.edges;
  return { ...doc, edges: [...kept, { id: edgeId, source: connection.source, sourcePort, target: connection.target }] };
}
