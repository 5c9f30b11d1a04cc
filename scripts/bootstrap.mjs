// Shared by `npm start` and `npm test`: make a fresh clone runnable with nothing but Node 20+.
// Plain Node (no dependencies): it runs before `pnpm install`.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

export function log(message) {
  process.stderr.write(`[baton] ${message}\n`);
}

function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    log(`Node ${process.versions.node} is too old: Baton needs Node 20.19 or newer.`);
    process.exit(1);
  }
}

function hasCommand(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** `pnpm` when installed, otherwise the pinned version through npx (npm ships with Node). */
export function pnpmCommand() {
  if (hasCommand('pnpm')) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

export function run(command, args, options = {}) {
  const result = spawnSync(command[0], [...command.slice(1), ...args], { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function installIsCurrent() {
  const marker = path.join(root, 'node_modules', '.modules.yaml');
  if (!existsSync(marker)) return false;
  return statSync(marker).mtimeMs >= statSync(path.join(root, 'pnpm-lock.yaml')).mtimeMs;
}

/** Installs dependencies when they are missing or older than the lockfile. */
export function ensureInstalled() {
  checkNode();
  if (installIsCurrent()) return;
  log('Installing dependencies (first run only)…');
  const env = { ...process.env };
  // better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded; point
  // node-gyp at the headers that come with a system Node instead of downloading them.
  if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h') && process.execPath.startsWith('/usr/bin/')) {
    env.npm_config_nodedir = '/usr';
  }
  const status = run(pnpmCommand(), ['install', '--frozen-lockfile'], { env });
  if (status !== 0) {
    log('pnpm install failed; see above.');
    process.exit(status);
  }
}
