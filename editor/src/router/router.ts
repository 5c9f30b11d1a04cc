import { useEffect, useState } from 'react';

/** The editor's screens, addressed by the URL hash so the server needs no route per screen. */
export type Route =
  | { screen: 'bots' }
  | { screen: 'flow'; botId: string }
  | { screen: 'settings'; botId: string }
  | { screen: 'inbox'; conversationId?: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'bots' && parts[1]) return parts[2] === 'settings' ? { screen: 'settings', botId: parts[1] } : { screen: 'flow', botId: parts[1] };
  if (parts[0] === 'inbox') return parts[1] ? { screen: 'inbox', conversationId: parts[1] } : { screen: 'inbox' };
  return { screen: 'bots' };
}

export function href(route: Route): string {
  switch (route.screen) {
    case 'bots':
      return '#/bots';
    case 'flow':
      return `#/bots/${encodeURIComponent(route.botId)}`;
    case 'settings':
      return `#/bots/${encodeURIComponent(route.botId)}/settings`;
    case 'inbox':
      return route.conversationId ? `#/inbox/${encodeURIComponent(route.conversationId)}` : '#/inbox';
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
