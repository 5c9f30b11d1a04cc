import { useState, type FormEvent } from 'react';
import { SECRET_NAME } from '@baton/nodes';
import { Button, ErrorBanner, Field } from '../../../ui/components.js';
import { useFormContext } from '../form-context.js';
import { useBotSecrets } from '../use-bot-secrets.js';
import type { WidgetProps } from '../widget-props.js';

const ADD = '\u0000add';

/** The name of one of the bot's secrets; the value itself never reaches the flow. */
export function SecretWidget({ field, value, onChange, error }: WidgetProps) {
  const { botId } = useFormContext();
  const secrets = useBotSecrets(botId);
  const [adding, setAdding] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const current = typeof value === 'string' ? value : '';
  const names = secrets.names ?? [];
  const missing = current !== '' && secrets.names !== undefined && !names.includes(current);

  const save = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    event.stopPropagation();
    const data = new FormData(event.currentTarget);
    const name = String(data.get('name') ?? '').trim();
    const secret = String(data.get('value') ?? '');
    try {
      await secrets.add(name, secret);
      onChange(name);
      setAdding(false);
      setSaveError(undefined);
    } catch (e) {
      setSaveError(e);
    }
  };

  return (
    <>
      <Field label={field.label} help={field.help ?? 'Stored encrypted with the bot; the flow keeps only its name.'} error={error ?? (missing ? `The bot has no secret named “${current}”.` : undefined)}>
        {(id, describedBy) => (
          <select
            id={id}
            value={adding ? ADD : current}
            aria-describedby={describedBy}
            aria-required={field.required || undefined}
            aria-invalid={error || missing ? true : undefined}
            data-field={field.name}
            onChange={(e) => {
              if (e.target.value === ADD) setAdding(true);
              else {
                setAdding(false);
                onChange(e.target.value === '' ? undefined : e.target.value);
              }
            }}
          >
            <option value="">{secrets.names === undefined ? 'Loading…' : 'Choose a secret…'}</option>
            {missing ? <option value={current}>{current} (missing)</option> : null}
            {names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
            <option value={ADD}>Add a secret…</option>
          </select>
        )}
      </Field>
      <ErrorBanner error={secrets.error} />
      {adding ? (
        <form className="secret-add panel" onSubmit={(e) => void save(e)} aria-label="Add a secret">
          <Field label="Secret name" help="Lower case letters, digits and _, e.g. shop_api_key.">
            {(id, describedBy) => <input id={id} name="name" required pattern={SECRET_NAME.source} maxLength={64} aria-describedby={describedBy} autoComplete="off" />}
          </Field>
          <Field label="Secret value">
            {(id) => <input id={id} name="value" type="password" required autoComplete="new-password" />}
          </Field>
          <ErrorBanner error={saveError} />
          <div className="row">
            <Button type="submit" small variant="primary">
              Save secret
            </Button>
            <Button small onClick={() => setAdding(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : null}
    </>
  );
}
