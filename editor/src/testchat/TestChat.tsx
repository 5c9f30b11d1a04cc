import './testchat.css';
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, api, asEndUser, ok } from '../api/client.js';
import { currentConversation, type SendPolicy } from '../conversation/feed.js';
import type { MessageRole } from '../conversation/messages.js';
import { useConversationFeed } from '../conversation/use-conversation-feed.js';
import { useSession } from '../session/session.js';
import { Badge, Button, ErrorBanner, Field } from '../ui/components.js';
import { HumanSide } from './HumanSide.js';
import { connectionText, humanActions, quickReplies as quickRepliesNow, statusText } from './test-chat-view.js';
import { changedPaths } from './vars.js';
import { VarsTree } from './VarsTree.js';

export interface TestChatProps {
  botId: string;
  /** Called with the node the test conversation is at, and with null when there is none. */
  onNodeChange?: (nodeId: string | null) => void;
}

interface TestSession {
  conversationId: string;
  token: string;
}

const STATUS_BADGES = { bot: 'Bot', queued: 'Queued', agent: 'Person', closed: 'Ended' } as const;
const ROLE_NAMES: Record<MessageRole, string> = { user: 'You', bot: 'Bot', agent: 'Person', system: 'Notice' };
/** The builder sees at once why a message did not go: one try, then Retry. */
const SENDING: SendPolicy = { attempts: 1, holdWhenOffline: false };
/** People also get where the flow is and its variables; read again at each change the stream shows. */
const DETAILS = { settleMs: 0 };

/**
 * The test chat beside the canvas: runs the current draft on the real engine, streams the
 * conversation, shows where the flow is and its variables, and lets the builder play the
 * person of a handoff.
 */
