import { useState, type KeyboardEvent } from 'react';
import type { ApiIssue } from '../api/client.js';
import { Button, Field } from '../ui/components.js';
import { errorAt } from './issues.js';
import { MAX_ORIGINS, parseOrigin } from './widget-options.js';

/** The sites allowed to embed the widget, checked as they are added. */
export function OriginsEditor(props: { origins: string[]; issues: readonly ApiIssue[]; onChange(origins: string[]): void }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const add = () => {
    const parsed = parseOrigin(text, props.origins);
    if ('error' in parsed) return setError(parsed.error);
    props.onChange([...props.origins, parsed.origin]);
    setText('');
    setError(undefined);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    add();
  };
  const listError = errorAt(props.issues, ['widget', 'allowedOrigins']);
  return (
    <div className="origins">
      <h3>Allowed origins</h3>
      <p className="help">
        The sites whose pages may embed the widget: scheme and host, like <code>https://www.example.com</code>. Pages of other sites cannot talk to the bot.
      </p>
      {props.origins.length === 0 ? <p className="muted">No site yet: the widget works only on this server's own chat page.</p> : null}
      <ul className="origin-list" aria-label="Allowed origins">
        {props.origins.map((origin, index) => {
          const issue = errorAt(props.issues, ['widget', 'allowedOrigins', index]);
          return (
            <li key={origin} className={issue ? 'invalid' : undefined}>
              <code>{origin}</code>
              <span className="grow" />
              <Button small variant="danger" aria-label={`Remove ${origin}`} onClick={() => props.onChange(props.origins.filter((o) => o !== origin))}>
                Remove
              </Button>
              {issue ? (
                <div className="error" role="alert">
                  {issue}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      {listError ? (
        <div className="error" role="alert">
          {listError}
        </div>
      ) : null}
      <div className="row align-end">
        <div className="grow">
          <Field label="Add an origin" error={error}>
            {(id, describedBy) => (
              <input
                id={id}
                type="url"
                inputMode="url"
                aria-describedby={describedBy}
                value={text}
                placeholder="https://www.example.com"
                onChange={(e) => {
                  setText(e.target.value);
                  setError(undefined);
                }}
                onKeyDown={onKeyDown}
                disabled={props.origins.length >= MAX_ORIGINS}
              />
            )}
          </Field>
        </div>
        <Button onClick={add} disabled={props.origins.length >= MAX_ORIGINS}>
          Add origin
        </Button>
      </div>
    </div>
  );
}
