import { isJsonObject, isVariablePath, type FlowDocument } from '@baton/nodes';
import { asSchema, hintsOf, normalizeSchema, objectUnion, variantOf, type JsonSchema } from './json-schema.js';
import type { ManifestIndex } from './manifest-index.js';

/** Variables every conversation has. */
export const BUILTIN_VARIABLES = ['lastMessage', 'user.email', 'user.name', 'user.externalId', 'conversation.id'] as const;

/**
 * Every variable a template in this flow can read, for autocomplete: the built-ins, then (sorted)
 * those the node types declare they write and the names typed into `variable` fields.
 */
export function knownVariables(flow: Pick<FlowDocument, 'nodes'>, manifest: ManifestIndex): string[] {
  const found = new Set<string>();
  for (const node of flow.nodes) {
    const type = manifest.get(node.type, node.typeVersion);
    if (!type) continue;
    for (const name of type.setsVariables) found.add(name);
    collect(asSchema(type.configSchema), node.config, found);
  }
  const builtins = new Set<string>(BUILTIN_VARIABLES);
  return [...BUILTIN_VARIABLES, ...[...found].filter((name) => !builtins.has(name) && isVariablePath(name)).sort()];
}

function collect(schema: JsonSchema, value: unknown, found: Set<string>): void {
  const union = objectUnion(schema);
  if (union) return collect(variantOf(union, value).schema, value, found);
  const normal = normalizeSchema(schema);
  const current = value === undefined ? normal.default : value;
  if (hintsOf(normal).widget === 'variable') {
    if (typeof current === 'string') found.add(current);
    return;
  }
  if (normal.properties && isJsonObject(current)) {
    const object = current as Record<string, unknown>;
    for (const [name, property] of Object.entries(normal.properties)) collect(property, object[name], found);
  } else if (normal.items && Array.isArray(current)) {
    for (const item of current) collect(normal.items, item, found);
  }
}
