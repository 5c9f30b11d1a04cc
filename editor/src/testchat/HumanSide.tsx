import { useId, useState, type FormEvent } from 'react';
import type { ConversationStatus } from '../conversation/messages.js';
import { Button, Field } from '../ui/components.js';
import { humanActions } from './test-chat-view.js';

/** The builder plays the person in the inbox: take over, reply, hand back to the bot. */
export function HumanSide(props: {
  status: ConversationStatus | undefined;
  assignee: string | undefined;
  me: string | undefined;
  busy: string | null;
  onTakeOver(): void;
  onReply(text: string): Promise<boolean>;
  onComplete(): void;
}) {
  const actions = humanActions(props.status, props.assignee, props.me);
  const [text, setText] = useState('');
  const titleId = useId();
  if (!actions.visible) return null;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = text.trim();
    if (!trimmed) return;
    if (await props.onReply(trimmed)) setText('');
  };
  const mine = props.status === 'agent' && props.assignee === props.me;
  return (
    <section className="human-side" aria-labelledby={titleId} data-testid="test-chat-human-side">
      <h3 id={titleId}>Human side</h3>
      <p className="muted">
        {props.status === 'queued'
          ? 'The bot handed this conversation to people. Play the person in the inbox: take it over and answer.'
          : mine
            ? 'You have this conversation. The bot stays quiet until you hand it back.'
            : 'Someone else has this conversation. You can take it over.'}
      </p>
      <div className="row wrap">
        {actions.canTakeOver ? (
          <Button onClick={props.onTakeOver} disabled={props.busy !== null}>
            Take over
          </Button>
        ) : null}
        {actions.canComplete ? (
          <Button onClick={props.onComplete} disabled={props.busy !== null}>
            Complete (back to the bot)
          </Button>
        ) : null}
      </div>
      {actions.canReply ? (
        <form className="composer" onSubmit={submit} aria-label="Answer as the person">
          <div className="grow">
            <Field label="Reply as the person">
              {(id) => <input id={id} value={text} onChange={(e) => setText(e.target.value)} maxLength={4000} autoComplete="off" />}
            </Field>
          </div>
          <Button type="submit" disabled={props.busy !== null || !text.trim()}>
            Send as the person
          </Button>
        </form>
      ) : null}
    </section>
  );
}
