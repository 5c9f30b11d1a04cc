import { useEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { currentQuickReplies } from '../conversation/transcript.js';
import { resolveColor } from './appearance.js';
import { closedNotice } from './availability.js';
import { botIsTyping, chatView } from './chat-view.js';
import { ChatHeader } from './ChatHeader.js';
import { textColorOn } from './color.js';
import { Composer } from './Composer.js';
import { LeaveMessageForm } from './LeaveMessageForm.js';
import { MessageList } from './MessageList.js';
import { parseChatParams, type ChatParams } from './params.js';
import { parseHostMessage, type ChatMessageOut } from './protocol.js';
import { useAppearance } from './use-appearance.js';
import { useChat } from './use-chat.js';

/** The end user's chat with a bot: /chat/<botId>, alone or in the widget's iframe. */
export function ChatPage() {
  const params = useMemo(() => parseChatParams(window.location.pathname, window.location.search), []);
  if (!params) {
    return (
      <main className="chat chat-standalone">
        <p className="chat-card" role="alert">
          This chat link is not valid.
        </p>
      </main>
    );
  }
  return <ChatWindow params={params} />;
}

const framed = (() => {
  try {
    return window.parent !== window;
  } catch {
    return true;
  }
})();

function parentOrigin(params: ChatParams): string | undefined {
  if (params.parentOrigin) return params.parentOrigin;
  try {
    return document.referrer ? new URL(document.referrer).origin : undefined;
  } catch {
    return undefined;
  }
}

function ChatWindow({ params }: { params: ChatParams }) {
  const target = useMemo(() => parentOrigin(params), [params]);
  const toHost = (message: ChatMessageOut) => {
    if (framed && target) window.parent.postMessage(message, target);
  };
  const [visible, setVisible] = useState(true);
  const [focusSignal, setFocusSignal] = useState(0);
  const [now, setNow] = useState(() => Date.now());
  const unread = useRef(0);
  const visibleRef = useRef(visible);
  visibleRef.current = visible;

  const chat = useChat(params, {
    onReady: (conversationId) => toHost({ type: 'baton:ready', conversationId }),
    onIncoming: (count) => {
      if (visibleRef.current || count === 0) return;
      unread.current += count;
      toHost({ type: 'baton:unread', count: unread.current });
    },
  });
  const appearance = useAppearance(params.botId);
  const setUser = useRef(chat.setUser);
  setUser.current = chat.setUser;

  // The widget's page talks to us: only our parent, only the documented shapes.
  useEffect(() => {
    if (!framed) return;
    const onMessage = (event: MessageEvent) => {
      if (event.source !== window.parent) return;
      if (params.parentOrigin && event.origin !== params.parentOrigin) return;
      const message = parseHostMessage(event.data);
      if (!message) return;
      if (message.type === 'baton:set-user') void setUser.current(message.user);
      if (message.type === 'baton:visibility') {
        setVisible(message.visible);
        if (message.visible) {
          unread.current = 0;
          toHost({ type: 'baton:unread', count: 0 });
          setFocusSignal((n) => n + 1);
        }
      }
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, [params]);

  // Escape inside the frame closes the widget (the page cannot see keys pressed in here).
  useEffect(() => {
    if (!framed) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') toHost({ type: 'baton:close' });
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [target]);

  // The typing dots end on their own; the clock only runs while they may show.
  const waiting = chat.state?.status === 'bot' && chat.lastSentMs !== undefined && now - chat.lastSentMs < 25_000;
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [waiting, chat.lastSentMs]);
  useEffect(() => setNow(Date.now()), [chat.lastSentMs]);

  const typing = botIsTyping(chat.transcript, chat.state?.status, chat.lastSentMs, now);
  const view = chatView({
    state: chat.state,
    availability: chat.availability,
    typing,
    messageLeft: chat.messageLeft,
    humanRequest: chat.humanRequest.phase,
    backWithBot: chat.backWithBot,
  });
  const notice = chat.availability ? closedNotice(chat.availability, now) : undefined;
  const quickReplies = view.ended ? [] : currentQuickReplies(chat.transcript);
  // The widget's ?color= (its data-color, or the setting it already read) wins over the bot's setting.
  const accent = resolveColor(params.color, appearance.color);
  const style = { '--chat-accent': accent, '--chat-accent-text': textColorOn(accent) } as CSSProperties;

  return (
    <main className={`chat${framed ? '' : ' chat-standalone'}`} style={style} data-testid="chat">
      <div className="chat-window">
        <ChatHeader title={params.title ?? 'Chat with us'} availability={chat.availability} {...(framed ? { onClose: () => toHost({ type: 'baton:close' }) } : {})} />
        {notice ? (
          <p className="chat-notice" role="status" data-testid="chat-closed-notice">
            {notice}
          </p>
        ) : null}
        {chat.connection === 'reconnecting' && chat.phase.kind === 'ready' ? (
          <p className="chat-connection" role="status" data-testid="chat-reconnecting">
            Connection lost. Reconnecting…
          </p>
        ) : null}
        {chat.phase.kind === 'starting' ? (
          <div className="chat-scroll chat-center" role="status">
            <span className="chat-muted">Starting the chat…</span>
          </div>
        ) : chat.phase.kind === 'unavailable' ? (
          <div className="chat-scroll chat-center">
            <div className="chat-card" role="alert">
              <p>{chat.phase.message}</p>
              {chat.phase.retry ? (
                <button type="button" className="chat-btn chat-btn-primary" onClick={chat.restart}>
                  Try again
                </button>
              ) : null}
            </div>
          </div>
        ) : (
          <MessageList messages={chat.transcript.messages} greeting={appearance.greeting} authors={chat.authors} typing={typing} onRetry={chat.retry}>
            {quickReplies.length ? (
              <div className="chat-quick" role="group" aria-label="Suggested answers">
                {quickReplies.map((q) => (
                  <button key={q} type="button" className="chat-chip" onClick={() => chat.send(q)}>
                    {q}
                  </button>
                ))}
              </div>
            ) : null}
            {view.leaveMessageForm ? <LeaveMessageForm askEmail={!chat.email} onSubmit={chat.leaveMessage} /> : null}
            {view.ended ? (
              <div className="chat-card chat-ended" data-testid="chat-ended">
                <p>This chat has ended.</p>
                <button type="button" className="chat-btn chat-btn-primary" onClick={chat.restart}>
                  Start a new chat
                </button>
              </div>
            ) : null}
          </MessageList>
        )}
        <div className="chat-bar">
          <p className="chat-status" role="status" data-testid="chat-status">
            {view.ended ? '' : (view.statusLine ?? '')}
          </p>
          {chat.notice ? (
            <p className="chat-error" role="alert">
              {chat.notice}
            </p>
          ) : null}
          {view.talkToPerson !== 'hidden' ? (
            <button type="button" className="chat-btn chat-btn-soft" onClick={() => void chat.requestHuman()} disabled={view.talkToPerson === 'busy'}>
              <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
                <path d="M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-4 0-8 2-8 5v1h16v-1c0-3-4-5-8-5z" fill="currentColor" />
              </svg>
              Talk to a person
            </button>
          ) : null}
          {view.endWithPerson ? (
            <button type="button" className="chat-btn chat-btn-soft" onClick={() => void chat.leaveHumans()}>
              End chat with person
            </button>
          ) : null}
        </div>
        <Composer
          disabled={chat.phase.kind !== 'ready' || view.ended}
          placeholder={view.ended ? 'This chat has ended' : 'Write a message…'}
          onSend={chat.send}
          focusSignal={focusSignal}
        />
      </div>
    </main>
  );
}
