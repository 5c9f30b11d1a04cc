import { resolvePorts } from '../sdk/ports.js';
import type { NodeRegistry } from '../sdk/registry.js';
import type { FlowDocument, FlowNode } from './flow-document.js';

/**
 * The flow as it is published: each node pinned to the version of its type installed now (so a
 * later install never changes what a published version does), and activity-only nodes given the
 * descriptor the engine runs them from when their package is not in the worker's workflow bundle.
 * A `runtime` sent by a client is never trusted: it is rewritten or dropped.
 */
export function pinFlow(flow: FlowDocument, registry: NodeRegistry): FlowDocument {
  return { ...flow, nodes: flow.nodes.map((node) => pinNode(node, registry)) };
}

function pinNode({ runtime: _untrusted, ...node }: FlowNode, registry: NodeRegistry): FlowNode {
  const definition = registry.get(node.type, node.typeVersion);
  const typeVersion = node.typeVersion ?? definition?.version ?? 1;
  if (!definition?.activityOnly || !definition.activity) return { ...node, typeVersion };
  const config = definition.config.safeParse(node.config);
  const activity = definition.activity;
  return {
    ...node,
    typeVersion,
    runtime: {
      activityOnly: {
        ports: resolvePorts(definition.ports, config.success ? config.data : node.config).map((p) => p.id),
        timeoutSeconds: activity.timeoutSeconds,
        ...(activity.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: activity.heartbeatSeconds }),
        ...(activity.maxAttempts === undefined ? {} : { maxAttempts: activity.maxAttempts }),
      },
    },
  };
}
