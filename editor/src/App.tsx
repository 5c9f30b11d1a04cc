import { useEffect, useState, type FormEvent } from 'react';

interface User {
  email: string;
  role: string;
}
interface Bot {
  id: string;
  name: string;
  enabled: boolean;
  publishedVersion: number | null;
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { 'content-type': 'application/json', ...init?.headers } });
  const body = (await response.json().catch(() => ({}))) as T & { error?: { message: string } };
  if (!response.ok) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body;
}

/** The first screen: log in, then the list of bots. The flow builder comes with the editor issue. */
export function App() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [bots, setBots] = useState<Bot[]>([]);
  const [error, setError] = useState('');

  useEffect(() => {
    api<{ user: User }>('/api/auth/me')
      .then((r) => setUser(r.user))
      .catch(() => setUser(null));
  }, []);
  useEffect(() => {
    if (user) api<{ bots: Bot[] }>('/api/bots').then((r) => setBots(r.bots), (e: Error) => setError(e.message));
  }, [user]);

  const login = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setError('');
    try {
      const r = await api<{ user: User }>('/api/auth/login', {
        method: 'POST',
        body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
      });
      setUser(r.user);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  if (user === undefined) return null;
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 640, margin: '4rem auto', padding: '0 1rem' }}>
      <h1>Baton</h1>
      {user === null ? (
        <form onSubmit={login} style={{ display: 'grid', gap: '0.75rem', maxWidth: 320 }}>
          <label>
            Email <input name="email" type="email" autoComplete="username" required style={{ width: '100%' }} />
          </label>
          <label>
            Password <input name="password" type="password" autoComplete="current-password" required style={{ width: '100%' }} />
          </label>
          <button type="submit">Log in</button>
        </form>
      ) : (
        <section>
          <p>
            Logged in as {user.email} ({user.role}). API reference: <a href="/api/openapi.json">/api/openapi.json</a>
          </p>
          <h2>Bots</h2>
          {bots.length === 0 ? <p>No bots yet.</p> : null}
          <ul>
            {bots.map((bot) => (
              <li key={bot.id}>
                {bot.name} — {bot.publishedVersion ? `version ${bot.publishedVersion}` : 'not published'}
                {bot.enabled ? ', live' : ''}
              </li>
            ))}
          </ul>
        </section>
      )}
      {error ? <p role="alert">{error}</p> : null}
    </main>
  );
}
