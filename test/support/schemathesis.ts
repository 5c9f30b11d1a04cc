// Schemathesis (a fuzzer driven by the OpenAPI document, from PyPI) in a Python venv of its own
// under .cache/, made on first use and reused while test/e2e/api-fuzz/requirements.txt is the same.
// `npm test` runs this file before vitest (so the install shows its progress); the fuzz test
// calls it too, which then finds the venv ready.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
export const FUZZ_DIR = path.join(root, 'test', 'e2e', 'api-fuzz');
const REQUIREMENTS = path.join(FUZZ_DIR, 'requirements.txt');

function venvDir(): string {
  const digest = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex').slice(0, 12);
  return path.join(root, '.cache', `schemathesis-${digest}`);
}

function run(command: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}` };
}

/** The path of the `st` command, installing it first when needed; throws with what to do when it cannot. */
export function ensureSchemathesis(log: (message: string) => void = () => undefined): string {
  const dir = venvDir();
  const st = path.join(dir, 'bin', 'st');
  const marker = path.join(dir, '.installed');
  if (existsSync(marker) && existsSync(st)) return st;
  rmSync(dir, { recursive: true, force: true });
  log(`Installing Schemathesis into ${path.relative(root, dir)} (first run only)…`);
  const venv = run('python3', ['-m', 'venv', dir]);
  if (!venv.ok) {
    throw new Error(`The API fuzz test needs Python 3.9+ with its venv module (Debian: apt-get install python3-venv):\n${venv.output}`);
  }
  const pip = run(path.join(dir, 'bin', 'python'), ['-m', 'pip', 'install', '--disable-pip-version-check', '--quiet', '-r', REQUIREMENTS]);
  if (!pip.ok) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`Installing Schemathesis from PyPI failed:\n${pip.output}`);
  }
  writeFileSync(marker, `${new Date().toISOString()}\n`);
  return st;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureSchemathesis((message) => process.stderr.write(`[baton] ${message}\n`));
  } catch (error) {
    process.stderr.write(`[baton] ${(error as Error).message}\n`);
    process.exit(1);
  }
}
