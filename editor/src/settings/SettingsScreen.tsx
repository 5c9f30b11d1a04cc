import './settings.css';
import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { ApiError, api, ok, type ApiIssue } from '../api/client.js';
import type { Bot, BotSettings, DeskType } from '../api/types.js';
import { href } from '../router/router.js';
import { Button, ErrorBanner } from '../ui/components.js';
import { useAsync } from '../ui/use-async.js';
import { AiModeSection } from './AiModeSection.js';
import { DefaultDeskSection } from './DefaultDeskSection.js';
import { DesksSection } from './DesksSection.js';
import { IssueList } from './IssueList.js';
import { countUnder, documentPath } from './issues.js';
import { LiveSwitch } from './LiveSwitch.js';
import { SecretsSection } from './SecretsSection.js';
import { ServiceHoursSection } from './ServiceHoursSection.js';
import { formFromSettings, isDirty, settingsFromForm, tabOf, type SettingsForm, type SettingsTab } from './settings-form.js';
import { Tabs, type TabSpec } from './Tabs.js';
import { browserTimeZone } from './time-zones.js';
import { WidgetSection } from './WidgetSection.js';

/** A bot's settings: live switch, AI mode, default desk, service hours, desks, widget, secrets. */
export function SettingsScreen({ botId }: { botId: string }) {
  const loaded = useAsync(
    () =>
      Promise.all([
        ok(api.GET('/api/bots/{botId}', { params: { path: { botId } } })),
        ok(api.GET('/api/bots/{botId}/settings', { params: { path: { botId } } })),
        ok(api.GET('/api/desk-types')).then((r) => r.deskTypes),
      ]),
    [botId],
  );
  if (loaded.error) {
    return (
      <main className="page settings-page">
        <h1>Settings</h1>
        <ErrorBanner error={loaded.error} />
      </main>
    );
  }
  if (!loaded.data) {
    return (
      <main className="page settings-page">
        <p role="status">Loading settings…</p>
      </main>
    );
  }
  return <SettingsEditor key={botId} bot={loaded.data[0]} initial={loaded.data[1]} deskTypes={loaded.data[2]} />;
}

function SettingsEditor({ bot, initial, deskTypes }: { bot: Bot; initial: BotSettings; deskTypes: readonly DeskType[] }) {
  const idPrefix = useId();
  const [saved, setSaved] = useState(initial);
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(initial, { timezone: browserTimeZone() }));
  const [issues, setIssues] = useState<readonly ApiIssue[]>([]);
  const [tab, setTab] = useState<SettingsTab>('general');
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const desks = useAsync(() => ok(api.GET('/api/bots/{botId}/desks', { params: { path: { botId: bot.id } } })).then((r) => r.desks), [bot.id, saved]);
  const dirty = isDirty(form, saved);

  // A reload or closing the tab would lose the edits; the browser asks first.
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const update = (change: (form: SettingsForm) => SettingsForm) => {
    setForm(change);
    setNotice('');
  };

  const save = async () => {
    if (saving) return;
    setSaving(true);
    setSaveError(undefined);
    setNotice('');
    try {
      const next = await ok(api.PUT('/api/bots/{botId}/settings', { params: { path: { botId: bot.id } }, body: settingsFromForm(form) }));
      const fresh = formFromSettings(next, { timezone: browserTimeZone() });
      setSaved(next);
      // Rules kept while service hours are off are not in the document; keep them in the form.
      setForm(next.serviceHours ? fresh : { ...fresh, serviceHours: { ...form.serviceHours, limited: false } });
      setIssues([]);
      setNotice(`Saved at ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      if (error instanceof ApiError && error.status < 500 && error.issues.length) {
        setIssues(error.issues);
        const tabs = new Set(error.issues.map((issue) => tabOf(documentPath(issue))));
        if (!tabs.has(tab)) setTab(tabOf(documentPath(error.issues[0]!)));
      } else {
        setSaveError(error);
      }
    } finally {
      setSaving(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key.toLowerCase() === 's' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (dirty) void save();
    }
  };

  const general = issues.length - countUnder(issues, ['serviceHours']) - countUnder(issues, ['desks']) - countUnder(issues, ['widget']);
  const tabs: TabSpec<SettingsTab>[] = [
    { id: 'general', label: 'General', issues: general },
    { id: 'hours', label: 'Service hours', issues: countUnder(issues, ['serviceHours']) },
    { id: 'desks', label: 'Desks', issues: countUnder(issues, ['desks']) },
    { id: 'widget', label: 'Widget', issues: countUnder(issues, ['widget']) },
    { id: 'secrets', label: 'Secrets' },
  ];
  const props = { form, update, issues };
  const panel = (id: SettingsTab) => ({
    role: 'tabpanel',
    id: `${idPrefix}-panel-${id}`,
    'aria-labelledby': `${idPrefix}-tab-${id}`,
    hidden: tab !== id,
    className: 'settings-panel',
    tabIndex: 0,
  });

  return (
    <main className="page settings-page" onKeyDown={onKeyDown}>
      <div className="settings-bar">
        <div>
          <nav className="muted small" aria-label="Breadcrumb">
            <a href={href({ screen: 'bots' })}>Bots</a> / <a href={href({ screen: 'flow', botId: bot.id })}>{bot.name}</a>
          </nav>
          <h1>Settings</h1>
        </div>
        <span className="grow" />
        <span className={`save-state${dirty ? ' dirty' : ''}`} role="status" data-testid="settings-save-state">
          {saving ? 'Saving…' : dirty ? 'Unsaved changes' : notice || 'All changes saved'}
        </span>
        <Button variant="primary" onClick={() => void save()} disabled={!dirty || saving} aria-keyshortcuts="Control+S">
          Save settings
        </Button>
      </div>

      <IssueList issues={issues} deskTypes={deskTypes} onShow={setTab} />
      <ErrorBanner error={saveError} />

      <Tabs<SettingsTab> label="Settings sections" idPrefix={idPrefix} tabs={tabs} selected={tab} onSelect={setTab} />

      <div {...panel('general')}>
        <LiveSwitch {...props} bot={bot} />
        <AiModeSection {...props} />
        <DefaultDeskSection {...props} deskTypes={deskTypes} />
      </div>
      <div {...panel('hours')}>
        <ServiceHoursSection {...props} setIssues={setIssues} />
      </div>
      <div {...panel('desks')}>
        <DesksSection {...props} botId={bot.id} saved={saved} deskTypes={deskTypes} statuses={desks.data} onStatus={() => desks.reload()} />
      </div>
      <div {...panel('widget')}>
        <WidgetSection {...props} botId={bot.id} />
      </div>
      <div {...panel('secrets')}>
        <SecretsSection botId={bot.id} />
      </div>
    </main>
  );
}
