import type { ReactNode } from 'react';
import type { TranscriptMessage } from '../conversation/transcript.js';
import { useFollowEnd } from '../ui/use-follow-end.js';
import { linkify } from './linkify.js';

const SPEAKER = { user: 'You', bot: 'Bot', agent: 'Team', system: 'Notice' } as const;

function MessageText({ text }: { text: string }) {
  return (
    <>
      {linkify(text).map((part, i) =>
        'href' in part ? (
          <a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
            {part.text}
          </a>
        ) : (
          <span key={i}>{part.text}</span>
        ),
      )}
    </>
  );
}

const time = (iso: string) => {
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toLocaleTimeString(undefined, { hour: 'numeric', minute: '2-digit' }) : '';
};

/**
 * The conversation, newest at the bottom; a polite live region, so screen readers read what
 * arrives. It follows new messages unless the user scrolled up to read. The bot's greeting from
 * its widget settings, when there is one, is the first line: shown here only, never sent, and
 * not one of the conversation's messages (so a reload shows it once, at the top, again).
 */
export function MessageList(props: {
  messages: TranscriptMessage[];
  greeting?: string | undefined;
  authors: ReadonlyMap<string, string>;
  typing: boolean;
  onRetry(id: string): void;
  children?: ReactNode;
}) {
  const { box, end, onScroll } = useFollowEnd([props.messages, props.greeting, props.typing, props.children]);
  return (
    <div className="chat-scroll" ref={box} onScroll={onScroll}>
      <ol className="chat-log" role="log" aria-live="polite" aria-label="Messages" data-testid="chat-messages">
        {props.greeting ? (
          <li className="chat-msg chat-msg-bot chat-msg-first chat-msg-greeting" data-role="bot" data-testid="chat-greeting">
            <span className="sr-only">{SPEAKER.bot}: </span>
            <div className="chat-bubble">
              <MessageText text={props.greeting} />
            </div>
          </li>
        ) : null}
        {props.messages.map((m, i) => {
          const previous: Pick<TranscriptMessage, 'id' | 'role'> | undefined = props.messages[i - 1] ?? (props.greeting ? { id: '', role: 'bot' } : undefined);
          const speaker = m.role === 'agent' ? (props.authors.get(m.id) ?? SPEAKER.agent) : SPEAKER[m.role];
          const first = previous?.role !== m.role || (m.role === 'agent' && props.authors.get(previous.id) !== props.authors.get(m.id));
          return (
            <li key={m.id} className={`chat-msg chat-msg-${m.role}${first ? ' chat-msg-first' : ''}${m.delivery ? ` chat-msg-${m.delivery}` : ''}`} data-role={m.role} data-testid="chat-message">
              {m.role === 'agent' && first ? (
                <span className="chat-speaker" aria-hidden="true">
                  {speaker}
                </span>
              ) : null}
              <span className="sr-only">{speaker}: </span>
              <div className="chat-bubble" title={time(m.createdAt)}>
                <MessageText text={m.text} />
              </div>
              {m.delivery === 'sending' ? <span className="chat-delivery">Sending…</span> : null}
              {m.delivery === 'offline' ? (
                <span className="chat-delivery" role="status">
                  Not sent yet: no connection. It goes out when you are back online.{' '}
                  <button type="button" className="chat-link-btn" onClick={() => props.onRetry(m.id)}>
                    Send now
                  </button>
                </span>
              ) : null}
              {m.delivery === 'failed' ? (
                <span className="chat-delivery chat-delivery-failed" role="alert">
                  {m.error ?? 'Not sent.'}{' '}
                  <button type="button" className="chat-link-btn" onClick={() => props.onRetry(m.id)}>
                    Retry
                  </button>
                </span>
              ) : null}
            </li>
          );
        })}
        {props.typing ? (
          <li className="chat-msg chat-msg-bot chat-msg-first" data-testid="chat-typing">
            <span className="sr-only">The bot is typing</span>
            <div className="chat-bubble chat-typing" aria-hidden="true">
              <span />
              <span />
              <span />
            </div>
          </li>
        ) : null}
      </ol>
      {props.children}
      <div ref={end} />
    </div>
  );
}
