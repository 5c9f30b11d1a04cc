import { useState, type FormEvent } from 'react';
import { useSession } from '../session/session.js';
import { Button, ErrorBanner, Field } from '../ui/components.js';

export function LoginPage() {
  const { login } = useSession();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(undefined);
    try {
      await login(String(form.get('email')), String(form.get('password')));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main className="page" style={{ maxWidth: 360, margin: '10vh auto' }}>
      <h1>Baton</h1>
      <form className="panel" onSubmit={submit} aria-label="Log in">
        <Field label="Email">{(id) => <input id={id} name="email" type="email" autoComplete="username" required />}</Field>
        <Field label="Password">{(id) => <input id={id} name="password" type="password" autoComplete="current-password" required />}</Field>
        <ErrorBanner error={error} />
        <Button type="submit" variant="primary" disabled={busy}>
          Log in
        </Button>
      </form>
    </main>
  );
}
