import './flow.css';
import type { NodeTypeManifest } from '@baton/nodes';
import { ReactFlowProvider } from '@xyflow/react';
import { get } from '../api/client.js';
import type { Bot, Draft } from '../api/types.js';
import { ErrorBanner } from '../ui/components.js';
import { useAsync } from '../ui/use-async.js';
import { FlowEditor } from './FlowEditor.js';

/** The flow builder of a bot, once its draft and the node types are loaded. */
export function FlowScreen({ botId }: { botId: string }) {
  const path = `/api/bots/${encodeURIComponent(botId)}`;
  const loaded = useAsync(
    () =>
      Promise.all([
        get<Bot>(path),
        get<Draft>(`${path}/flow`),
        // Every version: a node on an older version is drawn with that version's ports and form.
        get<{ nodeTypes: NodeTypeManifest[] }>('/api/node-types?allVersions=true'),
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
