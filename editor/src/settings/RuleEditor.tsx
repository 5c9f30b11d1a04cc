import { useId } from 'react';
import type { ApiIssue } from '../api/client.js';
import { Button, Field } from '../ui/components.js';
import { errorAt } from './issues.js';
import { END_OF_DAY, WEEKDAY_NAMES, WEEKDAYS, describeRule, toggleDay, type RuleForm } from './rules.js';

/** One service-hours rule: every week on some days, or one date (open some hours or closed). */
export function RuleEditor(props: {
  rule: RuleForm;
  index: number;
  count: number;
  issues: readonly ApiIssue[];
  onChange(rule: RuleForm): void;
  onRemove(): void;
  onMove(delta: -1 | 1): void;
}) {
  const { rule, index } = props;
  const id = useId();
  const n = index + 1;
  const at = (...path: (string | number)[]) => errorAt(props.issues, ['serviceHours', 'rules', index, ...path]);
  const daysError = errorAt(props.issues, ['serviceHours', 'rules', index, 'days'], { nested: true });
  const ruleError = at();
  const change = (patch: Partial<RuleForm>) => props.onChange({ ...rule, ...patch });
  const showTimes = rule.kind === 'weekly' || !rule.closed;
  const overnight = rule.start !== '' && rule.end !== '' && rule.end !== END_OF_DAY && rule.end < rule.start;
  return (
    <fieldset className="rule" data-testid="service-hours-rule" data-index={index}>
      <legend>
        Rule {n}: <span className="muted">{describeRule(rule)}</span>
      </legend>
      <div className="rule-grid">
        <Field label={`Rule ${n} repeats`}>
          {(fid) => (
            <select id={fid} value={rule.kind} onChange={(e) => change({ kind: e.target.value as RuleForm['kind'] })}>
              <option value="weekly">Every week</option>
              <option value="date">On one date</option>
            </select>
          )}
        </Field>

        {rule.kind === 'weekly' ? (
          <fieldset className={`days${daysError ? ' invalid' : ''}`} aria-describedby={daysError ? `${id}-days-error` : undefined}>
            <legend>Days</legend>
            <div className="row wrap">
              {WEEKDAYS.map((day) => (
                <label key={day} className="day-check">
                  <input type="checkbox" checked={rule.days.includes(day)} onChange={() => props.onChange(toggleDay(rule, day))} aria-label={WEEKDAY_NAMES[day]} />
                  <span aria-hidden="true">{WEEKDAY_NAMES[day].slice(0, 3)}</span>
                </label>
              ))}
            </div>
            {daysError ? (
              <div className="error" id={`${id}-days-error`} role="alert">
                {daysError}
              </div>
            ) : null}
          </fieldset>
        ) : (
          <div className="row wrap align-end">
            <Field label="Date" error={at('date')}>
              {(fid, describedBy) => <input id={fid} type="date" aria-describedby={describedBy} value={rule.date} onChange={(e) => change({ date: e.target.value })} />}
            </Field>
            <label className="check">
              <input type="checkbox" checked={rule.closed} onChange={(e) => change({ closed: e.target.checked })} />
              <span>Closed all day</span>
            </label>
          </div>
        )}

        {showTimes ? (
          <div className="row wrap align-end">
            <Field label="Opens at" error={at('start')}>
              {(fid, describedBy) => <input id={fid} type="time" aria-describedby={describedBy} value={rule.start} onChange={(e) => change({ start: e.target.value })} />}
            </Field>
            <Field label="Closes at" error={at('end')} help={overnight ? `Past midnight: closes at ${rule.end} the next day.` : undefined}>
              {(fid, describedBy) => (
                <input
                  id={fid}
                  type="time"
                  aria-describedby={describedBy}
                  value={rule.end === END_OF_DAY ? '' : rule.end}
                  disabled={rule.end === END_OF_DAY}
                  onChange={(e) => change({ end: e.target.value })}
                />
              )}
            </Field>
            <label className="check">
              <input type="checkbox" checked={rule.end === END_OF_DAY} onChange={(e) => change({ end: e.target.checked ? END_OF_DAY : '17:00' })} />
              <span>Until midnight</span>
            </label>
          </div>
        ) : null}
      </div>
      {ruleError ? (
        <div className="error" role="alert">
          {ruleError}
        </div>
      ) : null}
      <div className="row rule-actions">
        <Button small onClick={() => props.onMove(-1)} disabled={index === 0} aria-label={`Move rule ${n} up`}>
          ↑ Up
        </Button>
        <Button small onClick={() => props.onMove(1)} disabled={index === props.count - 1} aria-label={`Move rule ${n} down`}>
          ↓ Down
        </Button>
        <span className="grow" />
        <Button small variant="danger" onClick={props.onRemove} aria-label={`Remove rule ${n}`}>
          Remove
        </Button>
      </div>
    </fieldset>
  );
}
