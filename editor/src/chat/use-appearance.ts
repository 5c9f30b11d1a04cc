import { useEffect, useState } from 'react';
import { ApiError, api, ok } from '../api/client.js';
import { parseAppearance, type Appearance } from './appearance.js';

const ATTEMPTS = 3;

/**
 * The bot's colour and greeting from its widget settings. None (the defaults) until they come,
 * and when they cannot: the chat works the same without them.
 */
export function useAppearance(botId: string): Appearance {
  const [appearance, setAppearance] = useState<Appearance>({});
  useEffect(() => {
    let cancelled = false;
    setAppearance({});
    void (async () => {
      for (let attempt = 1; attempt <= ATTEMPTS && !cancelled; attempt++) {
        try {
          const data = await ok(api.GET('/api/bots/{botId}/appearance', { params: { path: { botId } } }));
          if (!cancelled) setAppearance(parseAppearance(data));
          return;
        } catch (error) {
          // A bot that is not there, or a refusal, will not change by asking again.
          if (error instanceof ApiError && error.status < 500 && error.status !== 429) return;
          await new Promise((resolve) => setTimeout(resolve, attempt * 2000));
        }
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [botId]);
  return appearance;
}
