import { useId, useState, type FormEvent } from 'react';
import { SECRET_NAME } from '@baton/nodes';
import { ApiError, api, ok } from '../api/client.js';
import { Button, ErrorBanner, Field } from '../ui/components.js';
import { useAsync } from '../ui/use-async.js';

/** Secrets that nodes use by name (an API key for an HTTP request…): names only, values never shown. */
export function SecretsSection({ botId }: { botId: string }) {
  const id = useId();
  const list = useAsync(() => ok(api.GET('/api/bots/{botId}/secrets', { params: { path: { botId } } })).then((r) => r.secrets), [botId]);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [nameError, setNameError] = useState<string>();
  const [valueError, setValueError] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const [replacing, setReplacing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<string | null>(null);

  const store = async (secretName: string, secretValue: string): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      await ok(api.PUT('/api/bots/{botId}/secrets/{name}', { params: { path: { botId, name: secretName } }, body: { value: secretValue } }));
      setAnnouncement(`Secret ${secretName} saved`);
      list.reload();
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.issues.length) {
        for (const issue of e.issues) {
          if (issue.path.includes('name')) setNameError(issue.message);
          else if (issue.path.includes('value')) setValueError(issue.message);
        }
      } else setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    setNameError(SECRET_NAME.test(trimmed) ? undefined : 'Lower case letters, digits and _, starting with a letter (up to 64)');
    setValueError(value ? undefined : 'Type the value to store');
    if (!SECRET_NAME.test(trimmed) || !value) return;
    if (await store(trimmed, value)) {
      setName('');
      setValue('');
    }
  };

  const remove = async (secretName: string) => {
    setBusy(true);
    setError(undefined);
    try {
      await ok(api.DELETE('/api/bots/{botId}/secrets/{name}', { params: { path: { botId, name: secretName } } }));
      setAnnouncement(`Secret ${secretName} deleted`);
      setConfirming(null);
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const exists = list.data?.some((s) => s.name === name.trim());
  return (
    <section className="settings-section stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Secrets</h2>
      <p className="help">
        Values that nodes use by name, like an API key for an HTTP request node. They are stored encrypted and never shown again. Each one is saved on its own: the Save
        button above is not needed.
      </p>
      <p className="sr-only" role="status">
        {announcement}
      </p>
      <ErrorBanner error={list.error ?? error} />
      {list.data && list.data.length === 0 ? <p className="muted">No secrets yet.</p> : null}
      {list.data?.length ? (
        <table className="secrets-table">
          <caption className="sr-only">Stored secrets</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Last changed</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((secret) => (
              <tr key={secret.name} data-testid="secret-row" data-name={secret.name}>
                <th scope="row">
                  <code>{secret.name}</code>
                </th>
                <td className="muted">{new Date(secret.updatedAt).toLocaleString()}</td>
                <td>
                  {replacing === secret.name ? (
                    <ReplaceSecret
                      name={secret.name}
                      busy={busy}
                      onCancel={() => setReplacing(null)}
                      onSave={async (newValue) => {
                        if (await store(secret.name, newValue)) setReplacing(null);
                      }}
                    />
                  ) : confirming === secret.name ? (
                    <span className="row" role="group" aria-label={`Delete ${secret.name}?`}>
                      <span>Delete {secret.name}? Nodes using it will fail.</span>
                      <Button small variant="danger" disabled={busy} onClick={() => void remove(secret.name)}>
                        Delete
                      </Button>
                      <Button small onClick={() => setConfirming(null)}>
                        Cancel
                      </Button>
                    </span>
                  ) : (
                    <span className="row">
                      <Button small onClick={() => setReplacing(secret.name)} aria-label={`Replace ${secret.name}`}>
                        Replace
                      </Button>
                      <Button small variant="danger" onClick={() => setConfirming(secret.name)} aria-label={`Delete ${secret.name}`}>
                        Delete
                      </Button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <form className="panel secret-form" onSubmit={add} aria-label="Add a secret">
        <h3>Add a secret</h3>
        <div className="row wrap align-start">
          <Field label="Secret name" help={exists ? 'A secret with this name exists: saving replaces its value.' : 'Like order_api_key.'} error={nameError}>
            {(fid, describedBy) => (
              <input
                id={fid}
                aria-describedby={describedBy}
                value={name}
                maxLength={64}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => {
                  setName(e.target.value);
                  setNameError(undefined);
                }}
              />
            )}
          </Field>
          <Field label="Secret value" error={valueError}>
            {(fid, describedBy) => (
              <input
                id={fid}
                type="password"
                autoComplete="new-password"
                aria-describedby={describedBy}
                value={value}
                onChange={(e) => {
                  setValue(e.target.value);
                  setValueError(undefined);
                }}
              />
            )}
          </Field>
        </div>
        <Button type="submit" variant="primary" disabled={busy}>
          Save secret
        </Button>
      </form>
    </section>
  );
}

function ReplaceSecret(props: { name: string; busy: boolean; onCancel(): void; onSave(value: string): Promise<void> }) {
  const [value, setValue] = useState('');
  return (
    <form
      className="row"
      aria-label={`Replace ${props.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        if (value) void props.onSave(value);
      }}
    >
      <Field label={`New value of ${props.name}`}>
        {(fid) => <input id={fid} type="password" autoComplete="new-password" autoFocus value={value} onChange={(e) => setValue(e.target.value)} />}
      </Field>
      <Button small type="submit" variant="primary" disabled={props.busy || !value}>
        Save
      </Button>
      <Button small onClick={props.onCancel}>
        Cancel
      </Button>
    </form>
  );
}

