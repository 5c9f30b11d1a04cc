// `pnpm nodes:new <type>`: creates a node package from scripts/templates/node-package.
// Plain Node (no dependencies): it runs before `pnpm install` and without a build.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const templates = path.join(root, 'scripts', 'templates', 'node-package');

const USAGE = `Usage: pnpm nodes:new <type> [--dir <path>] [--title "…"] [--package <name>] [--with-step]

  <type>           the node's type as stored in flows, in snake_case: order_status
  --dir <path>     where to create the package (default: nodes/custom/<type in kebab-case>)
  --title "…"      the title shown in the editor's palette (default: from the type)
  --package <name> the package's name (default: @baton-custom/<type in kebab-case>)
  --with-step      a node with its own deterministic step, bundled into the worker at start,
                   instead of an activity-only node (all logic in the activity)`;

// Stricter than defineNode's rule: no double or trailing `_`, so the kebab-case and camelCase
// names derived from it are clean and it can never contain a template placeholder.
const TYPE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
const PACKAGE = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

class UsageError extends Error {}
/** Valid arguments, but creating the package would clobber or clash with something. */
class RefusedError extends Error {}

function parse(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dir: { type: 'string' },
        title: { type: 'string' },
        package: { type: 'string' },
        'with-step': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(error.message);
  }
  const { values, positionals } = parsed;
  if (values.help) return undefined;
  if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'give the node type' : `one node type only, got: ${positionals.join(' ')}`);
  const type = positionals[0];
  if (type.length > 64 || !TYPE.test(type)) {
    throw new UsageError(`"${type}" is not a valid node type: use snake_case (lower case letters, digits and single underscores, starting with a letter), e.g. order_status`);
  }
  const kebab = type.replaceAll('_', '-');
  const title = (values.title ?? defaultTitle(type)).trim();
  if (title === '' || title.length > 80 || /[\p{Cc}]/u.test(title)) throw new UsageError('--title must be one line of 1 to 80 characters');
  const packageName = values.package ?? `@baton-custom/${kebab}`;
  if (packageName.length > 214 || !PACKAGE.test(packageName)) throw new UsageError(`"${packageName}" is not a valid package name`);
  return {
    type,
    kebab,
    camel: type.replace(/_([a-z0-9])/g, (_, c) => c.toUpperCase()),
    title,
    packageName,
    dir: path.resolve(values.dir ?? path.join(root, 'nodes', 'custom', kebab)),
    withStep: values['with-step'],
  };
}

function defaultTitle(type) {
  const words = type.replaceAll('_', ' ');
  return words[0].toUpperCase() + words.slice(1);
}

/** A path as written in files and messages: with `/`. */
function posix(relative) {
  return relative.split(path.sep).join('/');
}

/** How baton.config.json (whose relative entries start from the root) names the package. */
function configEntry(dir) {
  const relative = posix(path.relative(root, dir));
  return relative.startsWith('..') || path.isAbsolute(relative) ? posix(dir) : `./${relative}`;
}

/** A node type another package of this repository (or a built-in) already declares. */
function typeTakenBy(type) {
  const places = [path.join(root, 'nodes', 'src', 'builtin')];
  for (const parent of ['examples', 'custom']) {
    const dir = path.join(root, 'nodes', parent);
    if (!existsSync(dir)) continue;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) places.push(path.join(dir, entry.name, 'src'));
    }
  }
  const declares = new RegExp(`\\btype:\\s*['"]${type}['"]`);
  for (const place of places) {
    if (!existsSync(place)) continue;
    for (const file of readdirSync(place, { recursive: true })) {
      const full = path.join(place, file);
      if (String(file).endsWith('.node.ts') && declares.test(readFileSync(full, 'utf8'))) return posix(path.relative(root, full));
    }
  }
  return undefined;
}

