import { z } from 'zod';
import type { AnyNodeDefinition, NodeCategory } from './define-node.js';
import type { PortSpec } from './ports.js';
import type { NodeRegistry } from './registry.js';

/** What the editor's palette and forms know about a node type: plain JSON. */
export interface NodeTypeManifest {
  type: string;
  version: number;
  title: string;
  description: string;
  category: NodeCategory;
  icon?: string;
  entry: boolean;
  ports: PortSpec;
  /** JSON Schema (2020-12) of the config as the user writes it; UI hints under `x-ui`. */
  configSchema: Record<string, unknown>;
  /** Default config of a freshly dropped node. */
  defaultConfig: Record<string, unknown>;
  hasActivity: boolean;
  /** Variables the node writes, when they do not depend on its config. */
  setsVariables: string[];
}

/**
 * The palette entry of one node definition. Throws when the config schema cannot be
 * expressed as JSON Schema (transforms, custom types), since the editor could not render it.
 */
export function nodeTypeManifest(definition: AnyNodeDefinition): NodeTypeManifest {
  const configSchema = z.toJSONSchema(definition.config, { io: 'input', unrepresentable: 'throw' }) as Record<string, unknown>;
  // The input pass silently renders a transform as its input type; the output pass refuses it.
  // A transformed config would break the editor's round trip: `defaultConfig` is parser output.
  z.toJSONSchema(definition.config, { io: 'output', unrepresentable: 'throw' });
  const defaults = definition.config.safeParse({});
  return {
    type: definition.type,
    version: definition.version,
    title: definition.title,
    description: definition.description,
    category: definition.category,
    ...(definition.icon ? { icon: definition.icon } : {}),
    entry: definition.entry ?? false,
    ports: definition.ports,
    configSchema,
    defaultConfig: defaults.success ? (defaults.data as Record<string, unknown>) : {},
    hasActivity: definition.activity !== undefined,
    setsVariables: defaults.success && definition.setsVariables ? definition.setsVariables(defaults.data) : [],
  };
}

/** The palette: the latest version of every node type (older versions stay runnable, not addable). */
export function registryManifest(registry: NodeRegistry, options: { allVersions?: boolean } = {}): NodeTypeManifest[] {
  return (options.allVersions ? registry.all() : registry.latest()).map(nodeTypeManifest);
}
