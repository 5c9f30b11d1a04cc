import './inbox.css';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { useSession } from '../session/session.js';
import { ErrorBanner } from '../ui/components.js';
import { ConversationView } from './ConversationView.js';
import { NotificationToggle } from './NotificationToggle.js';
import { PresenceSwitch } from './PresenceSwitch.js';
import { countByFilter, visibleQueue, type InboxFilter } from './queue.js';
import { QueueFilters } from './QueueFilters.js';
import { QueueList } from './QueueList.js';
import { useInboxAlerts } from './use-alerts.js';
import { useInbox } from './use-inbox.js';
import { usePeople } from './use-people.js';

/** The inbox for people: presence, the queue (live), a conversation. */
export function InboxScreen({ conversationId }: { conversationId?: string }) {
  const { user } = useSession();
  const me = user?.id;
  const inbox = useInbox();
  const { people } = usePeople();
  const alerts = useInboxAlerts(inbox.items);
  const [filter, setFilter] = useState<InboxFilter>('all');
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const counts = useMemo(() => countByFilter(inbox.items ?? [], me), [inbox.items, me]);
  const rows = useMemo(() => (inbox.items ? visibleQueue(inbox.items, filter, me) : undefined), [inbox.items, filter, me]);
  const selected = inbox.items?.find((item) => item.id === conversationId);
  // The inbox fills the window below the app's header, whatever its height.
  const main = useRef<HTMLElement>(null);
  const [top, setTop] = useState<number>();
  useLayoutEffect(() => {
    const measure = () => setTop(Math.max(0, Math.round((main.current?.getBoundingClientRect().top ?? 0) + window.scrollY)));
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);

  return (
    <main ref={main} className={`inbox${conversationId ? ' has-conversation' : ''}`} style={top === undefined ? undefined : ({ '--inbox-top': `${top}px` } as CSSProperties)}>
      <div className="inbox-bar">
        <h1>Inbox</h1>
        <PresenceSwitch serverValue={me ? people.get(me)?.presence : undefined} />
        <span className="grow" />
        <span className={`inbox-live${inbox.live ? ' on' : ''}`} data-testid="inbox-live">
          {inbox.live ? 'Live' : 'Connecting…'}
        </span>
        <NotificationToggle permission={alerts.permission} onAsk={() => void alerts.askPermission()} />
      </div>
      <p className="sr-only" aria-live="polite" data-testid="inbox-announcement">
        {alerts.announcement}
      </p>
      <div className="inbox-body">
        <section className="queue" aria-label="Queue">
          <QueueFilters value={filter} counts={counts} onChange={setFilter} />
          <ErrorBanner error={inbox.error} />
          <QueueList items={rows} filter={filter} selectedId={conversationId} people={people} me={me} now={now} />
        </section>
        {conversationId ? (
          <ConversationView key={conversationId} id={conversationId} item={selected} people={people} me={me} />
        ) : (
          <section className="convo convo-none">
            <p className="muted">Pick a conversation from the queue.</p>
          </section>
        )}
      </div>
    </main>
  );
}
