import { useId } from 'react';
import { Button } from '../ui/components.js';
import { dropUnder, errorAt } from './issues.js';
import { RuleEditor } from './RuleEditor.js';
import { MAX_SERVICE_HOURS_RULES, addRule, canAddRule, moveRule, newRule, removeRule, updateRule } from './rules.js';
import type { SectionProps } from './section.js';
import type { SettingsForm } from './settings-form.js';
import { TimeZoneSelect } from './TimeZoneSelect.js';
import { WeekPreview } from './WeekPreview.js';
import { localDateAt } from '@baton/nodes';

/** When people are there: the time zone, up to ten rules, and the week they make. */
export function ServiceHoursSection({ form, update, issues, setIssues }: SectionProps & { setIssues(change: (issues: SectionProps['issues']) => SectionProps['issues']): void }) {
  const id = useId();
  const hours = form.serviceHours;
  const setHours = (change: (hours: SettingsForm['serviceHours']) => SettingsForm['serviceHours']) => update((f) => ({ ...f, serviceHours: change(f.serviceHours) }));
  // Removing or moving a rule shifts the others: the server's issues no longer point at the right one.
  const restructure = (change: (rules: SettingsForm['serviceHours']['rules']) => SettingsForm['serviceHours']['rules']) => {
    setHours((h) => ({ ...h, rules: change(h.rules) }));
    setIssues((current) => dropUnder(current, ['serviceHours', 'rules']));
  };
  const today = () => {
    try {
      return localDateAt(hours.timezone, new Date());
    } catch {
      return new Date().toISOString().slice(0, 10);
    }
  };
  const rulesError = errorAt(issues, ['serviceHours', 'rules']) ?? errorAt(issues, ['serviceHours']);
  return (
    <section className="settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Service hours</h2>
      <label className="switch">
        <input type="checkbox" role="switch" checked={hours.limited} onChange={(e) => setHours((h) => ({ ...h, limited: e.target.checked }))} aria-describedby={`${id}-help`} />
        <span>Limit to service hours</span>
      </label>
      <p className="help" id={`${id}-help`}>
        {hours.limited
          ? 'Outside these hours, “Check service hours” nodes take their closed exit, handoffs say the off-hours message, and the widget shows when you open next.'
          : 'Always open: every moment counts as within service hours.'}
      </p>
      {hours.limited ? (
        <div className="hours-layout">
          <div className="stack">
            <TimeZoneSelect value={hours.timezone} onChange={(timezone) => setHours((h) => ({ ...h, timezone }))} error={errorAt(issues, ['serviceHours', 'timezone'])} />
            <h3>Rules</h3>
            <p className="help">
              Weekly hours repeat every week; a date adds hours to that day, or closes it (a holiday). Overlapping hours are merged. Up to {MAX_SERVICE_HOURS_RULES} rules.
            </p>
            {hours.rules.length === 0 ? <p className="muted">No rules yet: the bot counts as closed all the time.</p> : null}
            {hours.rules.map((rule, index) => (
              <RuleEditor
                key={rule.key}
                rule={rule}
                index={index}
                count={hours.rules.length}
                issues={issues}
                onChange={(next) => setHours((h) => ({ ...h, rules: updateRule(h.rules, index, next) }))}
                onRemove={() => restructure((rules) => removeRule(rules, index))}
                onMove={(delta) => restructure((rules) => moveRule(rules, index, delta))}
              />
            ))}
            {rulesError ? (
              <div className="error" role="alert">
                {rulesError}
              </div>
            ) : null}
            <div className="row wrap">
              <Button onClick={() => setHours((h) => ({ ...h, rules: addRule(h.rules, newRule('weekly', today())) }))} disabled={!canAddRule(hours.rules)}>
                Add weekly hours
              </Button>
              <Button onClick={() => setHours((h) => ({ ...h, rules: addRule(h.rules, newRule('date', today())) }))} disabled={!canAddRule(hours.rules)}>
                Add a date
              </Button>
              {!canAddRule(hours.rules) ? <span className="muted">That is the most: {MAX_SERVICE_HOURS_RULES} rules.</span> : null}
            </div>
          </div>
          <aside aria-label="Preview of the coming week">
            <h3>The coming week</h3>
            <WeekPreview timezone={hours.timezone} rules={hours.rules} />
          </aside>
        </div>
      ) : null}
    </section>
  );
}