export function TestChat({ botId, onNodeChange }: TestChatProps) {
  const { user } = useSession();
  const me = user?.id;
  const [session, setSession] = useState<TestSession | null>(null);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<unknown>();
  const feed = useConversationFeed(session ?? undefined, { sending: SENDING, details: DETAILS });
  const [vars, setVars] = useState<{ current: Record<string, unknown>; changed: ReadonlySet<string>; loaded: boolean }>({ current: {}, changed: new Set(), loaded: false });
  const [busy, setBusy] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const [draft, setDraft] = useState('');
  const transcriptRef = useRef<HTMLOListElement>(null);
  const onNodeChangeRef = useRef(onNodeChange);
  useEffect(() => {
    onNodeChangeRef.current = onNodeChange;
  }, [onNodeChange]);

  const reset = useCallback(() => {
    setSession(null);
    setVars({ current: {}, changed: new Set(), loaded: false });
    setActionError(undefined);
    setStartError(undefined);
  }, []);

  // Another bot: another draft; a conversation with the old one means nothing here.
  useEffect(() => reset, [botId, reset]);

  const details = session ? feed.details : undefined;
  useEffect(() => {
    if (!details) return;
    const next = details.vars ?? {};
    // The first read shows the variables as they are; later ones mark what the turn changed.
    setVars((previous) =>
      JSON.stringify(previous.current) === JSON.stringify(next)
        ? previous
        : { current: next, changed: previous.loaded ? changedPaths(previous.current, next) : new Set(), loaded: true },
    );
  }, [details]);

  const nodeId = details?.nodeId ?? null;
  useEffect(() => {
    onNodeChangeRef.current?.(nodeId);
  }, [nodeId]);
  useEffect(() => () => onNodeChangeRef.current?.(null), []);

  useEffect(() => {
    const list = transcriptRef.current;
    if (list) list.scrollTop = list.scrollHeight;
  }, [feed.transcript]);

  const start = async () => {
    setStarting(true);
    reset();
    try {
      const created = await ok(api.POST('/api/bots/{botId}/conversations', { params: { path: { botId } }, body: { test: true } }));
      setSession({ conversationId: created.conversationId, token: created.token });
      setNotice('Test conversation started');
    } catch (error) {
      setStartError(error);
    } finally {
      setStarting(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    setDraft('');
    feed.send(text);
  };

  /** A person's action on the conversation; the stream brings its effects. */
  const act = async (name: string, run: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(name);
    setActionError(undefined);
    try {
      await run();
      setNotice(done);
      void feed.refresh();
      return true;
    } catch (error) {
      setActionError(error);
      return false;
    } finally {
      setBusy(null);
    }
  };
  const ofConversation = { params: { path: { id: session?.conversationId ?? '' } } };

  const conversation = session ? currentConversation(feed) : undefined;
  const current = conversation?.status;
  const assignee = conversation?.assignee;
  const quickReplies = quickRepliesNow(feed.transcript, current);
  const connection = connectionText(feed.connection);
  const actions = humanActions(current, assignee, me);
  const closed = current === 'closed';
  const startIssues = startError instanceof ApiError && startError.status === 422 ? startError.flowIssues : [];
  // Warnings do not stop a test; only the errors are worth reading here.
  const issues = startIssues.some((issue) => issue.severity === 'error') ? startIssues.filter((issue) => issue.severity === 'error') : startIssues;

  return (
    <section className="test-chat" aria-label="Test chat" data-testid="test-chat" data-status={current ?? (session ? 'starting' : 'idle')}>
      <header className="test-chat-header">
        <h2>Test chat</h2>
        {session ? (
          <Badge tone={current === 'closed' ? undefined : current === 'bot' ? 'ok' : 'warning'}>{current ? STATUS_BADGES[current] : 'Starting'}</Badge>
        ) : null}
        <span className="grow" />
        <Button small variant={session ? undefined : 'primary'} onClick={() => void start()} disabled={starting}>
          {starting ? 'Starting…' : session ? 'Restart' : 'Start a test'}
        </Button>
      </header>

      <p className="sr-only" role="status">
        {notice}
      </p>

      {!session && !startError ? (
        <p className="muted test-chat-intro">Talk to your current draft as a user would. It runs on the real engine; nothing is published and no live user sees it.</p>
      ) : null}

      {startError ? (
        issues.length ? (
          <div className="banner banner-error" role="alert" data-testid="test-chat-start-issues">
            <strong>The draft has errors; fix them to test it.</strong>
            <ul>
              {issues.map((issue, index) => (
                <li key={index}>{issue.message}</li>
              ))}
            </ul>
          </div>
        ) : (
          <ErrorBanner error={startError} />
        )
      ) : null}

      {session ? (
        <>
          <div className="test-chat-status row wrap">
            <span role="status" data-testid="test-chat-status">
              {statusText(current, assignee, me)}
            </span>
            <span className="grow" />
            {connection && !closed ? <span className="muted small">{connection}</span> : null}
          </div>

          <ol className="test-chat-transcript" ref={transcriptRef} role="log" aria-label="Test conversation" data-testid="test-chat-transcript" tabIndex={0}>
            {feed.transcript.messages.map((message) => (
              <li key={message.id} className={`msg msg-${message.role}`} data-testid="test-chat-message" data-role={message.role} data-delivery={message.delivery}>
                <span className="msg-author">{ROLE_NAMES[message.role]}</span>
                <span className="msg-text">{message.text}</span>
                {message.delivery === 'sending' ? <span className="msg-meta">Sending…</span> : null}
                {message.delivery === 'failed' ? (
                  <span className="msg-meta msg-failed">
                    Not sent{message.error ? `: ${message.error}` : ''}.{' '}
                    <Button small onClick={() => feed.retry(message.id)}>
                      Retry
                    </Button>
                  </span>
                ) : null}
              </li>
            ))}
          </ol>

          {quickReplies.length ? (
            <div className="quick-replies row wrap" role="group" aria-label="Quick replies">
              {quickReplies.map((reply) => (
                <Button key={reply} small onClick={() => feed.send(reply)}>
                  {reply}
                </Button>
              ))}
            </div>
          ) : null}

          <form className="composer" onSubmit={submit} aria-label="Message the bot">
            <div className="grow">
              <Field label="Your message (as the user)">
                {(id) => (
                  <input id={id} value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={4000} disabled={closed} autoComplete="off" placeholder={closed ? 'The conversation has ended' : 'Type and press Enter'} />
                )}
              </Field>
            </div>
            <Button type="submit" variant="primary" disabled={closed || !draft.trim()}>
              Send
            </Button>
          </form>

          {actions.canRequestHuman ? (
            <div className="row">
              <Button
                small
                disabled={busy !== null}
                onClick={() => void act('request-human', () => ok(api.POST('/api/conversations/{id}/request-human', { ...ofConversation, headers: asEndUser(session.token) })), 'Asked for a person')}
              >
                Talk to a person
              </Button>
              <span className="muted small">What the widget's button does: goes to the bot's default desk.</span>
            </div>
          ) : null}

          <ErrorBanner error={actionError} />

          <HumanSide
            status={current}
            assignee={assignee}
            me={me}
            busy={busy}
            onTakeOver={() => void act('takeover', () => ok(api.POST('/api/conversations/{id}/takeover', ofConversation)), 'You took the conversation over')}
            onReply={(text) => act('reply', () => ok(api.POST('/api/conversations/{id}/agent-messages', { ...ofConversation, body: { text } })), 'Sent as the person')}
            onComplete={() => void act('complete', () => ok(api.POST('/api/conversations/{id}/complete', ofConversation)), 'Handed back to the bot')}
          />

          <section className="test-chat-state" aria-label="Where the conversation is">
            <p className="small">
              At node: {nodeId ? <code data-testid="test-chat-node">{nodeId}</code> : <span className="muted">none</span>}
            </p>
            <details open>
              <summary>Variables</summary>
              <VarsTree vars={vars.current} changed={vars.changed} />
            </details>
          </section>
        </>
      ) : null}
    </section>
  );
}
