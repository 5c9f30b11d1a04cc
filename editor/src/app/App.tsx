import { FlowScreen } from '../flow/FlowScreen.js';
import { InboxScreen } from '../inbox/InboxScreen.js';
import { BotsPage } from '../pages/BotsPage.js';
import { LoginPage } from '../pages/LoginPage.js';
import { SettingsScreen } from '../settings/SettingsScreen.js';
import { Button } from '../ui/components.js';
import { href, useRoute, type Route } from '../router/router.js';
import { SessionProvider, useSession } from '../session/session.js';

export function App() {
  return (
    <SessionProvider>
      <Shell />
    </SessionProvider>
  );
}

function Shell() {
  const { user, logout } = useSession();
  const route = useRoute();
  if (user === undefined) return null;
  if (user === null) return <LoginPage />;
  const builder = user.role !== 'agent';
  const current = (screen: Route['screen'][]) => (screen.includes(route.screen) ? 'page' : undefined);
  return (
    <>
      <header className="app-header">
        <span className="brand">Baton</span>
        <nav className="row" aria-label="Main">
          <a href={href({ screen: 'bots' })} aria-current={current(['bots', 'flow', 'settings'])}>
            Bots
          </a>
          <a href={href({ screen: 'inbox' })} aria-current={current(['inbox'])}>
            Inbox
          </a>
        </nav>
        <span className="grow" />
        <span className="muted">
          {user.email} ({user.role})
        </span>
        <Button small onClick={() => void logout()}>
          Log out
        </Button>
      </header>
      {route.screen === 'inbox' || !builder ? (
        <InboxScreen {...(route.screen === 'inbox' && route.conversationId ? { conversationId: route.conversationId } : {})} />
      ) : route.screen === 'flow' ? (
        <FlowScreen botId={route.botId} />
      ) : route.screen === 'settings' ? (
        <SettingsScreen botId={route.botId} />
      ) : (
        <BotsPage />
      )}
    </>
  );
}
