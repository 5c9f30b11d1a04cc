import { api, ok } from '../api/client.js';
import { ErrorBanner } from '../ui/components.js';
import { useAsync } from '../ui/use-async.js';
import { Popover } from './Popover.js';

/** Published versions, newest first, each restorable as the draft. */
export function VersionsMenu({ botId, refreshKey, onRestore }: { botId: string; refreshKey: number; onRestore(version: number): void }) {
  const versions = useAsync(() => ok(api.GET('/api/bots/{botId}/versions', { params: { path: { botId } } })).then((r) => r.versions), [botId, refreshKey]);
  const published = versions.data?.[0]?.version;
  return (
    <Popover label={published ? `Version ${published}` : 'Versions'} ariaLabel="Versions" panelLabel="Published versions" testId="versions-button" onOpen={versions.reload}>
      {(close) => (
        <div className="flow-versions">
          <ErrorBanner error={versions.error} />
          {versions.data?.length === 0 ? <p className="muted flow-popover-empty">Nothing published yet. Publish to make the bot answer with this flow.</p> : null}
          <ul className="flow-version-list" data-testid="versions-list">
            {versions.data?.map((v, index) => (
              <li key={v.version}>
                <span className="grow">
                  <strong>Version {v.version}</strong>
                  {index === 0 ? <span className="badge badge-ok">live</span> : null}
                  <br />
                  <span className="muted">{new Date(v.publishedAt).toLocaleString()}</span>
                </span>
                <button
                  type="button"
                  className="btn btn-small"
                  onClick={() => {
                    close();
                    onRestore(v.version);
                  }}
                  aria-label={`Restore version ${v.version}`}
                >
                  Restore
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Popover>
  );
}
