import { useId } from 'react';
import { errorAt } from './issues.js';
import type { SectionProps } from './section.js';
import type { SettingsForm } from './settings-form.js';

const MODES: { value: SettingsForm['aiMode']; title: string; text: string }[] = [
  {
    value: 'hosted',
    title: 'Hosted (the AI answers on its own)',
    text: 'When nobody is online, handing the conversation to a person in the inbox takes the "Nobody answered" exit at once, so the AI goes on answering.',
  },
  {
    value: 'assist',
    title: 'Assist (the AI helps your people)',
    text: 'When nobody is online, the user is offered to leave a message, which waits in the inbox. While a person has a conversation, the AI drafts the next reply; the person sends it as it is, edits it, or ignores it.',
  },
];

/** How the AI works with the people of the inbox. */
export function AiModeSection({ form, update, issues }: SectionProps) {
  const id = useId();
  const error = errorAt(issues, ['aiMode']);
  return (
    <section className="settings-section">
      <fieldset className="choice-group" aria-describedby={error ? `${id}-error` : undefined}>
        <legend>AI mode</legend>
        {MODES.map((mode) => (
          <label key={mode.value} className={`choice${form.aiMode === mode.value ? ' selected' : ''}`}>
            <input type="radio" name={`${id}-ai-mode`} value={mode.value} checked={form.aiMode === mode.value} onChange={() => update((f) => ({ ...f, aiMode: mode.value }))} />
            <span>
              <strong>{mode.title}</strong>
              <span className="help">{mode.text}</span>
            </span>
          </label>
        ))}
        {error ? (
          <div className="error" id={`${id}-error`} role="alert">
            {error}
          </div>
        ) : null}
      </fieldset>
    </section>
  );
}
