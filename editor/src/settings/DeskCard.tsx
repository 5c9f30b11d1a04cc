import { useId, type ReactNode } from 'react';
import type { DeskKind, DeskStatus } from '../api/types.js';
import { Badge, Button } from '../ui/components.js';

const STATUS: Record<DeskStatus['status'], { text: string; tone?: 'ok' | 'danger' }> = {
  not_configured: { text: 'Not configured' },
  available: { text: 'Available', tone: 'ok' },
  unavailable: { text: 'Unavailable', tone: 'danger' },
};

/** One desk: its status badge, its fields when set up, test connection and remove. */
export function DeskCard(props: {
  desk: DeskKind;
  title: string;
  description: ReactNode;
  status: DeskStatus | undefined;
  configured: boolean;
  /** Set up in the saved settings (a test uses what is saved). */
  saved: boolean;
  changed: boolean;
  testing: boolean;
  onSetUp(): void;
  onRemove(): void;
  onTest(): void;
  children: ReactNode;
}) {
  const id = useId();
  const status = props.status ? STATUS[props.status.status] : undefined;
  return (
    <section className="desk-card panel" aria-labelledby={`${id}-title`} data-testid={`desk-${props.desk}`}>
      <header className="row wrap">
        <h3 id={`${id}-title`}>{props.title}</h3>
        {status ? (
          <span data-testid="desk-status" data-status={props.status!.status}>
            <Badge {...(status.tone ? { tone: status.tone } : {})}>{status.text}</Badge>
          </span>
        ) : null}
        <span className="grow" />
        {props.configured ? (
          <>
            {props.saved ? (
              <Button small onClick={props.onTest} disabled={props.testing}>
                {props.testing ? 'Testing…' : 'Test connection'}
              </Button>
            ) : null}
            <Button small variant="danger" onClick={props.onRemove}>
              Remove {props.title}
            </Button>
          </>
        ) : (
          <Button small onClick={props.onSetUp}>
            Set up {props.title}
          </Button>
        )}
      </header>
      <p className="help">{props.description}</p>
      {props.status?.status === 'unavailable' && props.status.message ? (
        <p className="desk-message" role="status">
          Last error: {props.status.message}
          {props.status.checkedAt ? <span className="muted"> ({new Date(props.status.checkedAt).toLocaleString()})</span> : null}
        </p>
      ) : null}
      {props.configured && !props.saved ? <p className="muted">Not saved yet: save the settings, then test the connection.</p> : null}
      {props.configured && props.saved && props.changed ? <p className="muted">You changed this desk: “Test connection” tries the saved credentials until you save.</p> : null}
      {!props.configured && props.saved ? <p className="muted">Will be removed when you save.</p> : null}
      {props.configured ? <div className="desk-fields">{props.children}</div> : null}
    </section>
  );
}
