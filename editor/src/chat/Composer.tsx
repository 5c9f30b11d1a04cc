import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';

/** The message box: Enter sends, Shift+Enter starts a new line; it grows with the text. */
export function Composer(props: { disabled: boolean; placeholder: string; onSend(text: string): void; focusSignal: number }) {
  const [text, setText] = useState('');
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (props.focusSignal > 0) input.current?.focus();
  }, [props.focusSignal]);
  useEffect(() => {
    const el = input.current;
    // Measured while hidden (the widget preloads the frame), the box would collapse.
    if (!el || el.offsetParent === null) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 120)}px`;
  }, [text, props.focusSignal]);
  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (props.disabled || !text.trim()) return;
    props.onSend(text);
    setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Not while an input method is composing (Japanese, Chinese…): Enter picks the characters there.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form className="chat-composer" onSubmit={submit}>
      <label htmlFor="chat-input" className="sr-only">
        Message
      </label>
      <textarea
        id="chat-input"
        ref={input}
        rows={1}
        maxLength={4000}
        value={text}
        disabled={props.disabled}
        placeholder={props.placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <button type="submit" className="chat-send" aria-label="Send" disabled={props.disabled || !text.trim()}>
        <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
          <path d="M3.4 20.4L21 12 3.4 3.6 3.4 10.1 15 12 3.4 13.9z" fill="currentColor" />
        </svg>
      </button>
    </form>
  );
}
