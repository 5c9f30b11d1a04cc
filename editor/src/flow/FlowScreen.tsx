import './flow.css';
import { ReactFlowProvider } from '@xyflow/react';
import { api, ok } from '../api/client.js';
import { ErrorBanner } from '../ui/components.js';
import { useAsync } from '../ui/use-async.js';
import { FlowEditor } from './FlowEditor.js';

/** The flow builder of a bot, once its draft and the node types are loaded. */
export function FlowScreen({ botId }: { botId: string }) {
  const byBot = { params: { path: { botId } } };
  const loaded = useAsync(
    () =>
      Promise.all([
        ok(api.GET('/api/bots/{botId}', byBot)),
        ok(api.GET('/api/bots/{botId}/flow', byBot)),
        // Every version: a node on an older version is drawn with that version's ports and form.
        ok(api.GET('/api/node-types', { params: { query: { allVersions: 'true' } } })),
      ]),
    [botId],
  );
  if (loaded.error) {
    return (
      <main className="page">
        <ErrorBanner error={loaded.error} />
      </main>
    );
  }
  if (!loaded.data) {
    return (
      <main className="page muted" aria-busy="true">
        Loading the flow…
      </main>
    );
  }
  const [bot, draft, { nodeTypes }] = loaded.data;
  return (
    <main className="flow-main" aria-label={`Flow of ${bot.name}`}>
      <ReactFlowProvider>
        <FlowEditor key={botId} bot={bot} draft={draft} manifests={nodeTypes} />
      </ReactFlowProvider>
    </main>
  );
}
