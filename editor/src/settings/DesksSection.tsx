import { useId, useMemo, useState } from 'react';
import { api, ok } from '../api/client.js';
import type { BotSettings, DeskDocuments, DeskKind, DeskStatus, DeskType } from '../api/types.js';
import { pathKey } from '../flow/flow-issues.js';
import { FormContext } from '../flow/inspector/form-context.js';
import { SchemaForm } from '../flow/inspector/SchemaForm.js';
import { asSchema } from '../flow/json-schema.js';
import { ErrorBanner } from '../ui/components.js';
import { DeskCard } from './DeskCard.js';
import { documentPath, errorAt } from './issues.js';
import type { SectionProps } from './section.js';
import { deskChanged } from './settings-form.js';

/**
 * The desks a bot sets up (every desk type the server declares with settings): each one's form,
 * generated from its settings' JSON Schema, its status and a connection test.
 */
export function DesksSection(props: SectionProps & { botId: string; saved: BotSettings; deskTypes: readonly DeskType[]; statuses: DeskStatus[] | undefined; onStatus(status: DeskStatus): void }) {
  const { form, update, issues, botId, saved } = props;
  const id = useId();
  const [testing, setTesting] = useState<DeskKind | null>(null);
  const [error, setError] = useState<unknown>();
  const [announcement, setAnnouncement] = useState('');
  const origin = window.location.origin;
  // The server's issues, placed on the generated fields by their document path.
  const fieldIssues = useMemo(() => {
    const byPath = new Map<string, string[]>();
    for (const issue of issues) {
      const key = pathKey(documentPath(issue));
      byPath.set(key, [...(byPath.get(key) ?? []), issue.message]);
    }
    return byPath;
  }, [issues]);
  const setDesk = (desk: DeskKind, value: Record<string, unknown> | null) => update((f) => ({ ...f, desks: { ...f.desks, [desk]: value } }));
  const test = async (desk: DeskType) => {
    setTesting(desk.kind);
    setError(undefined);
    try {
      // Only desks with settings have a card, and those are the ones with a status.
      const path = { botId, desk: desk.kind as DeskStatus['desk'] };
      const status = await ok(api.POST('/api/bots/{botId}/desks/{desk}/test', { params: { path } }));
      props.onStatus(status);
      setAnnouncement(status.status === 'available' ? `${desk.title}: connection works` : `${desk.title}: connection failed${status.message ? `: ${status.message}` : ''}`);
    } catch (e) {
      setError(e);
    } finally {
      setTesting(null);
    }
  };

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
      <FormContext.Provider value={{ botId, variables: [], issues: fieldIssues }}>
        {props.deskTypes
          .filter((desk) => desk.configSchema)
          .map((desk) => {
            const value = form.desks[desk.kind] ?? null;
            const webhooks = desk.webhooks.map((path) => `${origin}${path.replace(':botId', encodeURIComponent(botId))}`);
            return (
              <DeskCard
                key={desk.kind}
                desk={desk.kind}
                title={desk.title}
                description={
                  <>
                    {desk.description}
                    {webhooks.map((url) => (
                      <span key={url}>
                        {' '}
                        <code>{url}</code>
                      </span>
                    ))}
                  </>
                }
                status={props.statuses?.find((s) => s.desk === desk.kind)}
                configured={value !== null}
                saved={(saved.desks as DeskDocuments)[desk.kind] !== undefined}
                changed={deskChanged(form, saved, desk.kind)}
                testing={testing === desk.kind}
                onTest={() => void test(desk)}
                onSetUp={() => setDesk(desk.kind, {})}
                onRemove={() => setDesk(desk.kind, null)}
              >
                {value !== null ? (
                  <>
                    <ErrorBanner error={errorAt(issues, ['desks', desk.kind])} />
                    <SchemaForm schema={asSchema(desk.configSchema)} value={value} basePath={['desks', desk.kind]} onChange={(next) => setDesk(desk.kind, next as Record<string, unknown>)} />
                  </>
                ) : null}
              </DeskCard>
            );
          })}
      </FormContext.Provider>
    </section>
  );
}
