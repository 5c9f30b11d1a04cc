import { useEffect, useState } from 'react';
import { api, ok } from '../api/client.js';
import type { User } from '../api/types.js';
import type { PersonName } from './queue.js';

export type Presence = 'online' | 'away' | 'offline';
export interface Person extends User {
  presence: Presence;
}

/** The people who can log in, by id (for assignee names and my presence). */
export function usePeople(): { people: ReadonlyMap<string, PersonName & { presence: Presence }>; loaded: boolean } {
  const [people, setPeople] = useState<ReadonlyMap<string, Person>>(new Map());
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    let cancelled = false;
    ok(api.GET('/api/users')).then(
      (r) => {
        if (cancelled) return;
        setPeople(new Map(r.users.map((u) => [u.id, u])));
        setLoaded(true);
      },
      () => !cancelled && setLoaded(true),
    );
    return () => {
      cancelled = true;
    };
  }, []);
  return { people, loaded };
}
