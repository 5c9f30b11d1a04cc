import { useId } from 'react';
import type { Bot } from '../api/types.js';
import { href } from '../router/router.js';
import { errorAt } from './issues.js';
import type { SectionProps } from './section.js';

/** Switches the bot on for live channels (the widget, the chat page, the API). */
export function LiveSwitch({ form, update, issues, bot }: SectionProps & { bot: Bot }) {
  const id = useId();
  const error = errorAt(issues, ['enabled']);
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Live channels</h2>
      <label className="switch">
        <input type="checkbox" role="switch" checked={form.enabled} onChange={(e) => update((f) => ({ ...f, enabled: e.target.checked }))} aria-describedby={`${id}-help`} />
        <span>Answer users on live channels</span>
      </label>
      <p className="help" id={`${id}-help`}>
        When on, the chat widget, the chat page and the API talk to the <strong>published</strong> version of the flow. Live channels need a published version: the
        draft is only for the test chat.
      </p>
      {bot.publishedVersion === null ? (
        <div className={`banner ${form.enabled ? 'banner-warning' : 'banner-info'}`} role="status">
          This bot has no published version yet{form.enabled ? ', so live channels cannot answer even when switched on' : ''}. Publish it from the{' '}
          <a href={href({ screen: 'flow', botId: bot.id })}>flow</a>.
        </div>
      ) : (
        <p className="muted">Live channels use version {bot.publishedVersion}.</p>
      )}
      {error ? (
        <div className="error" role="alert">
          {error}
        </div>
      ) : null}
    </section>
  );
}
