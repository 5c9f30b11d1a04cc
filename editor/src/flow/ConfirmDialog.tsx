import { useEffect, useId, useRef, type ReactNode } from 'react';
import { Button } from '../ui/components.js';

/** A modal question with a confirm and a cancel button; Escape cancels. */
export function ConfirmDialog(props: { title: string; children: ReactNode; confirmLabel: string; danger?: boolean; onConfirm(): void; onCancel(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="flow-dialog"
      aria-labelledby={titleId}
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
      data-testid="confirm-dialog"
    >
      <h2 id={titleId}>{props.title}</h2>
      <div className="flow-dialog-body">{props.children}</div>
      <div className="row flow-dialog-actions">
        <span className="grow" />
        <Button onClick={props.onCancel}>Cancel</Button>
        <Button variant={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm} autoFocus>
          {props.confirmLabel}
        </Button>
      </div>
    </dialog>
  );
}
