// `npm test` / `pnpm test`: every test of every package, on a real Temporal dev server.
// Extra arguments go to vitest, e.g. `pnpm test nodes/src/flow`.
import { ensureEditorBuilt, ensureInstalled, log, pnpmCommand, run } from './bootstrap.mjs';

ensureInstalled();
// The browser tests drive the built editor, served by Baton.
ensureEditorBuilt();
const pnpm = pnpmCommand();
// Build the Temporal CLI now (with progress) rather than inside vitest's global setup.
if (run(pnpm, ['exec', 'tsx', 'engine/src/dev-server/cli.ts'], { stdio: ['ignore', 'ignore', 'inherit'] }) !== 0) {
  log('The Temporal CLI is needed for the tests; see above.');
  process.exit(1);
}
// The API fuzz test (test/e2e/api-fuzz) runs Schemathesis from a Python venv it installs once.
if (run(pnpm, ['exec', 'tsx', 'test/support/schemathesis.ts'], { stdio: ['ignore', 'ignore', 'inherit'] }) !== 0) {
  log('Schemathesis is needed for the API fuzz test; see above.');
  process.exit(1);
}
process.exit(run(pnpm, ['exec', 'vitest', 'run', ...process.argv.slice(2)]));
