import type { Json } from '../json.js';
import { nodeKey, type AnyNodeDefinition } from '../sdk/define-node.js';
import { resolvePorts } from '../sdk/ports.js';
import type { NodeRegistry } from '../sdk/registry.js';
import type { FlowDocument, FlowNode } from './flow-document.js';
import type { RuntimeActivity, RuntimeFlow, RuntimeNode } from './runtime-flow.js';

/** Attempts of a node activity when its declaration does not say. */
export const DEFAULT_ACTIVITY_ATTEMPTS = 3;

/**
 * Compiles a published flow for the engine: each node's definition looked up (by its pinned
 * version), its config parsed once, its ports resolved and its edges indexed. It never throws:
 * what is broken (an unknown node, a config that does not parse) is carried as data and surfaces
 * when a conversation reaches it, as a soft failure. Runs where schemas may run (the worker's
 * `loadFlow` activity, tests), never in the workflow sandbox.
 */
export function compileFlow(flow: FlowDocument, registry: NodeRegistry): RuntimeFlow {
  const nodes: RuntimeNode[] = [];
  const byId = new Map<string, RuntimeNode>();
  let startId: string | undefined;
  for (const node of flow.nodes) {
    if (byId.has(node.id)) continue;
    const compiled = compileNode(node, registry.get(node.type, node.typeVersion));
    if (compiled.entry && startId === undefined) startId = node.id;
    byId.set(node.id, compiled.node);
    nodes.push(compiled.node);
  }
  for (const edge of flow.edges) {
    const source = byId.get(edge.source);
    if (source && byId.has(edge.target) && !source.routes.some(([port]) => port === edge.sourcePort)) {
      source.routes.push([edge.sourcePort, edge.target]);
    }
  }
  return { ...(startId === undefined ? {} : { startId }), settings: flow.settings, nodes };
}

function compileNode(node: FlowNode, definition: AnyNodeDefinition | undefined): { node: RuntimeNode; entry: boolean } {
  const base = { id: node.id, type: node.type, routes: [] as [string, string][] };
  if (!definition) {
    // An activity-only node whose package this worker does not have: its published descriptor says enough to call it.
    const descriptor = node.runtime?.activityOnly;
    if (!descriptor || node.typeVersion === undefined) {
      return { node: { ...base, version: node.typeVersion ?? 0, runs: 'missing', config: node.config, ports: [] }, entry: false };
    }
    const activity: RuntimeActivity = {
      name: `node:${nodeKey(node.type, node.typeVersion)}`,
      timeoutSeconds: descriptor.timeoutSeconds,
      ...(descriptor.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: descriptor.heartbeatSeconds }),
      maxAttempts: descriptor.maxAttempts ?? DEFAULT_ACTIVITY_ATTEMPTS,
    };
    return { node: { ...base, version: node.typeVersion, runs: 'activity_only', config: node.config, ports: [...descriptor.ports], activity }, entry: false };
  }
  const parsed = definition.config.safeParse(node.config);
  const config = (parsed.success ? parsed.data : node.config) as Json;
  const spec = definition.activity;
  const compiled: RuntimeNode = {
    ...base,
    version: definition.version,
    runs: definition.activityOnly ? 'activity_only' : 'step',
    config,
    ...(parsed.success ? {} : { configError: parsed.error.issues.map((i: { path: PropertyKey[]; message: string }) => `${i.path.map(String).join('.')}: ${i.message}`).join('; ') }),
    ports: resolvePorts(definition.ports, config).map((port) => port.id),
    ...(spec
      ? {
          activity: {
            name: `node:${nodeKey(definition.type, definition.version)}`,
            timeoutSeconds: spec.timeoutSeconds,
            ...(spec.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: spec.heartbeatSeconds }),
            maxAttempts: spec.maxAttempts ?? DEFAULT_ACTIVITY_ATTEMPTS,
          },
        }
      : {}),
  };
  return { node: compiled, entry: definition.entry === true };
}
