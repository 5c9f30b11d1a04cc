// `npm start` / `pnpm start`: Baton on this machine, on the embedded default. Installs the
// dependencies and builds the editor when they are missing or stale, then runs
// `baton start` (or `api` / `worker`: `pnpm start api`).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { ensureInstalled, log, pnpmCommand, root, run } from './bootstrap.mjs';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function editorIsBuilt() {
  const built = path.join(root, 'editor', 'dist', 'index.html');
  if (!existsSync(built)) return false;
  const sources = Math.max(newestMtime(path.join(root, 'editor', 'src')), statSync(path.join(root, 'editor', 'index.html')).mtimeMs);
  return statSync(built).mtimeMs >= sources;
}

ensureInstalled();
const command = process.argv[2] ?? 'start';
if (command !== 'worker' && !editorIsBuilt()) {
  log('Building the editor…');
  if (run(pnpmCommand(), ['--filter', '@baton/editor', 'build']) !== 0) process.exit(1);
}

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'bin', 'baton.ts'), command], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
// Ctrl-C reaches the child too (same process group); it stops its own children and exits.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
