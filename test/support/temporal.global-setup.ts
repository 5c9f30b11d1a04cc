import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findTemporalCli, startDevServer } from '@baton/engine/dev-server';
import { bundleConversationWorkflows } from '@baton/engine/worker';

/** Continue-as-new is suggested this early in tests, so long conversations exercise it. */
export const TEST_SUGGEST_CONTINUE_AS_NEW = 150;

/**
 * One Temporal dev server and one workflow bundle for the whole run; every test file connects to
 * them through the environment variables set here (forked test processes inherit them).
 */
export default async function setup(): Promise<() => Promise<void>> {
  const started = Date.now();
  // Several projects list this setup (test/, nodes/examples/*); vitest runs them one after the
  // other in one process, so the first one starts the server and bundles, the others reuse both.
  const [server, bundle] = await Promise.all([
    process.env['BATON_TEST_TEMPORAL_ADDRESS']
      ? undefined
      : findTemporalCli().then((cliPath) =>
          startDevServer({
            cliPath,
            dynamicConfig: { 'limit.historyCount.suggestContinueAsNew': TEST_SUGGEST_CONTINUE_AS_NEW },
          }),
        ),
    process.env['BATON_TEST_WORKFLOW_BUNDLE'] ? undefined : bundleConversationWorkflows(),
  ]);
  if (server) process.env['BATON_TEST_TEMPORAL_ADDRESS'] = server.address;
  if (bundle) {
    const dir = mkdtempSync(path.join(tmpdir(), 'baton-test-'));
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    writeFileSync(bundlePath, bundle.code);
    process.env['BATON_TEST_WORKFLOW_BUNDLE'] = bundlePath;
  }
  if (!server && !bundle) return async () => undefined;
  console.log(`Temporal dev server at ${process.env['BATON_TEST_TEMPORAL_ADDRESS']}, workflows bundled (${Date.now() - started} ms)`);
  return async () => {
    await server?.stop();
  };
}
