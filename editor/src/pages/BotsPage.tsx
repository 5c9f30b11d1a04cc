import { useState, type FormEvent } from 'react';
import { api, ok } from '../api/client.js';
import { href, navigate } from '../router/router.js';
import { useSession } from '../session/session.js';
import { Badge, Button, ErrorBanner, Field } from '../ui/components.js';
import { useAsync } from '../ui/use-async.js';

export function BotsPage() {
  const { user } = useSession();
  const bots = useAsync(() => ok(api.GET('/api/bots')).then((r) => r.bots), []);
  const [error, setError] = useState<unknown>();
  const canBuild = user?.role === 'owner' || user?.role === 'builder';
  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get('name') ?? '').trim();
    try {
      const bot = await ok(api.POST('/api/bots', { body: { name } }));
      navigate({ screen: 'flow', botId: bot.id });
    } catch (e) {
      setError(e);
    }
  };
  return (
    <main className="page stack" style={{ maxWidth: 760 }}>
      <h1>Bots</h1>
      <ErrorBanner error={bots.error ?? error} />
      {bots.data?.length === 0 ? <p className="muted">No bots yet. Create one to start drawing its conversation.</p> : null}
      <ul className="stack" style={{ listStyle: 'none', padding: 0 }} aria-label="Bots">
        {bots.data?.map((bot) => (
          <li key={bot.id} className="panel row">
            <a className="grow" href={href({ screen: 'flow', botId: bot.id })}>
              <strong>{bot.name}</strong>
            </a>
            {bot.publishedVersion ? <Badge>version {bot.publishedVersion}</Badge> : <Badge tone="warning">not published</Badge>}
            {bot.enabled ? <Badge tone="ok">live</Badge> : <Badge>off</Badge>}
            <a href={href({ screen: 'settings', botId: bot.id })}>Settings</a>
          </li>
        ))}
      </ul>
      {canBuild ? (
        <form className="panel row" onSubmit={create} aria-label="New bot">
          <div className="grow">
            <Field label="New bot">{(id) => <input id={id} name="name" required maxLength={200} placeholder="Support bot" />}</Field>
          </div>
          <Button type="submit" variant="primary">
            Create
          </Button>
        </form>
      ) : null}
    </main>
  );
}