/** Whether pnpm-workspace.yaml lists the directory (only `dir/*`-style globs are understood). */
function inWorkspace(dir) {
  const file = path.join(root, 'pnpm-workspace.yaml');
  if (!existsSync(file)) return true;
  const relative = posix(path.relative(root, dir));
  const packages = /^packages:\n((?:[ \t]+.*\n?)*)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? '';
  const globs = [...packages.matchAll(/^\s+-\s+['"]?([^'"\s]+)['"]?\s*$/gm)].map((m) => m[1]);
  return globs.some((glob) => {
    const pattern = glob.split('/').map((part) => (part === '*' ? '[^/.][^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))).join('/');
    return new RegExp(`^${pattern}$`).test(relative);
  });
}

/** Placeholder values, escaped for the kind of file they land in. */
function substitutions(options, file) {
  const text = (value) => {
    if (file.endsWith('.json')) return JSON.stringify(value).slice(1, -1);
    if (file.endsWith('.ts')) return value.replaceAll('\\', '\\\\').replaceAll("'", "\\'");
    return value;
  };
  return {
    __TYPE__: options.type,
    __KEBAB__: options.kebab,
    __CAMEL__: options.camel,
    __TITLE__: text(options.title),
    __PACKAGE__: options.packageName,
    __DIR__: text(configEntry(options.dir)),
    __ROOT_TSCONFIG__: text(posix(path.relative(options.dir, path.join(root, 'tsconfig.json')))),
  };
}

function fill(template, values) {
  return template.replace(/__[A-Z_]+?__/g, (placeholder) => values[placeholder] ?? placeholder);
}

/** Template files: the shared ones, then the variant's (which may add or replace files). */
function templateFiles(withStep) {
  const variant = withStep ? 'with-step' : 'activity-only';
  const files = new Map();
  const collect = (base, skip) => {
    for (const file of readdirSync(base, { recursive: true, withFileTypes: true })) {
      if (!file.isFile()) continue;
      const relative = path.relative(base, path.join(file.parentPath, file.name));
      if (skip.some((dir) => relative.startsWith(dir + path.sep))) continue;
      files.set(relative, path.join(base, relative));
    }
  };
  collect(templates, ['activity-only', 'with-step']);
  collect(path.join(templates, variant), []);
  return [...files];
}

function create(options) {
  if (existsSync(options.dir)) {
    throw new RefusedError(`${options.dir} already exists; choose another type or --dir (nothing was changed)`);
  }
  const taken = typeTakenBy(options.type);
  if (taken) throw new RefusedError(`node type "${options.type}" is already declared in ${taken}; choose another type`);

  mkdirSync(options.dir, { recursive: true });
  const created = [];
  try {
    for (const [relative, source] of templateFiles(options.withStep)) {
      const values = substitutions(options, relative);
      const target = path.join(options.dir, fill(relative, values));
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, fill(readFileSync(source, 'utf8'), values), { flag: 'wx' });
      created.push(posix(path.relative(options.dir, target)));
    }
  } catch (error) {
    // Half a package would be worse than none.
    rmSync(options.dir, { recursive: true, force: true });
    throw error;
  }
  return created.sort();
}

function report(options, created) {
  const where = configEntry(options.dir);
  const lines = [
    `Created ${options.packageName} in ${where} (node type "${options.type}", ${options.withStep ? 'with its own step' : 'activity-only'}):`,
    ...created.map((file) => `  ${file}`),
    '',
    'Next steps:',
    `  1. Add it to baton.config.json at the repository root: { "nodePackages": ["${where}"] }`,
    '  2. pnpm install',
    `  3. pnpm --filter ${options.packageName} test`,
    `  4. Restart Baton (pnpm start): the node appears in the editor's palette${options.withStep ? ' (the worker bundles its step at start)' : ''}.`,
  ];
  if (!inWorkspace(options.dir)) {
    lines.push('', `Note: pnpm-workspace.yaml does not include ${where}; add it there, or "workspace:*" and "catalog:" will not resolve.`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

try {
  const options = parse(process.argv.slice(2));
  if (!options) {
    process.stdout.write(USAGE + '\n');
  } else {
    report(options, create(options));
  }
} catch (error) {
  if (!(error instanceof UsageError || error instanceof RefusedError)) throw error;
  process.stderr.write(`nodes:new: ${error.message}\n${error instanceof UsageError ? `\n${USAGE}\n` : ''}`);
  process.exitCode = 1;
}
