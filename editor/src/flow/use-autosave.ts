import { useCallback, useEffect, useRef, useState } from 'react';

export type SaveStatus = 'saved' | 'pending' | 'saving' | 'error';

/**
 * Saves a value some time after it last changed, one request at a time, always the newest value.
 * `saveNow` flushes (before publishing or testing); `markSaved` records a value the server
 * already has (a restored version) so it is not sent back.
 */
export function useAutosave<T>(value: T, save: (value: T) => Promise<void>, delayMs = 800) {
  const saved = useRef(value);
  const latest = useRef(value);
  latest.current = value;
  const inflight = useRef<Promise<void> | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const saveRef = useRef(save);
  saveRef.current = save;
  const [state, setState] = useState<{ status: SaveStatus; error?: unknown }>({ status: 'saved' });

  const saveNow = useCallback(async (): Promise<boolean> => {
    clearTimeout(timer.current);
    for (;;) {
      if (inflight.current) {
        await inflight.current.catch(() => undefined);
        continue;
      }
      const current = latest.current;
      if (current === saved.current) {
        setState({ status: 'saved' });
        return true;
      }
      setState({ status: 'saving' });
      const request = saveRef.current(current).then(() => {
        saved.current = current;
      });
      inflight.current = request;
      try {
        await request;
      } catch (error) {
        setState({ status: 'error', error });
        return false;
      } finally {
        if (inflight.current === request) inflight.current = null;
      }
    }
  }, []);

  useEffect(() => {
    if (value === saved.current) return;
    setState((s) => (s.status === 'saving' ? s : { status: 'pending' }));
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveNow(), delayMs);
  }, [value, delayMs, saveNow]);

  // Leaving the screen saves what is pending; closing the tab asks first.
  useEffect(() => {
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (latest.current !== saved.current) event.preventDefault();
    };
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      window.removeEventListener('beforeunload', beforeUnload);
      if (latest.current !== saved.current) void saveNow();
    };
  }, [saveNow]);

  const markSaved = useCallback((current: T) => {
    saved.current = current;
  }, []);

  return { ...state, saveNow, markSaved };
}
