import type { TranscriptMessage } from '../conversation/transcript.js';
import { useFollowEnd } from '../ui/use-follow-end.js';

const SPEAKER: Record<TranscriptMessage['role'], string> = { user: 'User', bot: 'Bot', agent: 'Team', system: 'System' };

/** The whole conversation as the user saw it; the messages they left for people are marked. */
export function InboxTranscript(props: { messages: TranscriptMessage[]; leftIds: ReadonlySet<string> }) {
  const { box, end, onScroll } = useFollowEnd([props.messages]);
  return (
    <div className="convo-scroll" ref={box} onScroll={onScroll}>
      {props.messages.length === 0 ? <p className="muted convo-empty">No messages yet.</p> : null}
      <ol className="convo-log" role="log" aria-live="polite" aria-label="Conversation" data-testid="inbox-transcript">
        {props.messages.map((m) => {
          const left = props.leftIds.has(m.id);
          return (
            <li key={m.id} className={`convo-msg convo-${m.role}${left ? ' convo-left' : ''}`} data-role={m.role} data-testid="inbox-message">
              <span className="convo-meta">
                {SPEAKER[m.role]} · <time dateTime={m.createdAt}>{new Date(m.createdAt).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' })}</time>
                {left ? <span className="convo-left-tag">Left message</span> : null}
              </span>
              <div className="convo-bubble">{m.text}</div>
              {m.quickReplies?.length ? <span className="convo-quick muted">Choices: {m.quickReplies.join(' · ')}</span> : null}
            </li>
          );
        })}
      </ol>
      <div ref={end} />
    </div>
  );
}
