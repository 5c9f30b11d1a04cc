import { useId, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client.js';
import { isEmailAddress } from './params.js';

/** Nobody is online: the user leaves a message (and an email, when we do not have one) for later. */
export function LeaveMessageForm(props: { askEmail: boolean; onSubmit(input: { email?: string; text: string }): Promise<void> }) {
  const id = useId();
  const [email, setEmail] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<{ field: 'email' | 'text' | 'form'; message: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (props.askEmail && !isEmailAddress(email.trim())) return setError({ field: 'email', message: 'Enter an email address so we can answer you.' });
    if (!text.trim()) return setError({ field: 'text', message: 'Write your message.' });
    setError(undefined);
    setBusy(true);
    try {
      await props.onSubmit({ ...(props.askEmail ? { email: email.trim() } : {}), text });
    } catch (e) {
      setError({ field: e instanceof ApiError && e.status === 400 ? 'email' : 'form', message: e instanceof ApiError && e.status === 400 ? 'That email address was not accepted.' : 'Your message could not be sent. Please try again.' });
    } finally {
      setBusy(false);
    }
  };
  const errorId = `${id}-error`;
  return (
    <form className="chat-card chat-leave" aria-labelledby={`${id}-title`} onSubmit={submit} noValidate data-testid="leave-message-form">
      <h2 id={`${id}-title`}>Leave a message</h2>
      <p className="chat-muted">Nobody is online right now. We will answer {props.askEmail ? 'by email' : 'as soon as we are back'}.</p>
      {props.askEmail ? (
        <div className="chat-field">
          <label htmlFor={`${id}-email`}>Your email</label>
          <input
            id={`${id}-email`}
            type="email"
            autoComplete="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
            aria-invalid={error?.field === 'email' || undefined}
            aria-describedby={error?.field === 'email' ? errorId : undefined}
          />
        </div>
      ) : null}
      <div className="chat-field">
        <label htmlFor={`${id}-text`}>Your message</label>
        <textarea
          id={`${id}-text`}
          rows={3}
          maxLength={4000}
          value={text}
          onChange={(e) => setText(e.target.value)}
          aria-invalid={error?.field === 'text' || undefined}
          aria-describedby={error?.field === 'text' ? errorId : undefined}
        />
      </div>
      {error ? (
        <p className="chat-error" id={errorId} role="alert">
          {error.message}
        </p>
      ) : null}
      <button type="submit" className="chat-btn chat-btn-primary" disabled={busy}>
        {busy ? 'Sending…' : 'Send message'}
      </button>
    </form>
  );
}
