// The variables panel as pure data: what each value is, a one-line preview, and which paths a
// turn changed, so the builder sees what the last message did.

export type ValueKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null' | 'other';

export function kindOf(value: unknown): ValueKind {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  switch (typeof value) {
    case 'object':
      return 'object';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    default:
      return 'other';
  }
}

/** The children of an object or array, in a stable order (object keys sorted). */
export function childrenOf(value: unknown): [string, unknown][] {
  if (Array.isArray(value)) return value.map((item, index) => [String(index), item]);
  if (value && typeof value === 'object') return Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
  return [];
}

/** One line for a value: strings quoted and cut, containers by size. */
export function previewOf(value: unknown, max = 60): string {
  switch (kindOf(value)) {
    case 'object': {
      const n = Object.keys(value as object).length;
      return n === 0 ? '{}' : `{ ${n} ${n === 1 ? 'field' : 'fields'} }`;
    }
    case 'array': {
      const n = (value as unknown[]).length;
      return n === 0 ? '[]' : `[ ${n} ${n === 1 ? 'item' : 'items'} ]`;
    }
    case 'string': {
      const text = JSON.stringify(value);
      return text.length > max ? `${text.slice(0, max - 2)}…"` : text;
    }
    case 'other':
      return String(value);
    default:
      return JSON.stringify(value);
  }
}

/**
 * Dotted paths whose value differs between two variable sets, with every ancestor of a changed
 * path included (so a collapsed parent can show that something inside changed).
 */
export function changedPaths(before: unknown, after: unknown, prefix = ''): Set<string> {
  const changed = new Set<string>();
  const walk = (a: unknown, b: unknown, path: string): boolean => {
    const ka = kindOf(a);
    const kb = kindOf(b);
    // A container that appeared is compared with an empty one, so its fields show as new too.
    if ((kb === 'object' || kb === 'array') && ka !== kb) {
      walk(kb === 'array' ? [] : {}, b, path);
      if (path) changed.add(path);
      return true;
    }
    if ((ka === 'object' || ka === 'array') && ka === kb) {
      const keys = new Set([...childrenOf(a).map(([k]) => k), ...childrenOf(b).map(([k]) => k)]);
      let any = false;
      for (const key of keys) {
        const child = path ? `${path}.${key}` : key;
        const av = (a as Record<string, unknown>)[key];
        const bv = (b as Record<string, unknown>)[key];
        if (walk(av, bv, child)) any = true;
      }
      if (any && path) changed.add(path);
      return any;
    }
    const differs = ka !== kb || JSON.stringify(a) !== JSON.stringify(b);
    if (differs && path) changed.add(path);
    return differs;
  };
  walk(before, after, prefix);
  return changed;
}
