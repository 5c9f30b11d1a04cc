import { useId } from 'react';
import { Button, Field } from '../ui/components.js';
import { EmbedSnippet } from './EmbedSnippet.js';
import { errorAt } from './issues.js';
import { OriginsEditor } from './OriginsEditor.js';
import type { SectionProps } from './section.js';
import type { SettingsForm } from './settings-form.js';
import { DEFAULT_WIDGET_COLOR, isHexColor } from './widget-options.js';

/** The chat widget: where it may run, how it greets and looks, and how to embed it. */
export function WidgetSection({ form, update, issues, botId }: SectionProps & { botId: string }) {
  const id = useId();
  const widget = form.widget;
  const setWidget = (patch: Partial<SettingsForm['widget']>) => update((f) => ({ ...f, widget: { ...f.widget, ...patch } }));
  const color = widget.color ?? DEFAULT_WIDGET_COLOR;
  const colorError = errorAt(issues, ['widget', 'color']) ?? (widget.color !== null && !isHexColor(widget.color) ? 'Use a colour like #3355ff' : undefined);
  return (
    <section className="settings-section stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Chat widget</h2>
      <OriginsEditor origins={widget.allowedOrigins} issues={issues} onChange={(allowedOrigins) => setWidget({ allowedOrigins })} />
      <Field label="Greeting" help="Shown when the chat opens, before the bot says anything. Up to 500 characters." error={errorAt(issues, ['widget', 'greeting'])}>
        {(fid, describedBy) => <textarea id={fid} aria-describedby={describedBy} maxLength={500} value={widget.greeting} onChange={(e) => setWidget({ greeting: e.target.value })} placeholder="Hi! Ask us anything." />}
      </Field>
      <div className="row align-end wrap">
        <Field label="Colour" help={widget.color === null ? 'The default colour.' : undefined} error={colorError}>
          {(fid, describedBy) => (
            <div className="row">
              <input id={fid} type="color" className="color-swatch" aria-describedby={describedBy} value={isHexColor(color) ? color.toLowerCase() : DEFAULT_WIDGET_COLOR} onChange={(e) => setWidget({ color: e.target.value })} />
              <input aria-label="Colour (hex)" className="color-hex" value={color} maxLength={7} spellCheck={false} onChange={(e) => setWidget({ color: e.target.value })} />
            </div>
          )}
        </Field>
        {widget.color !== null ? (
          <Button small onClick={() => setWidget({ color: null })}>
            Use the default colour
          </Button>
        ) : null}
        <div className="widget-sample" aria-hidden="true" style={{ background: isHexColor(color) ? color : DEFAULT_WIDGET_COLOR }}>
          Chat
        </div>
      </div>
      <EmbedSnippet botId={botId} />
    </section>
  );
}
