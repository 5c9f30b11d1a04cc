import { describe, expect, it } from 'vitest';
import { canRedo, canUndo, commit, createHistory, redo, undo } from './flow-history.js';

describe('undo history', () => {
  it('undoes and redoes commits in order', () => {
    let h = createHistory('a');
    h = commit(h, 'b', { now: 0 });
    h = commit(h, 'c', { now: 10_000 });
    expect(canUndo(h)).toBe(true);
    h = undo(h);
    expect(h.present).toBe('b');
    h = undo(h);
    expect(h.present).toBe('a');
    expect(canUndo(h)).toBe(false);
    expect(undo(h)).toBe(h);
    h = redo(h);
    expect(h.present).toBe('b');
    expect(canRedo(h)).toBe(true);
  });

  it('drops the redo branch on a new commit', () => {
    let h = commit(commit(createHistory('a'), 'b', { now: 0 }), 'c', { now: 1 });
    h = commit(undo(h), 'd', { now: 2 });
    expect(canRedo(h)).toBe(false);
    expect(undo(h).present).toBe('b');
  });

  it('merges quick edits with the same key into one entry', () => {
    let h = createHistory('');
    h = commit(h, 'H', { key: 'text', now: 0 });
    h = commit(h, 'Hi', { key: 'text', now: 500 });
    h = commit(h, 'Hi!', { key: 'text', now: 1000 });
    expect(h.past).toEqual(['']);
    h = commit(h, 'Hi! x', { key: 'text', now: 5000 });
    expect(h.past).toEqual(['', 'Hi!']);
    h = commit(h, 'other', { key: 'label', now: 5100 });
    expect(h.past).toEqual(['', 'Hi!', 'Hi! x']);
  });

  it('is bounded and ignores a commit of the same snapshot', () => {
    let h = createHistory(0);
    for (let i = 1; i <= 10; i++) h = commit(h, i, { now: i * 10_000, limit: 3 });
    expect(h.past).toEqual([7, 8, 9]);
    expect(commit(h, h.present, { now: 0 })).toBe(h);
  });
});
