import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { builtinNodes } from '../builtin/index.js';
import { createRegistry, NodeRegistryError } from '../sdk/registry.js';
import { CONFIG_FILE, loadNodePackages, NodePackageError, nodePackageSpecs } from './load-node-packages.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const fixture = (...parts: string[]) => path.join(fixtures, ...parts);

const temporary: string[] = [];
/** An empty directory outside the repository: nothing resolves from it unless the test puts it there. */
function emptyDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'baton-loader-test-'));
  temporary.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** What a call throws, to check its class and message at once. */
async function failure(pending: Promise<unknown>): Promise<Error> {
  try {
    await pending;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

describe('nodePackageSpecs', () => {
  it(`reads ${CONFIG_FILE} in the directory Baton starts in; relative entries are from its directory`, () => {
    expect(nodePackageSpecs({}, fixture('app'))).toEqual({ specs: ['../lookup-pkg', '../step-pkg'], baseDir: fixture('app') });
  });

  it('BATON_NODE_PACKAGES wins over the file: a comma list, trimmed, from the working directory', () => {
    const env = { BATON_NODE_PACKAGES: ' @acme/orders , ./local/pkg,, ' };
    expect(nodePackageSpecs(env, fixture('app'))).toEqual({ specs: ['@acme/orders', './local/pkg'], baseDir: fixture('app') });
  });

  it('a blank BATON_NODE_PACKAGES falls back to the file', () => {
    expect(nodePackageSpecs({ BATON_NODE_PACKAGES: '  ' }, fixture('app')).specs).toEqual(['../lookup-pkg', '../step-pkg']);
  });

  it('BATON_CONFIG names another file, relative to the working directory, whose directory is the base', () => {
    const result = nodePackageSpecs({ BATON_CONFIG: '../configs/greet-only.json' }, fixture('app'));
    expect(result).toEqual({ specs: ['../step-pkg'], baseDir: fixture('configs') });
    expect(nodePackageSpecs({ BATON_CONFIG: fixture('configs', 'greet-only.json') }, emptyDir())).toEqual(result);
  });

  it('BATON_CONFIG naming a missing file fails, naming it', () => {
    const cwd = emptyDir();
    const read = () => nodePackageSpecs({ BATON_CONFIG: 'missing.json' }, cwd);
    expect(read).toThrow(NodePackageError);
    expect(read).toThrow(`BATON_CONFIG names ${path.join(cwd, 'missing.json')}, which does not exist`);
  });

  it('without a file or the variable, there are no packages', () => {
    const cwd = emptyDir();
    expect(nodePackageSpecs({}, cwd)).toEqual({ specs: [], baseDir: cwd });
  });

  it('a file that is not JSON, or whose nodePackages is not a list of strings, fails naming the file', () => {
    const cwd = emptyDir();
    const file = path.join(cwd, CONFIG_FILE);
    writeFileSync(file, '{ "nodePackages": [');
    expect(() => nodePackageSpecs({}, cwd)).toThrow(new RegExp(`^${file.replace(/[.\\]/g, '\\$&')} is not valid JSON`));
    for (const nodePackages of ['@acme/orders', [1], { a: 'b' }]) {
      writeFileSync(file, JSON.stringify({ nodePackages }));
      expect(() => nodePackageSpecs({}, cwd), JSON.stringify(nodePackages)).toThrow(`${file}: "nodePackages" must be a list of package names or paths`);
    }
    writeFileSync(file, JSON.stringify({ port: 8080 }));
    expect(nodePackageSpecs({}, cwd)).toEqual({ specs: [], baseDir: cwd });
  });
});

describe('loadNodePackages', () => {
  it('loads the packages a configuration lists, from its directory', async () => {
    const { specs, baseDir } = nodePackageSpecs({}, fixture('app'));
    const loaded = await loadNodePackages(specs, baseDir);
    expect(loaded.packages.map((p) => ({ spec: p.spec, name: p.name, rootModule: p.rootModule }))).toEqual([
      { spec: '../lookup-pkg', name: '@fixture/lookup', rootModule: fixture('lookup-pkg', 'index.js') },
      { spec: '../step-pkg', name: '@fixture/greet', rootModule: fixture('step-pkg', 'index.js') },
    ]);
    expect(loaded.definitions.map((d) => `${d.type}@${d.version}`)).toEqual(['fixture_lookup@1', 'fixture_greet@1']);
    expect(loaded.activities).toHaveLength(1);
    expect(loaded.activities[0]!.definition).toBe(loaded.definitions[0]);
    expect(await loaded.activities[0]!.run({ config: { table: 'orders' }, vars: {} }, undefined as never)).toEqual({ port: 'found' });

    const registry = createRegistry([...builtinNodes, ...loaded.definitions], loaded.sourceOf);
    expect(registry.get('fixture_lookup')).toBe(loaded.definitions[0]);
    expect(registry.get('fixture_greet', 1)?.title).toBe('Fixture greet');
  });

  it('stepModules lists only the packages with nodes that have their own step', async () => {
    const loaded = await loadNodePackages(['../lookup-pkg', '../step-pkg'], fixture('app'));
    expect(loaded.stepModules).toEqual([fixture('step-pkg', 'index.js')]);
    expect((await loadNodePackages(['./lookup-pkg'], fixtures)).stepModules).toEqual([]);
  });

  it('takes absolute paths', async () => {
    const loaded = await loadNodePackages([fixture('step-pkg')], emptyDir());
    expect(loaded.packages.map((p) => p.name)).toEqual(['@fixture/greet']);
  });

  it('resolves a package name from the node_modules folders above the base directory', async () => {
    // As pnpm installs it: a symlink into node_modules; the package's own imports resolve from where it really is.
    const app = emptyDir();
    mkdirSync(path.join(app, 'node_modules', '@fixture'), { recursive: true });
    symlinkSync(fixture('lookup-pkg'), path.join(app, 'node_modules', '@fixture', 'lookup'), 'dir');
    const nested = path.join(app, 'deploy', 'config');
    mkdirSync(nested, { recursive: true });

    const loaded = await loadNodePackages(['@fixture/lookup'], nested);
    expect(loaded.packages.map((p) => ({ spec: p.spec, name: p.name, rootModule: p.rootModule }))).toEqual([
      { spec: '@fixture/lookup', name: '@fixture/lookup', rootModule: fixture('lookup-pkg', 'index.js') },
    ]);
    expect(loaded.activities).toHaveLength(1);
  });

  it('sourceOf names the package that declared a definition', async () => {
    const loaded = await loadNodePackages(['./lookup-pkg', './step-pkg'], fixtures);
    expect(loaded.definitions.map(loaded.sourceOf)).toEqual(['node package "@fixture/lookup"', 'node package "@fixture/greet"']);
    expect(loaded.sourceOf(builtinNodes[0]!)).toBe('the built-in nodes');
  });

  it('two packages declaring the same type@version fail the registry, naming both packages', async () => {
    const loaded = await loadNodePackages(['./lookup-pkg', './dup-pkg'], fixtures);
    const create = () => createRegistry([...builtinNodes, ...loaded.definitions], loaded.sourceOf);
    expect(create).toThrow(NodeRegistryError);
    expect(create).toThrow(
      'node fixture_lookup@1 is declared twice: by node package "@fixture/lookup" and by node package "@fixture/dup"; give one of them another type or version',
    );
  });

  it('no packages, nothing loaded', async () => {
    const loaded = await loadNodePackages([], emptyDir());
    expect(loaded).toMatchObject({ packages: [], definitions: [], activities: [], stepModules: [] });
  });

  describe('refuses a package that breaks the rules, with a message naming it', () => {
    const cases: [spec: string, message: string | RegExp][] = [
      ['@fixture/not-installed', /^node package "@fixture\/not-installed" is not installed \(looked from .*fixtures\/?\)$/],
      ['./no-such-dir', `node package "./no-such-dir": no package.json in ${fixture('no-such-dir')}`],
      ['./no-manifest', `node package "./no-manifest": no package.json in ${fixture('no-manifest')}`],
      ['./no-root-export', 'node package "./no-root-export": package.json exports no "." entry'],
      ['./empty-nodes', `node package "@fixture/empty-nodes" (${fixture('empty-nodes', 'index.js')}) must export a non-empty "nodes" list of node definitions`],
      ['./no-nodes', `node package "@fixture/no-nodes" (${fixture('no-nodes', 'index.js')}) must export a non-empty "nodes" list of node definitions`],
      ['./not-a-definition', 'node package "@fixture/not-a-definition": nodes[1] is not a node definition (use defineNode or defineActivityNode)'],
      [
        './missing-activities',
        'node package "@fixture/missing-activities": node fixture_missing_activities@2 declares an activity, but "./activities" has no implementation of it',
      ],
      ['./bad-activity', 'node package "@fixture/bad-activity": activities[1] is not an activity (use implementActivity)'],
      ['./no-activity-list', 'node package "@fixture/no-activity-list": its "./activities" entry must export an "activities" list'],
    ];
    it.each(cases)('%s', async (spec, message) => {
      const error = await failure(loadNodePackages(['./lookup-pkg', spec], fixtures));
      expect(error).toBeInstanceOf(NodePackageError);
      if (typeof message === 'string') expect(error.message).toBe(message);
      else expect(error.message).toMatch(message);
    });
  });
});
