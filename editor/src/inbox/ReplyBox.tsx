import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { api, ok } from '../api/client.js';
import { Button } from '../ui/components.js';

/** The person's reply: Enter sends, Shift+Enter starts a new line. Replying takes the conversation over. */
export function ReplyBox(props: {
  conversationId: string;
  disabled: boolean;
  hint?: string | undefined;
  /** Text to put in the box (the AI's suggestion); `nonce` changes each time it is used. */
  draft?: { text: string; nonce: number } | undefined;
  onSent(message: { id: string; text: string }): void;
}) {
  const id = useId();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string>();
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (!props.draft) return;
    setText(props.draft.text);
    input.current?.focus();
  }, [props.draft?.nonce]);
  useEffect(() => {
    setText('');
    setError(undefined);
  }, [props.conversationId]);
  const send = async () => {
    const body = text.trim();
    if (!body || sending || props.disabled) return;
    setSending(true);
    setError(undefined);
    try {
      const sent = await ok(api.POST('/api/conversations/{id}/agent-messages', { params: { path: { id: props.conversationId } }, body: { text: body } }));
      props.onSent({ id: sent.messageId, text: body });
      setText('');
    } catch (e) {
      setError(e instanceof Error ? e.message : 'Not sent');
    } finally {
      setSending(false);
      input.current?.focus();
    }
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void send();
    }
  };
  return (
    <form
      className="reply"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label htmlFor={id} className="sr-only">
        Reply
      </label>
      <textarea
        id={id}
        ref={input}
        value={text}
        maxLength={4000}
        rows={3}
        disabled={props.disabled}
        placeholder={props.disabled ? (props.hint ?? '') : 'Write a reply… (Enter sends, Shift+Enter for a new line)'}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      <div className="reply-bar">
        {error ? (
          <span className="reply-error" id={`${id}-error`} role="alert">
            Not sent: {error}
          </span>
        ) : (
          <span className="muted small">{props.disabled ? props.hint : 'Replying takes the conversation over from the bot.'}</span>
        )}
        <Button type="submit" variant="primary" disabled={props.disabled || sending || !text.trim()}>
          {sending ? 'Sending…' : 'Send reply'}
        </Button>
      </div>
    </form>
  );
}
