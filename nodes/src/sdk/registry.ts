import { nodeKey, type AnyNodeDefinition } from './define-node.js';

const PORT_ID = /^[A-Za-z0-9_-]{1,64}$/;

export interface NodeRegistry {
  /** A definition by type and version; without a version, the latest one. */
  get(type: string, version?: number): AnyNodeDefinition | undefined;
  /** Every registered version, newest last. */
  versions(type: string): number[];
  /** The latest version of each type, sorted by type. */
  latest(): AnyNodeDefinition[];
  /** Every definition, sorted by type then version. */
  all(): AnyNodeDefinition[];
}

export class NodeRegistryError extends Error {
  override readonly name = 'NodeRegistryError';
}

/**
 * An explicit registry of node definitions. It fails fast, with a message naming both
 * sources, when two definitions share a `type@version`, and when a node declares a bad or
 * duplicate port.
 *
 * @example
 * const registry = createRegistry([...builtinNodes, orderStatus]);
 * registry.get('send_message')?.title // 'Send message'
 */
export function createRegistry(
  definitions: readonly AnyNodeDefinition[],
  sourceOf: (definition: AnyNodeDefinition) => string = () => 'a node package',
): NodeRegistry {
  const byKey = new Map<string, { definition: AnyNodeDefinition; source: string }>();
  const byType = new Map<string, AnyNodeDefinition[]>();

  for (const definition of definitions) {
    const key = nodeKey(definition.type, definition.version);
    const source = sourceOf(definition);
    const existing = byKey.get(key);
    if (existing) {
      throw new NodeRegistryError(
        `node ${key} is declared twice: by ${existing.source} and by ${source}; give one of them another type or version`,
      );
    }
    checkPorts(definition, key);
    byKey.set(key, { definition, source });
    const list = byType.get(definition.type) ?? [];
    list.push(definition);
    list.sort((a, b) => a.version - b.version);
    byType.set(definition.type, list);
  }

  const types = [...byType.keys()].sort();
  return {
    get(type, version) {
      if (version === undefined) return byType.get(type)?.at(-1);
      return byKey.get(nodeKey(type, version))?.definition;
    },
    versions: (type) => (byType.get(type) ?? []).map((d) => d.version),
    latest: () => types.map((t) => byType.get(t)!.at(-1)!),
    all: () => types.flatMap((t) => byType.get(t)!),
  };
}

function checkPorts(definition: AnyNodeDefinition, key: string): void {
  const seen = new Set<string>();
  for (const entry of definition.ports) {
    if (typeof entry !== 'string' && !('id' in entry)) continue;
    const id = typeof entry === 'string' ? entry : entry.id;
    if (!PORT_ID.test(id)) throw new NodeRegistryError(`node ${key}: port id "${id}" must match ${PORT_ID}`);
    if (seen.has(id)) throw new NodeRegistryError(`node ${key}: port "${id}" is declared twice`);
    seen.add(id);
  }
}
