import { useMemo, useState } from 'react';
import { ApiError, api, ok } from '../api/client.js';
import type { InboxItem } from '../api/types.js';
import { currentConversation } from '../conversation/feed.js';
import { useConversationFeed } from '../conversation/use-conversation-feed.js';
import { href } from '../router/router.js';
import { Badge, ErrorBanner } from '../ui/components.js';
import { ACTION_LABELS, availableActions, type ConversationAction } from './actions.js';
import { ConversationActions } from './ConversationActions.js';
import { ConversationDetails } from './ConversationDetails.js';
import { InboxTranscript } from './InboxTranscript.js';
import { leftMessageIds, statusBadge, userLabel, type PersonName } from './queue.js';
import { ReplyBox } from './ReplyBox.js';
import { SuggestionCard } from './SuggestionCard.js';

const gone = new ApiError(404, 'not_found', 'This conversation does not exist or is not yours to see.');

/** One conversation: history, details and variables, the person's actions and reply; all live. */
export function ConversationView(props: { id: string; item: InboxItem | undefined; people: ReadonlyMap<string, PersonName>; me: string | undefined }) {
  // Variables change as the flow moves: read again shortly after messages arrive.
  const convo = useConversationFeed({ conversationId: props.id }, { details: { settleMs: 400 } });
  const [busy, setBusy] = useState<ConversationAction>();
  const [actionError, setActionError] = useState<unknown>();
  const [done, setDone] = useState<string>();
  const [draft, setDraft] = useState<{ text: string; nonce: number }>();
  const current = currentConversation(convo);
  const status = current?.status;
  const assignee = current?.assignee;
  const set = availableActions(status ? { status, ...(assignee ? { assignee } : {}) } : undefined, props.me);
  const leftMessage = props.item?.leftMessage ?? false;
  const leftIds = useMemo(() => leftMessageIds(convo.transcript.messages, leftMessage), [convo.transcript.messages, leftMessage]);
  const badge = status ? statusBadge({ status, ...(assignee ? { assignee } : {}), leftMessage }, props.people, props.me) : undefined;
  const user = convo.details?.user ?? props.item?.user ?? {};

  const act = async (action: ConversationAction) => {
    setBusy(action);
    setActionError(undefined);
    setDone(undefined);
    try {
      await ok(api.POST(`/api/conversations/{id}/${action}`, { params: { path: { id: props.id } } }));
      setDone(ACTION_LABELS[action].done);
      void convo.refresh();
    } catch (e) {
      setActionError(e);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="convo" aria-labelledby="convo-title" data-testid="conversation">
      <header className="convo-head">
        <a className="convo-back" href={href({ screen: 'inbox' })}>
          ← Queue
        </a>
        <div className="convo-title">
          <h2 id="convo-title">{userLabel(user)}</h2>
          <div className="row small">
            {badge ? (
              <span data-testid="conversation-status">
                <Badge tone={badge.tone}>{badge.text}</Badge>
              </span>
            ) : null}
            {props.item?.botName ? <span className="muted">{props.item.botName}</span> : null}
            {convo.connection === 'reconnecting' ? <span className="muted">Reconnecting…</span> : null}
          </div>
        </div>
        <ConversationActions actions={set.actions} busy={busy} onAction={(a) => void act(a)} />
      </header>
      <ErrorBanner error={(convo.gone ? gone : convo.detailsError) ?? actionError} />
      <p className="sr-only" role="status">
        {done ?? ''}
      </p>
      <div className="convo-body">
        <div className="convo-main">
          <InboxTranscript messages={convo.transcript.messages} leftIds={leftIds} />
          <SuggestionCard
            conversationId={props.id}
            active={status === 'agent' || status === 'queued'}
            messageCount={convo.transcript.messages.length}
            onUse={(text) => setDraft((d) => ({ text, nonce: (d?.nonce ?? 0) + 1 }))}
          />
          <ReplyBox
            conversationId={props.id}
            disabled={!set.canReply}
            hint={set.replyHint}
            draft={draft}
            onSent={(m) => {
              convo.addSent({ id: m.id, role: 'agent', text: m.text });
              void convo.refresh();
            }}
          />
        </div>
        <ConversationDetails conversation={convo.details} botName={props.item?.botName} />
      </div>
    </section>
  );
}
