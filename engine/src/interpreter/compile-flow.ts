import { z } from 'zod';
import {
  activityOnlyInputSchema,
  activityOnlyResultSchema,
  activityOnlyStep,
  resolvePorts,
  type FlowNode,
  type AnyNodeDefinition,
  type FlowDocument,
  type FlowSettings,
  type NodeRegistry,
} from '@baton/nodes';

export interface CompiledNode {
  id: string;
  type: string;
  /** Missing when the worker does not know this node type or version. */
  definition?: AnyNodeDefinition;
  /** The parsed config; `configError` instead when it does not parse. */
  config?: unknown;
  configError?: string;
  ports: Set<string>;
  /** Port id → target node id. */
  routes: Map<string, string>;
}

export interface CompiledFlow {
  startId?: string;
  settings: FlowSettings;
  nodes: Map<string, CompiledNode>;
}

/**
 * Prepares a published flow for the interpreter: definitions looked up, configs parsed once,
 * edges indexed by port. It never throws; what is broken surfaces when the conversation
 * reaches it, as a soft failure.
 */
export function compileFlow(flow: FlowDocument, registry: NodeRegistry): CompiledFlow {
  const nodes = new Map<string, CompiledNode>();
  let startId: string | undefined;
  for (const node of flow.nodes) {
    if (nodes.has(node.id)) continue;
    const definition = registry.get(node.type, node.typeVersion) ?? fromDescriptor(node);
    const compiled: CompiledNode = { id: node.id, type: node.type, ports: new Set(), routes: new Map() };
    if (definition) {
      compiled.definition = definition;
      const parsed: z.ZodSafeParseResult<unknown> = definition.config.safeParse(node.config);
      if (parsed.success) compiled.config = parsed.data;
      else compiled.configError = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      for (const port of resolvePorts(definition.ports, parsed.success ? parsed.data : node.config)) compiled.ports.add(port.id);
      if (definition.entry && startId === undefined) startId = node.id;
    }
    nodes.set(node.id, compiled);
  }
  for (const edge of flow.edges) {
    const source = nodes.get(edge.source);
    if (source && nodes.has(edge.target) && !source.routes.has(edge.sourcePort)) {
      source.routes.set(edge.sourcePort, edge.target);
    }
  }
  return { ...(startId === undefined ? {} : { startId }), settings: flow.settings, nodes };
}

/**
 * An activity-only node whose package the workflow bundle does not contain runs from the
 * descriptor its published flow carries; its config is checked by the worker's activity, which
 * has the real definition.
 */
function fromDescriptor(node: FlowNode): AnyNodeDefinition | undefined {
  const descriptor = node.runtime?.activityOnly;
  if (!descriptor || node.typeVersion === undefined) return undefined;
  return {
    type: node.type,
    version: node.typeVersion,
    title: node.type,
    description: '',
    category: 'integration',
    config: z.object({}).loose(),
    ports: descriptor.ports,
    activityOnly: true,
    activity: {
      input: activityOnlyInputSchema,
      result: activityOnlyResultSchema,
      timeoutSeconds: descriptor.timeoutSeconds,
      ...(descriptor.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: descriptor.heartbeatSeconds }),
      ...(descriptor.maxAttempts === undefined ? {} : { maxAttempts: descriptor.maxAttempts }),
    },
    step: activityOnlyStep,
  };
}
