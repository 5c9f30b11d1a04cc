import { Button } from '../ui/components.js';
import type { SaveStatus as Status } from './use-autosave.js';

/** "Saving… / Saved / Not saved" of the draft, announced politely. */
export function SaveStatus({ status, error, onRetry }: { status: Status; error?: unknown; onRetry(): void }) {
  const text = status === 'saved' ? 'Saved' : status === 'error' ? 'Not saved' : 'Saving…';
  return (
    <span className={`flow-save flow-save-${status}`} data-testid="save-status" data-status={status}>
      <span role="status" aria-live="polite" title={status === 'error' && error instanceof Error ? error.message : undefined}>
        {text}
        {status === 'error' && error instanceof Error ? <span className="sr-only">: {error.message}</span> : null}
      </span>
      {status === 'error' ? (
        <Button small onClick={onRetry}>
          Retry
        </Button>
      ) : null}
    </span>
  );
}
