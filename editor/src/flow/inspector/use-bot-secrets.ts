import { useCallback, useEffect, useState } from 'react';
import { api, ok } from '../../api/client.js';

// One list per bot, shared by every secret field on screen and refreshed after an addition.
const cache = new Map<string, Promise<string[]>>();
const listeners = new Map<string, Set<() => void>>();

function load(botId: string): Promise<string[]> {
  let names = cache.get(botId);
  if (!names) {
    names = ok(api.GET('/api/bots/{botId}/secrets', { params: { path: { botId } } })).then((r) => r.secrets.map((s) => s.name));
    names.catch(() => cache.delete(botId));
    cache.set(botId, names);
  }
  return names;
}

/** The names of the bot's secrets, and a way to add one. Values are write-only. */
export function useBotSecrets(botId: string) {
  const [names, setNames] = useState<string[] | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    const refresh = () =>
      load(botId).then(
        (list) => live && setNames(list),
        (e: unknown) => live && setError(e),
      );
    const set = listeners.get(botId) ?? new Set();
    set.add(refresh);
    listeners.set(botId, set);
    void refresh();
    return () => {
      live = false;
      set.delete(refresh);
    };
  }, [botId]);
  const add = useCallback(
    async (name: string, value: string) => {
      await ok(api.PUT('/api/bots/{botId}/secrets/{name}', { params: { path: { botId, name } }, body: { value } }));
      cache.delete(botId);
      listeners.get(botId)?.forEach((refresh) => refresh());
    },
    [botId],
  );
  return { names, error, add };
}
