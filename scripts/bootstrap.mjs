// Shared by `npm start` and `npm test`: make a fresh clone runnable with nothing but Node 20+.
// Plain Node (no dependencies): it runs before `pnpm install`.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
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

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function editorIsBuilt() {
  const editor = path.join(root, 'editor');
  const built = ['index.html', 'chat.html', 'widget.js'].map((file) => path.join(editor, 'dist', file));
  if (!built.every((file) => existsSync(file))) return false;
  const sources = Math.max(
    newestMtime(path.join(editor, 'src')),
    ...['index.html', 'chat.html', 'vite.config.ts', 'vite.widget.config.ts'].map((file) => statSync(path.join(editor, file)).mtimeMs),
  );
  return Math.min(...built.map((file) => statSync(file).mtimeMs)) >= sources;
}

/** Builds the editor (the app, the chat page, the widget) when it is missing or older than its sources. */
export function ensureEditorBuilt() {
  if (editorIsBuilt()) return;
  log('Building the editor…');
  if (run(pnpmCommand(), ['--filter', '@baton/editor', 'build']) !== 0) process.exit(1);
}
