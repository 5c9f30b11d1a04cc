// `npm start` / `pnpm start`: Baton on this machine, on the embedded default. Installs the
// dependencies and builds the editor when they are missing or stale, then runs
// `baton start` (or `api` / `worker`: `pnpm start api`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureEditorBuilt, ensureInstalled, root } from './bootstrap.mjs';

ensureInstalled();
const command = process.argv[2] ?? 'start';
if (command !== 'worker') ensureEditorBuilt();

const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server', 'bin', 'baton.ts'), command], {
  cwd: process.cwd(),
  stdio: 'inherit',
});
// Ctrl-C reaches the child too (same process group); it stops its own children and exits.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
