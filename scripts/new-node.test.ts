import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadNodePackages } from '../nodes/src/loader.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = path.join(root, 'scripts', 'new-node.mjs');
const vitestBin = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const tscBin = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], cwd = root): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const newNode = (...args: string[]) => run([script, ...args]);

function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort();
}

/**
 * What `pnpm install` would link, without touching the lockfile: each dependency points at the
 * copy @baton/nodes itself uses (one zod, or schemas would not mix).
 */
function linkDependencies(dir: string): void {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
  for (const name of Object.keys({ ...manifest['dependencies'], ...manifest['devDependencies'] })) {
    const target = name === '@baton/nodes' ? path.join(root, 'nodes') : realpathSync(path.join(root, 'nodes', 'node_modules', name));
    const link = path.join(dir, 'node_modules', name);
    mkdirSync(path.dirname(link), { recursive: true });
    symlinkSync(target, link, 'junction');
  }
}

// Inside nodes/custom so the generated packages resolve like real ones; a dot directory two
// levels down, so neither pnpm's workspace glob (nodes/custom/*) nor vitest picks them up.
let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(path.join(root, 'nodes', 'custom', '.new-node-test-'));
});
afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
  expect(existsSync(workDir)).toBe(false);
});

const variants = [
  {
    name: 'activity-only',
    args: ['--title', `Order's "status"`],
    packageName: '@baton-custom/order-probe',
    title: `Order's "status"`,
    readme: 'It is activity-only, so it needs no\n   workflow rebuild.',
    stepModule: false,
  },
  {
    name: 'with-step',
    args: ['--with-step', '--package', '@acme/order-probe'],
    packageName: '@acme/order-probe',
    title: 'Order probe',
    readme: '**the worker bundles it into the conversation workflow at start**',
    stepModule: true,
  },
];

