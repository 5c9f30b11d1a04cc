import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, api, ok } from '../api/client.js';
import type { User } from '../api/types.js';

interface Session {
  user: User | null | undefined;
  login(email: string, password: string): Promise<void>;
  logout(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Who is logged in (undefined while asking the server), and how to log in and out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    ok(api.GET('/api/auth/me')).then(
      (r) => setUser(r.user),
      (error: unknown) => setUser(error instanceof ApiError && error.status === 401 ? null : null),
    );
  }, []);
  const session: Session = {
    user,
    async login(email, password) {
      const r = await ok(api.POST('/api/auth/login', { body: { email, password } }));
      setUser(r.user);
    },
    async logout() {
      await ok(api.POST('/api/auth/logout'));
      setUser(null);
    },
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
