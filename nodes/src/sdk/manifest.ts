import { z } from 'zod';
import type { AnyNodeDefinition, NodeCategory } from './define-node.js';
import { portSpecSchema } from './ports.js';
import type { NodeRegistry } from './registry.js';

const NODE_CATEGORIES = ['flow', 'message', 'input', 'logic', 'ai', 'integration', 'handoff'] as const satisfies readonly NodeCategory[];

/** What the editor's palette and forms know about a node type: plain JSON (the server's `GET /api/node-types`). */
export const nodeTypeManifestSchema = z
  .object({
    type: z.string(),
    version: z.number(),
    title: z.string(),
    description: z.string(),
    category: z.enum(NODE_CATEGORIES),
    icon: z.string().optional(),
    entry: z.boolean(),
    ports: portSpecSchema,
    configSchema: z.record(z.string(), z.unknown()).describe("JSON Schema (2020-12) of the config as the user writes it; UI hints under `x-ui`"),
    defaultConfig: z.record(z.string(), z.unknown()).describe('Default config of a freshly dropped node'),
    hasActivity: z.boolean(),
    setsVariables: z.array(z.string()).describe('Variables the node writes, when they do not depend on its config'),
  })
  .meta({ id: 'NodeTypeManifest' });
export type NodeTypeManifest = z.output<typeof nodeTypeManifestSchema>;

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
