import { useId, useState } from 'react';
import { api, ok } from '../api/client.js';
import type { BotSettings, DeskKind, DeskStatus } from '../api/types.js';
import { ErrorBanner, Field } from '../ui/components.js';
import { DeskCard } from './DeskCard.js';
import { errorAt } from './issues.js';
import type { SectionProps } from './section.js';
import { SecretInput } from './SecretInput.js';
import {
  INTERCOM_REGIONS,
  deskChanged,
  emptyIntercom,
  emptyLivechat,
  emptyWebhook,
  type IntercomForm,
  type IntercomRegion,
  type LivechatForm,
  type SettingsForm,
  type WebhookForm,
} from './settings-form.js';

/** Intercom, LiveChat and the webhook desk: credentials, status and a connection test. */
export function DesksSection(props: SectionProps & { botId: string; saved: BotSettings; statuses: DeskStatus[] | undefined; onStatus(status: DeskStatus): void }) {
  const { form, update, issues, botId, saved } = props;
  const id = useId();
  const [testing, setTesting] = useState<DeskKind | null>(null);
  const [error, setError] = useState<unknown>();
  const [announcement, setAnnouncement] = useState('');
  const origin = window.location.origin;
  const at = (desk: DeskKind, field: string) => errorAt(issues, ['desks', desk, field]);
  const setDesk = <K extends DeskKind>(desk: K, value: SettingsForm['desks'][K]) => update((f) => ({ ...f, desks: { ...f.desks, [desk]: value } }));
  const test = async (desk: DeskKind) => {
    setTesting(desk);
    setError(undefined);
    try {
      const status = await ok(api.POST('/api/bots/{botId}/desks/{desk}/test', { params: { path: { botId, desk } } }));
      props.onStatus(status);
      setAnnouncement(status.status === 'available' ? `${desk}: connection works` : `${desk}: connection failed${status.message ? `: ${status.message}` : ''}`);
    } catch (e) {
      setError(e);
    } finally {
      setTesting(null);
    }
  };
  const card = (desk: DeskKind) => ({
    desk,
    status: props.statuses?.find((s) => s.desk === desk),
    configured: form.desks[desk] !== null,
    saved: saved.desks[desk] !== undefined,
    changed: deskChanged(form, saved, desk),
    testing: testing === desk,
    onTest: () => void test(desk),
  });
  const intercom = form.desks.intercom;
  const livechat = form.desks.livechat;
  const webhook = form.desks.webhook;
  const setIntercom = (patch: Partial<IntercomForm>) => intercom && setDesk('intercom', { ...intercom, ...patch });
  const setLivechat = (patch: Partial<LivechatForm>) => livechat && setDesk('livechat', { ...livechat, ...patch });
  const setWebhook = (patch: Partial<WebhookForm>) => webhook && setDesk('webhook', { ...webhook, ...patch });

  return (
    <section className="settings-section stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Desks</h2>
      <p className="help">
        Help desks that people answer from. A flow hands a conversation to one with an “Escalate to a desk” node; the default desk gets “talk to a person”. Secrets are stored
        encrypted and never shown again.
      </p>
      <p className="sr-only" role="status">
        {announcement}
      </p>
      <ErrorBanner error={error} />

      <DeskCard
        title="Intercom"
        description={
          <>
            Register the webhook <code>{`${origin}/hooks/intercom/${botId}`}</code> in your Intercom app after saving.
          </>
        }
        {...card('intercom')}
        onSetUp={() => setDesk('intercom', emptyIntercom())}
        onRemove={() => setDesk('intercom', null)}
      >
        {intercom ? (
          <>
            <SecretInput label="Intercom access token" help="Developer Hub → your app → Authentication." error={at('intercom', 'accessToken')} field={intercom.accessToken} onChange={(accessToken) => setIntercom({ accessToken })} />
            <SecretInput label="Intercom client secret" help="Basic information; it verifies Intercom's webhooks." error={at('intercom', 'clientSecret')} field={intercom.clientSecret} onChange={(clientSecret) => setIntercom({ clientSecret })} />
            <Field label="Intercom region" error={intercom.region === 'custom' ? undefined : at('intercom', 'apiBaseUrl')}>
              {(fid, describedBy) => (
                <select id={fid} aria-describedby={describedBy} value={intercom.region} onChange={(e) => setIntercom({ region: e.target.value as IntercomRegion })}>
                  {Object.entries(INTERCOM_REGIONS).map(([region, { label }]) => (
                    <option key={region} value={region}>
                      {label}
                    </option>
                  ))}
                  <option value="custom">Another URL</option>
                </select>
              )}
            </Field>
            {intercom.region === 'custom' ? (
              <Field label="Intercom API base URL" error={at('intercom', 'apiBaseUrl')}>
                {(fid, describedBy) => <input id={fid} type="url" aria-describedby={describedBy} value={intercom.apiBaseUrl} onChange={(e) => setIntercom({ apiBaseUrl: e.target.value })} placeholder="https://api.intercom.io" />}
              </Field>
            ) : null}
          </>
        ) : null}
      </DeskCard>

      <DeskCard
        title="LiveChat"
        description={
          <>
            Register <code>{`${origin}/hooks/livechat/${botId}`}</code> for <code>incoming_event</code> (agents only) and <code>chat_deactivated</code>, with the secret key below.
          </>
        }
        {...card('livechat')}
        onSetUp={() => setDesk('livechat', emptyLivechat())}
        onRemove={() => setDesk('livechat', null)}
      >
        {livechat ? (
          <>
            <Field label="LiveChat organization ID" error={at('livechat', 'organizationId')}>
              {(fid, describedBy) => <input id={fid} aria-describedby={describedBy} value={livechat.organizationId} onChange={(e) => setLivechat({ organizationId: e.target.value })} spellCheck={false} />}
            </Field>
            <SecretInput label="LiveChat agent access token" help="An OAuth agent token with the customers:own scope." error={at('livechat', 'accessToken')} field={livechat.accessToken} onChange={(accessToken) => setLivechat({ accessToken })} />
            <SecretInput label="LiveChat webhook secret key" error={at('livechat', 'secretKey')} field={livechat.secretKey} onChange={(secretKey) => setLivechat({ secretKey })} />
            <Field label="LiveChat API base URL" help="Leave empty in production; only for a test double." error={at('livechat', 'apiBaseUrl')}>
              {(fid, describedBy) => <input id={fid} type="url" aria-describedby={describedBy} value={livechat.apiBaseUrl} onChange={(e) => setLivechat({ apiBaseUrl: e.target.value })} />}
            </Field>
          </>
        ) : null}
      </DeskCard>

      <DeskCard
        title="Webhook desk"
        description={
          <>
            Any desk that speaks Baton's signed webhook contract. It answers to <code>{`${origin}/hooks/webhook/${botId}/message`}</code> and <code>…/close</code>.
          </>
        }
        {...card('webhook')}
        onSetUp={() => setDesk('webhook', emptyWebhook())}
        onRemove={() => setDesk('webhook', null)}
      >
        {webhook ? (
          <>
            <Field label="Webhook base URL" help="Baton appends /chat and the other paths to it." error={at('webhook', 'baseUrl')}>
              {(fid, describedBy) => <input id={fid} type="url" aria-describedby={describedBy} value={webhook.baseUrl} onChange={(e) => setWebhook({ baseUrl: e.target.value })} placeholder="https://desk.example.com/baton" />}
            </Field>
            <SecretInput label="Webhook signing secret" help="Signs every call, both ways." error={at('webhook', 'secret')} field={webhook.secret} onChange={(secret) => setWebhook({ secret })} />
            <Field label="Webhook user name" help="Optional: sent with the password as HTTP Basic authentication." error={at('webhook', 'username')}>
              {(fid, describedBy) => <input id={fid} aria-describedby={describedBy} value={webhook.username} onChange={(e) => setWebhook({ username: e.target.value })} autoComplete="off" />}
            </Field>
            <SecretInput label="Webhook password" optional error={at('webhook', 'password')} field={webhook.password} onChange={(password) => setWebhook({ password })} />
          </>
        ) : null}
      </DeskCard>
    </section>
  );
}
