import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AnyNodeDefinition } from '../sdk/define-node.js';
import type { NodeActivity } from '../sdk/implement-activity.js';

/** The file that lists node packages, in the directory Baton starts in (or `BATON_CONFIG`). */
export const CONFIG_FILE = 'baton.config.json';

export class NodePackageError extends Error {
  override readonly name = 'NodePackageError';
}

export interface NodePackage {
  /** As written in the configuration. */
  spec: string;
  /** The package's name (package.json), for messages. */
  name: string;
  /** Absolute path of the module exporting `nodes`. */
  rootModule: string;
  definitions: AnyNodeDefinition[];
  activities: NodeActivity[];
}

export interface LoadedNodePackages {
  packages: NodePackage[];
  definitions: AnyNodeDefinition[];
  activities: NodeActivity[];
  /** Root modules of packages with nodes that have their own `step`: the worker bundles these. */
  stepModules: string[];
  /** Which package declared a definition, for the registry's error messages. */
  sourceOf(definition: AnyNodeDefinition): string;
}

/**
 * The node packages to load: `BATON_NODE_PACKAGES` (comma-separated), or `nodePackages` in
 * `baton.config.json`. Relative entries are resolved from the configuration's directory.
 *
 * @example
 * // baton.config.json
 * { "nodePackages": ["@acme/baton-order-status", "./nodes/lead-score"] }
 */
export function nodePackageSpecs(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): { specs: string[]; baseDir: string } {
  const fromEnv = env['BATON_NODE_PACKAGES'];
  if (fromEnv !== undefined && fromEnv.trim() !== '') {
    return { specs: fromEnv.split(',').map((s) => s.trim()).filter(Boolean), baseDir: cwd };
  }
  const file = env['BATON_CONFIG'] ? path.resolve(cwd, env['BATON_CONFIG']) : path.join(cwd, CONFIG_FILE);
  if (!existsSync(file)) {
    if (env['BATON_CONFIG']) throw new NodePackageError(`BATON_CONFIG names ${file}, which does not exist`);
    return { specs: [], baseDir: cwd };
  }
  let config: unknown;
  try {
    config = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new NodePackageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const specs = (config as { nodePackages?: unknown }).nodePackages ?? [];
  if (!Array.isArray(specs) || !specs.every((s) => typeof s === 'string')) {
    throw new NodePackageError(`${file}: "nodePackages" must be a list of package names or paths`);
  }
  return { specs, baseDir: path.dirname(file) };
}

interface ResolvedPackage {
  dir: string;
  name: string;
  root: string;
  activities?: string;
}

function exportTarget(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (entry && typeof entry === 'object') {
    for (const condition of ['import', 'node', 'default']) {
      const target = exportTarget((entry as Record<string, unknown>)[condition]);
      if (target) return target;
    }
  }
  return undefined;
}

/**
 * The directory of an installed package, looked up along the `node_modules` folders Node would
 * search. Resolving `<spec>/package.json` instead would refuse every package whose `exports`
 * does not list its package.json, which is most of them.
 */
function installedPackageDir(spec: string, baseDir: string): string | undefined {
  for (const modules of createRequire(path.join(baseDir, 'noop.js')).resolve.paths(spec) ?? []) {
    const dir = path.join(modules, spec);
    if (existsSync(path.join(dir, 'package.json'))) return realpathSync(dir);
  }
  return undefined;
}

function resolvePackage(spec: string, baseDir: string): ResolvedPackage {
  let dir: string;
  if (spec.startsWith('.') || path.isAbsolute(spec)) {
    dir = path.resolve(baseDir, spec);
  } else {
    const found = installedPackageDir(spec, baseDir);
    if (!found) throw new NodePackageError(`node package "${spec}" is not installed (looked from ${baseDir})`);
    dir = found;
  }
  const manifestFile = path.join(dir, 'package.json');
  if (!existsSync(manifestFile)) throw new NodePackageError(`node package "${spec}": no package.json in ${dir}`);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { name?: string; main?: string; exports?: unknown };
  const exportsField = manifest.exports;
  const entries: Record<string, unknown> =
    typeof exportsField === 'string' ? { '.': exportsField } : exportsField && typeof exportsField === 'object' ? (exportsField as Record<string, unknown>) : {};
  const root = exportTarget(entries['.']) ?? manifest.main;
  if (!root) throw new NodePackageError(`node package "${spec}": package.json exports no "." entry`);
  const activities = exportTarget(entries['./activities']);
  return {
    dir,
    name: manifest.name ?? spec,
    root: path.resolve(dir, root),
    ...(activities ? { activities: path.resolve(dir, activities) } : {}),
  };
}

function isDefinition(value: unknown): value is AnyNodeDefinition {
  if (!value || typeof value !== 'object') return false;
  const candidate = value as Record<string, unknown>;
  return (
    typeof candidate['type'] === 'string' &&
    typeof candidate['version'] === 'number' &&
    typeof candidate['step'] === 'function' &&
    typeof (candidate['config'] as { safeParse?: unknown } | undefined)?.safeParse === 'function'
  );
}

function isActivity(value: unknown): value is NodeActivity {
  return !!value && typeof value === 'object' && isDefinition((value as NodeActivity).definition) && typeof (value as NodeActivity).run === 'function';
}

/**
 * Imports the configured node packages: each one's root module must export `nodes` (node
 * definitions) and, for nodes with an activity, its `./activities` entry must export
 * `activities`. A package that breaks these rules stops the start with a message naming it.
 */
export async function loadNodePackages(specs: readonly string[], baseDir: string): Promise<LoadedNodePackages> {
  const packages: NodePackage[] = [];
  const sources = new Map<AnyNodeDefinition, string>();
  for (const spec of specs) {
    const resolved = resolvePackage(spec, baseDir);
    const label = `node package "${resolved.name}"`;
    const rootExports = (await import(pathToFileURL(resolved.root).href)) as { nodes?: unknown };
    if (!Array.isArray(rootExports.nodes) || rootExports.nodes.length === 0) {
      throw new NodePackageError(`${label} (${resolved.root}) must export a non-empty "nodes" list of node definitions`);
    }
    const definitions = rootExports.nodes.map((node, i) => {
      if (!isDefinition(node)) throw new NodePackageError(`${label}: nodes[${i}] is not a node definition (use defineNode or defineActivityNode)`);
      return node;
    });
    let activities: NodeActivity[] = [];
    if (resolved.activities) {
      const activityExports = (await import(pathToFileURL(resolved.activities).href)) as { activities?: unknown };
      if (!Array.isArray(activityExports.activities)) throw new NodePackageError(`${label}: its "./activities" entry must export an "activities" list`);
      activities = activityExports.activities.map((activity, i) => {
        if (!isActivity(activity)) throw new NodePackageError(`${label}: activities[${i}] is not an activity (use implementActivity)`);
        return activity;
      });
    }
    for (const definition of definitions) {
      sources.set(definition, label);
      if (definition.activity && !activities.some((a) => a.definition.type === definition.type && a.definition.version === definition.version)) {
        throw new NodePackageError(`${label}: node ${definition.type}@${definition.version} declares an activity, but "./activities" has no implementation of it`);
      }
    }
    packages.push({ spec, name: resolved.name, rootModule: resolved.root, definitions, activities });
  }
  return {
    packages,
    definitions: packages.flatMap((p) => p.definitions),
    activities: packages.flatMap((p) => p.activities),
    stepModules: packages.filter((p) => p.definitions.some((d) => !d.activityOnly)).map((p) => p.rootModule),
    sourceOf: (definition) => sources.get(definition) ?? 'the built-in nodes',
  };
}
