import type { Availability } from './availability.js';
import { peopleAvailableText } from './availability.js';

/** The chat's title bar: who is there, and (inside the widget) the close button. */
export function ChatHeader(props: { title: string; availability: Availability | undefined; onClose?: () => void }) {
  const online = (props.availability?.agentsOnline ?? 0) > 0;
  return (
    <header className="chat-head">
      <div className="chat-head-text">
        <h1>{props.title}</h1>
        {props.availability ? (
          <p className="chat-presence" data-testid="chat-availability">
            <span className={`chat-dot${online ? ' chat-dot-on' : ''}`} aria-hidden="true" />
            {peopleAvailableText(props.availability.agentsOnline)}
          </p>
        ) : null}
      </div>
      {props.onClose ? (
        <button type="button" className="chat-icon-btn" aria-label="Close chat" onClick={props.onClose}>
          <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
            <path d="M6 6l12 12M18 6L6 18" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
          </svg>
        </button>
      ) : null}
    </header>
  );
}
