import type { NodeRegistry } from '../sdk/registry.js';
import type { FlowDocument } from './flow-document.js';

export interface NodeUpgrade {
  nodeId: string;
  type: string;
  from: number;
  to: number;
}

/**
 * Which nodes of a flow could move to a newer version of their type: each version in between
 * must declare an `upgrade` from the one before.
 */
export function availableUpgrades(flow: FlowDocument, registry: NodeRegistry): NodeUpgrade[] {
  return flow.nodes.flatMap((node) => {
    if (node.typeVersion === undefined) return [];
    let to = node.typeVersion;
    for (const version of registry.versions(node.type).filter((v) => v > node.typeVersion!)) {
      if (version !== to + 1 || !registry.get(node.type, version)?.upgrade) break;
      to = version;
    }
    return to > node.typeVersion ? [{ nodeId: node.id, type: node.type, from: node.typeVersion, to }] : [];
  });
}

/**
 * Moves the nodes of a flow (a draft: published versions never change) to the newest version of
 * their type they can reach, running each version's `upgrade` on the config in turn.
 *
 * @example
 * const { flow: upgraded, upgraded: changes } = upgradeFlow(draft, registry);
 * // changes → [{ nodeId: 'lookup', type: 'order_status', from: 1, to: 2 }]
 */
export function upgradeFlow(flow: FlowDocument, registry: NodeRegistry): { flow: FlowDocument; upgraded: NodeUpgrade[] } {
  const upgrades = availableUpgrades(flow, registry);
  if (upgrades.length === 0) return { flow, upgraded: [] };
  const byNode = new Map(upgrades.map((u) => [u.nodeId, u]));
  return {
    flow: {
      ...flow,
      nodes: flow.nodes.map((node) => {
        const upgrade = byNode.get(node.id);
        if (!upgrade) return node;
        let config: unknown = node.config;
        for (let version = upgrade.from + 1; version <= upgrade.to; version++) {
          try {
            config = registry.get(node.type, version)!.upgrade!(config);
          } catch (error) {
            throw new Error(`node "${node.id}" (${node.type}) could not be upgraded to version ${version}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
          }
        }
        return { ...node, typeVersion: upgrade.to, config: config as typeof node.config };
      }),
    },
    upgraded: upgrades,
  };
}
