/**
 * A bounded undo history of immutable snapshots. Edits with the same `key` made in quick
 * succession (typing in one field) replace the newest entry instead of adding one, so one undo
 * takes back the whole edit.
 */
export interface History<T> {
  past: readonly T[];
  present: T;
  future: readonly T[];
  /** The key and time of the newest entry, for coalescing. */
  lastKey?: string;
  lastAt?: number;
}

export const HISTORY_LIMIT = 100;
export const COALESCE_MS = 1500;

export function createHistory<T>(present: T): History<T> {
  return { past: [], present, future: [] };
}

export function commit<T>(history: History<T>, next: T, options: { key?: string; now: number; limit?: number }): History<T> {
  if (next === history.present) return history;
  const limit = options.limit ?? HISTORY_LIMIT;
  const coalesce =
    options.key !== undefined &&
    options.key === history.lastKey &&
    history.lastAt !== undefined &&
    options.now - history.lastAt <= COALESCE_MS &&
    history.future.length === 0;
  const past = coalesce ? history.past : [...history.past, history.present].slice(-limit);
  return {
    past,
    present: next,
    future: [],
    ...(options.key === undefined ? {} : { lastKey: options.key, lastAt: options.now }),
  };
}

export const canUndo = (history: History<unknown>) => history.past.length > 0;
export const canRedo = (history: History<unknown>) => history.future.length > 0;

export function undo<T>(history: History<T>): History<T> {
  const previous = history.past[history.past.length - 1];
  if (previous === undefined) return history;
  return { past: history.past.slice(0, -1), present: previous, future: [history.present, ...history.future] };
}

export function redo<T>(history: History<T>): History<T> {
  const [next, ...rest] = history.future;
  if (next === undefined) return history;
  return { past: [...history.past, history.present], present: next, future: rest };
}
