import type { NodeCategory, NodeTypeManifest } from '@baton/nodes';

/** The node types the server knows, looked up by type and version. */
export interface ManifestIndex {
  /** The given version of a type, or its newest when the version is absent or unknown. */
  get(type: string, version?: number): NodeTypeManifest | undefined;
  /** The newest version of every type: what the palette offers. */
  latest: readonly NodeTypeManifest[];
}

/** Builds the index from `GET /api/node-types?allVersions=true` (every version of every type). */
export function indexManifest(manifests: readonly NodeTypeManifest[]): ManifestIndex {
  const byKey = new Map<string, NodeTypeManifest>();
  const newest = new Map<string, NodeTypeManifest>();
  for (const manifest of manifests) {
    byKey.set(`${manifest.type}@${manifest.version}`, manifest);
    const current = newest.get(manifest.type);
    if (!current || current.version < manifest.version) newest.set(manifest.type, manifest);
  }
  return {
    get: (type, version) => (version === undefined ? undefined : byKey.get(`${type}@${version}`)) ?? newest.get(type),
    latest: [...newest.values()],
  };
}

/** Palette sections, in the order a bot is usually built. */
export const CATEGORIES: readonly { id: NodeCategory; label: string }[] = [
  { id: 'flow', label: 'Start and end' },
  { id: 'message', label: 'Messages' },
  { id: 'input', label: 'Questions' },
  { id: 'ai', label: 'AI' },
  { id: 'logic', label: 'Logic' },
  { id: 'integration', label: 'Integrations' },
  { id: 'handoff', label: 'Humans' },
];

export interface PaletteGroup {
  category: string;
  label: string;
  items: NodeTypeManifest[];
}

/**
 * The palette for a search: node types whose title, description, type or category contain every
 * word of the query, grouped by category (unknown categories last), in manifest order.
 */
export function paletteGroups(manifests: readonly NodeTypeManifest[], query: string): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const labelOf = (category: string) => CATEGORIES.find((c) => c.id === category)?.label ?? category.charAt(0).toUpperCase() + category.slice(1);
  const matches = manifests.filter((m) => {
    const text = `${m.title} ${m.description} ${m.type.replace(/_/g, ' ')} ${labelOf(m.category)}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
  const order = (category: string) => {
    const index = CATEGORIES.findIndex((c) => c.id === category);
    return index === -1 ? CATEGORIES.length : index;
  };
  const groups = new Map<string, PaletteGroup>();
  // The start goes first in its section, whatever order the server lists types in.
  for (const manifest of [...matches].sort((a, b) => Number(b.entry) - Number(a.entry))) {
    const group = groups.get(manifest.category) ?? { category: manifest.category, label: labelOf(manifest.category), items: [] };
    group.items.push(manifest);
    groups.set(manifest.category, group);
  }
  return [...groups.values()].sort((a, b) => order(a.category) - order(b.category) || a.label.localeCompare(b.label));
}
