import type { InboxItem } from '../api/types.js';
import type { InboxFilter, PersonName } from './queue.js';
import { QueueRow } from './QueueRow.js';

const EMPTY: Record<InboxFilter, string> = {
  all: 'Nothing in the inbox. Conversations appear here when a bot hands one to people.',
  waiting: 'Nobody is waiting.',
  mine: 'You have no conversations.',
  left: 'No left messages.',
};

export function QueueList(props: { items: InboxItem[] | undefined; filter: InboxFilter; selectedId: string | undefined; people: ReadonlyMap<string, PersonName>; me: string | undefined; now: number }) {
  if (!props.items) return <p className="queue-empty muted">Loading…</p>;
  if (props.items.length === 0) return <p className="queue-empty muted">{EMPTY[props.filter]}</p>;
  return (
    <ul className="queue-list" aria-label="Conversations">
      {props.items.map((item) => (
        <QueueRow key={item.id} item={item} selected={item.id === props.selectedId} people={props.people} me={props.me} now={props.now} />
      ))}
    </ul>
  );
}
