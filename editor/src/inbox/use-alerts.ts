import { useEffect, useRef, useState } from 'react';
import type { InboxItem } from '../api/types.js';
import { navigate } from '../router/router.js';
import { isWaiting, newlyWaiting, titleWithCount, userLabel } from './queue.js';

export type NotificationState = 'unsupported' | 'default' | 'granted' | 'denied';

const supported = () => typeof window !== 'undefined' && 'Notification' in window;

/**
 * Tells the person about conversations that start waiting: a line for screen readers, the count
 * in the tab title, and a desktop notification when they allowed it (asked on a button press only).
 */
export function useInboxAlerts(items: InboxItem[] | undefined): { announcement: string; permission: NotificationState; askPermission(): Promise<void> } {
  const [announcement, setAnnouncement] = useState('');
  const [permission, setPermission] = useState<NotificationState>(() => (supported() ? Notification.permission : 'unsupported'));
  const previous = useRef<InboxItem[] | undefined>(undefined);

  useEffect(() => {
    if (!items) return;
    const fresh = newlyWaiting(previous.current, items);
    previous.current = items;
    if (fresh.length === 0) return;
    const first = fresh[0]!;
    const text = fresh.length === 1 ? `New conversation waiting: ${userLabel(first.user)} on ${first.botName}` : `${fresh.length} new conversations waiting`;
    setAnnouncement(text);
    if (supported() && Notification.permission === 'granted' && (document.visibilityState !== 'visible' || !document.hasFocus())) {
      const notification = new Notification('Baton: a conversation is waiting', { body: text, tag: `baton-${first.id}` });
      notification.onclick = () => {
        window.focus();
        navigate({ screen: 'inbox', conversationId: first.id });
        notification.close();
      };
    }
  }, [items]);

  const waiting = items?.filter(isWaiting).length ?? 0;
  useEffect(() => {
    document.title = titleWithCount(document.title, waiting);
  }, [waiting]);
  useEffect(() => () => void (document.title = titleWithCount(document.title, 0)), []);

  return {
    announcement,
    permission,
    async askPermission() {
      if (!supported()) return;
      setPermission(await Notification.requestPermission());
    },
  };
}