describe.each(variants)('pnpm nodes:new order_probe ($name)', (variant) => {
  let dir: string;
  let created: Run;
  let files: string[] = [];

  beforeAll(async () => {
    dir = path.join(workDir, variant.name);
    created = await newNode('order_probe', '--dir', dir, ...variant.args);
    if (created.code !== 0) return;
    files = filesIn(dir);
    linkDependencies(dir);
  });

  it('creates the package and says what to do next', () => {
    expect(created.code, created.stderr).toBe(0);
    expect(files).toEqual([
      'README.md',
      'package.json',
      'src/activities.ts',
      'src/index.ts',
      'src/order-probe.activity.test.ts',
      'src/order-probe.activity.ts',
      'src/order-probe.node.test.ts',
      'src/order-probe.node.ts',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({
      name: variant.packageName,
      type: 'module',
      description: `${variant.title}: a custom node for Baton`,
      exports: { '.': './src/index.ts', './activities': './src/activities.ts' },
      scripts: { test: 'vitest run' },
      dependencies: { '@baton/nodes': 'workspace:*', zod: 'catalog:' },
      devDependencies: { vitest: 'catalog:' },
    });
    for (const file of files) expect(readFileSync(path.join(dir, file), 'utf8'), file).not.toMatch(/__[A-Z_]+__/);
    const readme = readFileSync(path.join(dir, 'README.md'), 'utf8');
    expect(readme).toContain(`# ${variant.title} (\`order_probe\`)`);
    expect(readme).toContain(variant.readme);

    const relative = path.relative(root, dir).split(path.sep).join('/');
    expect(created.stdout).toContain(`Created ${variant.packageName} in ./${relative} (node type "order_probe"`);
    for (const file of files) expect(created.stdout).toContain(`  ${file}\n`);
    expect(created.stdout).toContain(`baton.config.json at the repository root: { "nodePackages": ["./${relative}"] }`);
    expect(created.stdout).toContain('pnpm install');
    expect(created.stdout).toContain(`pnpm --filter ${variant.packageName} test`);
    expect(created.stdout).toContain('Restart Baton');
  });

  it('passes its own tests, unchanged', async () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts: { test: string } };
    const [command, ...args] = manifest.scripts.test.split(' ');
    expect(command).toBe('vitest');
    const report = path.join(workDir, `${variant.name}.report.json`);
    const result = await run([vitestBin, ...args, '--root', dir, '--reporter=json', `--outputFile=${report}`], dir);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const summary = JSON.parse(readFileSync(report, 'utf8')) as { numTotalTests: number; numPassedTests: number; testResults: unknown[] };
    expect({ files: summary.testResults.length, passed: summary.numPassedTests, total: summary.numTotalTests }).toEqual({ files: 2, passed: 8, total: 8 });
  });

  it('typechecks', async () => {
    const result = await run([tscBin, '--noEmit', '-p', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
  });

  it('loads the way Baton loads node packages', async () => {
    const loaded = await loadNodePackages([dir], root);
    expect(loaded.definitions.map((d) => [d.type, d.version, d.title])).toEqual([['order_probe', 1, variant.title]]);
    expect(loaded.activities).toHaveLength(1);
    expect(loaded.activities[0]?.definition).toBe(loaded.definitions[0]);
    expect(loaded.stepModules).toEqual(variant.stepModule ? [path.join(dir, 'src', 'index.ts')] : []);
  });
});

describe('pnpm nodes:new refuses', () => {
  it.each(['OrderProbe', 'order-probe', '1order', 'order__probe', 'order_', '_order', ''])('the type %j', async (type) => {
    const dir = path.join(workDir, 'refused');
    const result = await newNode(type, '--dir', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`"${type}" is not a valid node type: use snake_case`);
    expect(result.stderr).toContain('Usage: pnpm nodes:new <type>');
    expect(existsSync(dir)).toBe(false);
  });

  it('to run without a type', async () => {
    const result = await newNode();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('give the node type');
  });

  it('to write into an existing directory, and leaves it as it was', async () => {
    const dir = path.join(workDir, 'existing');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "mine" }');
    const result = await newNode('order_probe', '--dir', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${dir} already exists`);
    expect(filesIn(dir)).toEqual(['package.json']);
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe('{ "name": "mine" }');
  });

  it('a type a built-in node already has', async () => {
    const dir = path.join(workDir, 'taken');
    const result = await newNode('http_request', '--dir', dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('node type "http_request" is already declared in nodes/src/builtin/http-request/http-request.node.ts');
    expect(existsSync(dir)).toBe(false);
  });
});

it('creates nodes/custom/<kebab-name> at the root of the repository by default', async () => {
  // A copy of the script and its templates in a scratch "repository", so the default location
  // can be used without creating a package in this one.
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'baton-new-node-'));
  try {
    cpSync(script, path.join(scratch, 'scripts', 'new-node.mjs'));
    cpSync(path.join(root, 'scripts', 'templates'), path.join(scratch, 'scripts', 'templates'), { recursive: true });
    cpSync(path.join(root, 'pnpm-workspace.yaml'), path.join(scratch, 'pnpm-workspace.yaml'));
    const result = await run([path.join(scratch, 'scripts', 'new-node.mjs'), 'lead_score'], scratch);
    expect(result.code, result.stderr).toBe(0);
    const dir = path.join(scratch, 'nodes', 'custom', 'lead-score');
    expect(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'))).toMatchObject({ name: '@baton-custom/lead-score' });
    expect(JSON.parse(readFileSync(path.join(dir, 'tsconfig.json'), 'utf8'))).toEqual({ extends: '../../../tsconfig.json', include: ['src', 'vitest.config.ts'] });
    expect(readFileSync(path.join(dir, 'src', 'lead-score.node.ts'), 'utf8')).toContain("title: 'Lead score',");
    expect(result.stdout).toContain('{ "nodePackages": ["./nodes/custom/lead-score"] }');
    expect(result.stdout).not.toContain('pnpm-workspace.yaml does not include');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
