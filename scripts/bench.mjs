// `pnpm bench`: the benchmarks (bench/, see docs/benchmarks.md) on the embedded stack. Not part of
// `pnpm test`. Installs and builds what is missing first, like `pnpm start`.
// Extra arguments go to the benchmark, e.g. `pnpm bench --only=latency`.
import { ensureEditorBuilt, ensureInstalled, log, pnpmCommand, run } from './bootstrap.mjs';

ensureInstalled();
// The editor benchmark measures the production build that Baton serves.
ensureEditorBuilt();
const pnpm = pnpmCommand();
if (run(pnpm, ['exec', 'tsx', 'engine/src/dev-server/cli.ts'], { stdio: ['ignore', 'ignore', 'inherit'] }) !== 0) {
  log('The Temporal CLI is needed for the benchmarks; see above.');
  process.exit(1);
}
process.exit(run(pnpm, ['exec', 'tsx', 'bench/src/main.ts', ...process.argv.slice(2)]));
