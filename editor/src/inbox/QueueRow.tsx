import type { InboxItem } from '../api/types.js';
import { href } from '../router/router.js';
import { Badge } from '../ui/components.js';
import { formatDuration, isWaiting, previewText, statusBadge, userLabel, waitingSince, type PersonName } from './queue.js';

/** One conversation in the queue; the whole row links to it. */
export function QueueRow(props: { item: InboxItem; selected: boolean; people: ReadonlyMap<string, PersonName>; me: string | undefined; now: number }) {
  const { item } = props;
  const badge = statusBadge(item, props.people, props.me);
  const waiting = isWaiting(item);
  const since = formatDuration(waitingSince(item), props.now);
  return (
    <li className={`queue-row${waiting ? ' waiting' : ''}`} data-testid="inbox-row" data-conversation-id={item.id}>
      <a href={href({ screen: 'inbox', conversationId: item.id })} aria-current={props.selected ? 'page' : undefined}>
        <span className="queue-row-top">
          <strong className="queue-user">{userLabel(item.user)}</strong>
          <span className="queue-time" title={new Date(waitingSince(item)).toLocaleString()}>
            {waiting ? `waiting ${since}` : since === 'just now' ? since : `${since} ago`}
          </span>
        </span>
        <span className="queue-row-mid">
          <Badge tone={badge.tone}>{badge.text}</Badge>
          <span className="queue-bot">{item.botName}</span>
        </span>
        <span className="queue-preview">{previewText(item)}</span>
      </a>
    </li>
  );
}
