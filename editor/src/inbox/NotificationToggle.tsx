import type { NotificationState } from './use-alerts.js';

/** Desktop notifications are asked for on a press of this button, never on load. */
export function NotificationToggle({ permission, onAsk }: { permission: NotificationState; onAsk(): void }) {
  if (permission === 'unsupported') return null;
  if (permission === 'granted') return <span className="muted small">Desktop notifications on</span>;
  if (permission === 'denied') return <span className="muted small">Notifications are blocked in this browser</span>;
  return (
    <button type="button" className="btn btn-small" onClick={onAsk}>
      Turn on notifications
    </button>
  );
}
