import { useEffect, useRef } from 'react';
import { Button } from '../ui/components.js';
import { ACTION_LABELS, type ConversationAction } from './actions.js';

export function ConversationActions(props: { actions: ConversationAction[]; busy: ConversationAction | undefined; onAction(action: ConversationAction): void }) {
  const group = useRef<HTMLDivElement>(null);
  const shown = props.actions.join(' ');
  /** The actions there were when one was pressed, until they change. */
  const pressedAmong = useRef<string | undefined>(undefined);
  // The pressed button goes away with the status it acted on (Complete → Reactivate): keep
  // keyboard users in the same place instead of dropping their focus to the page.
  useEffect(() => {
    if (pressedAmong.current === undefined || props.busy) return;
    const lost = document.activeElement === null || document.activeElement === document.body;
    if (lost) group.current?.querySelector<HTMLButtonElement>('button:not(:disabled)')?.focus();
    if (shown !== pressedAmong.current) pressedAmong.current = undefined;
  }, [shown, props.busy]);
  return (
    <div ref={group} className="row convo-actions" role="group" aria-label="Actions">
      {props.actions.map((action) => (
        <Button
          key={action}
          variant={action === 'complete' ? undefined : 'primary'}
          title={ACTION_LABELS[action].help}
          disabled={props.busy !== undefined}
          onClick={() => {
            pressedAmong.current = shown;
            props.onAction(action);
          }}
        >
          {props.busy === action ? `${ACTION_LABELS[action].label}…` : ACTION_LABELS[action].label}
        </Button>
      ))}
    </div>
  );
}
